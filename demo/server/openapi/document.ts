/**
 * The OpenAPI 3.1 document of the reference server's REST API (PROTOCOL.md §1-§2), served at
 * `/api/schema/` and rendered at `/api/docs/`. Postman, Insomnia and client generators import it
 * from that URL. The WebSocket protocol (§4) is out of OpenAPI's reach: the document links to it.
 */
import { responses } from './operations.js';
import { paths } from './paths.js';
import { schemas } from './schemas.js';

/** The document, with `servers` set to the origin it is served from (so an import knows where to call). */
export function openApiDocument(origin: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley reference server',
      version: '1.2.0',
      summary: 'REST side of the Parley chat protocol v1.2.',
      description:
        'Sign in with `POST /api/auth/login` (demo users: `alice`/`alice123`, `bob`/`bob123`), then send `Authorization: Bearer <token>`. ' +
        'Ids are strings of decimal digits; timestamps are ISO-8601 UTC; chat paths end in `/`. ' +
        'Real-time delivery goes over the WebSocket `/ws/chat/<conversation_id>/?ticket=<ticket>` (see `POST /api/chat/ws-ticket/`), described in PROTOCOL.md §4.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: origin }],
    tags: [
      { name: 'auth', description: 'Tokens: sign in, refresh, sign out.' },
      { name: 'chat', description: 'Conversations, messages, typing, reads, uploads, the bot.' },
      { name: 'operations', description: 'Health and uploaded files (no token).' },
    ],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The `token` of `POST /api/auth/login` (15 min); renew it with `POST /api/auth/refresh`.',
        },
      },
    },
  };
}
