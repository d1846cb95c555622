/**
 * The page-wide default locale (`Parley.setLocale`). Elements without a `lang` attribute follow it
 * and re-render when it changes.
 */
let current: string | null = null;
const listeners = new Set<() => void>();

/** Sets the default locale of every `<parley-chat>` on the page that has no `lang` of its own. */
export function setLocale(lang: string | null): void {
  current = lang;
  for (const listener of listeners) listener();
}

/** The page-wide default set with `setLocale`, or null (then the document's `lang` applies). */
export const defaultLocale = (): string | null => current;

/** Calls `listener` whenever `setLocale` is called; returns the unsubscribe function. */
export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
