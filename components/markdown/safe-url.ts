/** Schemes a link may use inside a message. Everything else (javascript:, data:, vbscript:, ...) is dropped. */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'blob:']);
/** Schemes an image or attachment source may use. */
const SOURCE_SCHEMES = new Set(['http:', 'https:', 'blob:']);

/**
 * Resolves `url` against `base` and returns the normalised absolute URL when its scheme is allowed,
 * else null. Parsing with `URL` first means tricks like `java\tscript:` or `JaVaScRiPt:` are seen
 * the way the browser would see them.
 */
export function safeUrl(url: string | null | undefined, base: string, kind: 'link' | 'source' = 'link'): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim(), base);
  } catch {
    return null;
  }
  return (kind === 'link' ? LINK_SCHEMES : SOURCE_SCHEMES).has(parsed.protocol) ? parsed.href : null;
}
