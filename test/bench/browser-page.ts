/**
 * A blank page on the reference server's origin with `/parley.js` loaded from that server, so the
 * real script-tag bundle (window.Parley) runs in Chromium with no cross-origin detour.
 */
import type { Browser, Page } from 'playwright-core';
import type { BenchContext } from './support.js';

export const BENCH_PAGE_PATH = '/__parley_bench__.html';

/** Opens a fresh context and page at `${serverUrl}${BENCH_PAGE_PATH}` with `/parley.js` loaded. */
export async function openParleyPage(ctx: BenchContext, browser: Browser, serverUrl: string, body = ''): Promise<Page> {
  const context = await browser.newContext();
  ctx.defer(() => context.close());
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.route(`${serverUrl}${BENCH_PAGE_PATH}`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html><head><meta charset="utf-8"><title>Parley bench</title></head><body>${body}<script src="/parley.js"></script></body></html>`,
    }),
  );
  await page.goto(`${serverUrl}${BENCH_PAGE_PATH}`, { waitUntil: 'load' });
  const loaded = await page.evaluate(() => typeof (window as unknown as { Parley?: { ChatClient?: unknown } }).Parley?.ChatClient);
  if (loaded !== 'function') {
    throw new Error(`window.Parley.ChatClient is ${loaded} after loading /parley.js${pageErrors.length ? `: ${pageErrors.join('; ')}` : ''}`);
  }
  return page;
}
