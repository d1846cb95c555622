/**
 * Bearer authentication for the API: `Authorization: Bearer <access JWT>`. Sets the caller on
 * `res.locals.user`; answers 401 `not_authenticated` without a token, `token_not_valid` for a bad one.
 */
import type { RequestHandler, Response } from 'express';
import type { User } from '../../../src/types.js';
import type { TokenService } from './tokens.js';

/** The authenticated caller of a request that passed `requireAuth`. */
export function userOf(res: Response): User {
  return res.locals.user as User;
}

export function requireAuth(tokens: TokenService): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^(?:Bearer|JWT)\s+(\S+)$/i.exec(header);
    if (!match) {
      res.status(401).json({ detail: 'Authentication credentials were not provided.', code: 'not_authenticated' });
      return;
    }
    tokens.userFromAccess(match[1]!).then(
      (u) => {
        res.locals.user = { id: u.id, username: u.username, display_name: u.display_name } satisfies User;
        next();
      },
      () => {
        res.status(401).json({ detail: 'Given token not valid for any token type', code: 'token_not_valid' });
      },
    );
  };
}
