/**
 * The chat socket endpoint `/ws/chat/<id>/` (final slash optional) on the HTTP server's
 * `upgrade` event (`ws` in `noServer` mode). The handshake is always accepted and then closed
 * with a code when a check fails, in PROTOCOL order: Origin (1008), auth (4001: ticket or
 * `?token=`, ticket wins), the conversation exists (4004), membership (4003), and the user's
 * open sockets below `socketsPerUser` (1013).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_CODES, MAX_FRAME_BYTES, type User } from '../../../src/types.js';
import type { AppContext } from '../context.js';
import { isDigitId } from '../http/errors.js';
import { originAllowed } from '../http/security.js';
import { ChatConnection } from './chat-connection.js';

const PATH = /^\/ws\/chat\/([^/]+)\/?$/;

export interface SocketServer {
  /** Closes every socket with 1012 and stops accepting new ones. */
  close(): Promise<void>;
}

export function attachSocketServer(ctx: AppContext, server: Server): SocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const connections = new Set<ChatConnection>();
  let closing = false;

  const heartbeat = setInterval(() => {
    for (const c of connections) c.heartbeat();
  }, ctx.options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  /** Who the request authenticates as, or null (4001). A ticket is spent even if it fails. */
  async function authenticate(params: URLSearchParams, conversationId: string): Promise<User | null> {
    const ticket = params.get('ticket');
    if (ticket) {
      const t = await ctx.storage.spendTicket(ticket);
      if (!t || t.expires_at < Date.now() || t.conversation_id !== conversationId) return null;
      const u = await ctx.storage.findUserById(t.user_id);
      return u ? { id: u.id, username: u.username, display_name: u.display_name } : null;
    }
    const token = params.get('token');
    if (!token) return null;
    try {
      const u = await ctx.tokens.userFromAccess(token);
      return { id: u.id, username: u.username, display_name: u.display_name };
    } catch {
      return null;
    }
  }

  async function check(
    req: IncomingMessage,
    id: string,
    params: URLSearchParams,
  ): Promise<{ code: number; reason: string } | User> {
    if (closing) return { code: CLOSE_CODES.restart, reason: 'server restarting' };
    if (!originAllowed(ctx.origins, req.headers.origin))
      return { code: CLOSE_CODES.policy, reason: 'origin not allowed' };
    const user = await authenticate(params, id);
    if (!user) return { code: CLOSE_CODES.unauthorized, reason: 'unauthorized' };
    if (!isDigitId(id) || !(await ctx.storage.conversationExists(id)))
      return { code: CLOSE_CODES.notFound, reason: 'not found' };
    if (!(await ctx.storage.participantRole(id, user.id))) return { code: CLOSE_CODES.forbidden, reason: 'forbidden' };
    // Counted last: only a socket that will open takes one of the user's slots.
    if (!(await ctx.limiter.openSocket(user.id, ctx.limits.socketsPerUser)))
      return { code: CLOSE_CODES.tryAgain, reason: 'too many sockets' };
    return user;
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      url = new URL('http://localhost/');
    }
    const match = PATH.exec(url.pathname);
    if (!match) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.on('error', () => socket.destroy());
    // Ids are digits: a percent-encoded id is malformed and answers 4004, no decoding needed.
    const id = match[1]!;
    check(req, id, url.searchParams).then(
      (result) => {
        if (!('code' in result)) {
          // The slot is given back when the TCP socket closes, whatever happens to the upgrade.
          const release = () => void ctx.limiter.closeSocket(result.id).catch(() => undefined);
          if (socket.destroyed) return release();
          socket.once('close', release);
        }
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          if ('code' in result) {
            ctx.log.info({ path: url.pathname, code: result.code }, 'socket refused');
            return ws.close(result.code, result.reason);
          }
          const conn = new ChatConnection(ctx, ws, result, id);
          connections.add(conn);
          ws.once('close', (code) => {
            connections.delete(conn);
            ctx.log.info({ conversation: id, user: result.id, code }, 'socket closed');
          });
          ws.on('error', (err) => ctx.log.info({ err: err.message }, 'socket error'));
          ctx.log.info({ conversation: id, user: result.id }, 'socket opened');
          conn.start().catch((err: Error) => ctx.log.warn({ err: err.message }, 'socket start failed'));
        });
      },
      (err: Error) => {
        ctx.log.error({ err: err.message }, 'socket handshake failed');
        socket.destroy();
      },
    );
  }

  server.on('upgrade', onUpgrade);

  return {
    async close() {
      closing = true;
      clearInterval(heartbeat);
      const all = [...connections];
      for (const c of all) c.close(CLOSE_CODES.restart, 'server restarting');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)));
      await Promise.race([Promise.all(all.map((c) => c.closed)), timeout]);
      clearTimeout(timer);
      server.off('upgrade', onUpgrade);
      wss.close();
    },
  };
}
