/**
 * A switchable outage for one browser context: while down, `/api/*` requests fail as if the
 * network dropped and chat sockets are cut, while pages and `/parley.js` still load (so a page can
 * be reloaded during the outage). Sockets opened while up are proxied to the real server.
 */
import type { BrowserContext, WebSocketRoute } from 'playwright-core';

export interface Outage {
  /** Cuts the API and every chat socket (open ones are closed), or lets them through again. */
  set(down: boolean): void;
}

export async function routeOutage(context: BrowserContext): Promise<Outage> {
  let down = false;
  const open = new Set<WebSocketRoute>();
  await context.route(
    (url) => url.pathname.startsWith('/api/'),
    (route) => (down ? route.abort('internetdisconnected') : route.continue()),
  );
  await context.routeWebSocket(/\/ws\/chat\//, (ws) => {
    if (down) return void ws.close({ code: 4000, reason: 'unreachable' });
    ws.connectToServer();
    open.add(ws);
  });
  return {
    set(value) {
      down = value;
      if (!down) return;
      for (const ws of open) void ws.close({ code: 4000, reason: 'network dropped' });
      open.clear();
    },
  };
}
