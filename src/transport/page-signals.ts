/**
 * The page's hints about the network: `online`, `offline`, and the page becoming visible. The
 * connection reacts to them (reconnect at once, or go offline); outside a browser there are none.
 */
import type { ConnectionStatus } from '../events.js';

export interface PageSignalHandlers {
  online(): void;
  offline(): void;
  visible(): void;
}

/** Listens to the page's signals; returns the function that stops listening (a no-op outside a browser). */
export function listenToPage(handlers: PageSignalHandlers): () => void {
  const win = globalThis.window;
  const doc = globalThis.document;
  if (!win?.addEventListener) return () => {};
  const online = (): void => handlers.online();
  const offline = (): void => handlers.offline();
  const visible = (): void => {
    if (doc?.visibilityState === 'visible') handlers.visible();
  };
  win.addEventListener('online', online);
  win.addEventListener('offline', offline);
  doc?.addEventListener('visibilitychange', visible);
  return () => {
    win.removeEventListener('online', online);
    win.removeEventListener('offline', offline);
    doc?.removeEventListener('visibilitychange', visible);
  };
}

/**
 * Whether a page hint (`online`, the page became visible) tries the socket at once. Back from
 * offline, or after at most one failure, yes; while it keeps failing (fallback, or two failed
 * handshakes in a row) no: the scheduled retry stands. A hint never resets the backoff, so a storm
 * of hints (tab switching, a flapping network) never turns into a storm of connections.
 */
export function hintTriesNow(s: { status: ConnectionStatus; fallback: boolean; failures: number }): boolean {
  if (s.status === 'closed' || s.status === 'connecting') return false;
  return s.status === 'offline' || (!s.fallback && s.failures < 2);
}
