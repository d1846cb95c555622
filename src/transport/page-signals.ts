/**
 * The page's hints about the network: `online`, `offline`, and the page becoming visible. The
 * connection reacts to them (reconnect at once, or go offline); outside a browser there are none.
 */

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
