/**
 * The script-tag entry (`dist/parley.js`): registers `<parley-chat>` and sets `window.Parley` to the
 * client API (`createClient`, `ChatClient`, errors, ...) plus helpers that drive the first
 * `<parley-chat>` on the page (`open`, `close`, `toggle`, `send`, `login`, `logout`,
 * `getConversationId`), `on(event, fn)`, `setLocale` and `registerLocale`.
 *
 * Calls made before the script has loaded are queued by this stub and replayed in order:
 *
 * ```html
 * <script>
 *   window.Parley = window.Parley || { q: [] };
 *   ['open', 'close', 'toggle', 'send', 'login', 'logout', 'setLocale', 'on'].forEach(function (m) {
 *     window.Parley[m] = window.Parley[m] || function () { window.Parley.q.push([m, [].slice.call(arguments)]); };
 *   });
 * </script>
 * <script async src="https://chat.example.com/parley.js"></script>
 * ```
 */
import * as client from '../src/index.js';
import './elements.js';
import type { ParleyChat } from './chat/parley-chat.js';
import { setLocale } from './i18n/locale-state.js';
import { registerLocale } from './i18n/locales.js';

type QueuedCall = [method: string, args: ArrayLike<unknown>];
interface ParleyStub {
  q?: QueuedCall[];
}

/** Runs `fn` on the first `<parley-chat>` of the page, waiting for the document to be parsed if needed. */
function withElement<T>(fn: (el: ParleyChat) => T): Promise<T> {
  const el = document.querySelector('parley-chat');
  if (el) return Promise.resolve(el).then(fn);
  if (document.readyState !== 'loading')
    return Promise.reject(new client.ParleyError('Parley: no <parley-chat> on the page'));
  return new Promise((resolve, reject) =>
    document.addEventListener('DOMContentLoaded', () => withElement(fn).then(resolve, reject), { once: true }),
  );
}

const api = {
  ...client,
  setLocale,
  registerLocale,
  open: () => withElement((el) => el.open()),
  close: () => withElement((el) => el.close()),
  toggle: () => withElement((el) => el.toggle()),
  send: (text: string) => withElement((el) => el.send(text)),
  login: (username: string, password: string) => withElement((el) => el.login(username, password)),
  logout: () => withElement((el) => el.logout()),
  getConversationId: (): string | null => document.querySelector('parley-chat')?.getConversationId() ?? null,
  /** Listens to a `<parley-chat>` DOM event on the page (`'message'` or `'parley-message'`); returns the unsubscribe function. */
  on(event: string, listener: (detail: unknown, event: Event) => void): () => void {
    const name = event.startsWith('parley-') ? event : `parley-${event}`;
    const handler = (e: Event) => listener((e as CustomEvent).detail, e);
    document.addEventListener(name, handler);
    return () => document.removeEventListener(name, handler);
  },
};

/** What `window.Parley` is once `parley.js` has run. */
export type ParleyGlobal = typeof api;

const w = globalThis as unknown as { Parley?: ParleyStub | ParleyGlobal };
const queued = (w.Parley as ParleyStub | undefined)?.q ?? [];
w.Parley = api;
for (const [method, args] of queued) {
  const fn = (api as Record<string, unknown>)[method];
  if (typeof fn === 'function') {
    try {
      const result = (fn as (...a: unknown[]) => unknown)(...Array.from(args));
      if (result instanceof Promise) result.catch((error) => console.error('Parley: queued', method, 'failed:', error));
    } catch (error) {
      console.error('Parley: queued', method, 'failed:', error);
    }
  }
}
