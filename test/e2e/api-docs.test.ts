/**
 * `/api/docs/`: the interactive API page (Swagger UI, served by the server itself) renders every
 * operation of `/api/schema/` in Chromium under the server's own CSP, with no console error.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { openWatchedPage } from '../build/support/app.js';
import { call, startServer, type TestServer } from '../demo/server/helpers.js';

let s: TestServer;
let browser: Browser;

before(async () => {
  s = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await s?.stop();
});

test(
  '/api/docs/ shows every operation of the OpenAPI document under the server CSP, without a console error',
  { timeout: 60_000 },
  async () => {
    const schema = await call(s.url, 'GET', '/api/schema/');
    const operations = Object.values(schema.body.paths as Record<string, object>).reduce(
      (n: number, item) => n + Object.keys(item).length,
      0,
    );
    const { page, problems } = await openWatchedPage(browser, `${s.url}/api/docs`);
    assert.equal(new URL(page.url()).pathname, '/api/docs/');
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.opblock').count(), operations);
    assert.match(await page.locator('.info .title').innerText(), /Parley reference server/);
    assert.ok(await page.locator('button.authorize').isVisible(), 'the bearer token can be entered');
    assert.deepEqual(problems, []);
  },
);

test('the docs page and its assets come from the server itself, no CDN', async () => {
  const html = await call(s.url, 'GET', '/api/docs/');
  assert.equal(html.status, 200);
  assert.doesNotMatch(html.body, /https?:\/\//);
  for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js', 'start.js'])
    assert.equal((await fetch(`${s.url}/api/docs/${asset}`)).status, 200, asset);
  // Only those files: the rest of swagger-ui-dist is not served (it falls through to the API: 401).
  assert.notEqual((await fetch(`${s.url}/api/docs/package.json`)).status, 200);
});
