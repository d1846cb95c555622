/**
 * A page of the reference server's own origin with `/parley.js` loaded from that server, so the
 * real script-tag bundle (window.Parley) runs in Chromium. The page is a real response from
 * 127.0.0.1 (`/healthz`): a document fulfilled by a Playwright route counts as a public address,
 * and Chromium's Local Network Access checks then block its sockets to 127.0.0.1.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BenchContext } from './support.js';

/** Opens a fresh context and page on `serverUrl` with `/parley.js` loaded (window.Parley). */
export async function openParleyPage(ctx: BenchContext, browser: Browser, serverUrl: string): Promise<Page> {
  return openParleyTab(await openBrowserContext(ctx, browser), serverUrl);
}

/** A fresh browser context (one browser profile: its pages are tabs of one browser), closed when the measure ends. */
export async function openBrowserContext(ctx: BenchContext, browser: Browser): Promise<BrowserContext> {
  // bypassCSP: the server's security headers apply to /healthz; the bench injects its own script.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  ctx.defer(() => context.close());
  return context;
}

/** Opens one more page (tab) of `context` on `serverUrl` with `/parley.js` loaded (window.Parley). */
export async function openParleyTab(context: BrowserContext, serverUrl: string): Promise<Page> {
  const page = await context.newPage();
  // tsx compiles this file with esbuild's keepNames: functions handed to page.evaluate call its
  // `__name` helper, which the page does not have.
  await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${serverUrl}/healthz`, { waitUntil: 'load' });
  await page.addScriptTag({ url: `${serverUrl}/parley.js` });
  const loaded = await page.evaluate(
    () => typeof (window as unknown as { Parley?: { ChatClient?: unknown } }).Parley?.ChatClient,
  );
  if (loaded !== 'function') {
    throw new Error(
      `window.Parley.ChatClient is ${loaded} after loading /parley.js${pageErrors.length ? `: ${pageErrors.join('; ')}` : ''}`,
    );
  }
  return page;
}
