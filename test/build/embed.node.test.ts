/**
 * The "done" criterion of the element: `dist/parley.js` alone, on a blank page of another origin
 * under a strict CSP (no inline script or style, no eval), gives a working chat against the
 * reference server. Real server (in process, port 0), real Chromium.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
// @ts-expect-error: a plain .mjs helper shared with the test harness, without type declarations.
import { chromiumArgs, requireChromium } from '../../scripts/chromium.mjs';
import { createServer } from '../../demo/server/app.js';
import { openWatchedPage } from './support/app.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let server: Awaited<ReturnType<typeof createServer>>;
let page: Server;
let pageOrigin: string;
let browser: Browser;
let dataDir: string;

before(async () => {
  assert.ok(
    existsSync(join(root, 'dist/parley.js')),
    'dist/parley.js is missing: build first with npx rollup -c rollup.config.mjs',
  );
  dataDir = mkdtempSync(join(tmpdir(), 'parley-embed-'));
  server = await createServer({ port: 0, host: '127.0.0.1', dataDir, botDelayMs: 10, logLevel: 'silent' });
  const api = server.url;
  const csp = [
    "default-src 'none'",
    `script-src ${api}`,
    "style-src 'self'",
    `connect-src ${api} ${api.replace(/^http/, 'ws')}`,
    `img-src ${api}`,
  ].join('; ');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Embed</title></head><body>
<script src="${api}/parley.js"></script>
<parley-chat api-url="${api}" bot-name="CRM Assistant" session="memory"></parley-chat>
</body></html>`;
  // "localhost" vs the server's "127.0.0.1": another origin.
  page = createHttpServer((_, res) =>
    res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': csp }).end(html),
  );
  await new Promise<void>((r) => page.listen(0, 'localhost', r));
  pageOrigin = `http://localhost:${(page.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: requireChromium() as string,
    args: chromiumArgs as string[],
    headless: true,
  });
});

after(async () => {
  await browser?.close();
  await new Promise((r) => page?.close(r));
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test(
  'dist/parley.js on a blank page of another origin under a strict CSP signs in, sends and gets the bot reply',
  { timeout: 60_000 },
  async () => {
    const { page: tab, problems } = await openWatchedPage(browser, pageOrigin);
    assert.equal(await tab.evaluate(() => typeof (window as unknown as { Parley?: object }).Parley), 'object');
    const chat = (selector: string) => tab.locator(`parley-chat ${selector}`);
    await chat('[part="launcher"]').click();
    await chat('input[name="username"]').fill('alice');
    await chat('input[name="password"]').fill('alice123');
    await chat('input[name="password"]').press('Enter');
    await chat('[part="input"]').fill('Hello');
    await chat('[part="input"]').press('Enter');
    await chat('[part~="message"][data-type="bot"]').first().waitFor({ timeout: 20_000 });
    assert.match(await chat('[part~="message"][data-type="bot"]').first().innerText(), /Hello!/);
    await chat(
      '[part~="message"][data-type="user"][data-status="sent"], [part~="message"][data-type="user"][data-status="delivered"], [part~="message"][data-type="user"][data-status="read"]',
    )
      .first()
      .waitFor({ timeout: 20_000 });
    // The first send creates the conversation over REST; the socket to it opens after that, so the
    // reply can be on screen while the socket still connects: wait for the strip to say connected.
    await chat('[part="status"][data-state="open"]').waitFor({ timeout: 20_000 });
    assert.deepEqual(problems, [], 'no console errors (CSP violations included)');
  },
);
