/** What every in-process scenario needs: a real server and a Chromium, started once per file and closed after it. */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startServer, type ServerExtras, type TestServer } from './server.js';

export interface Scenario {
  readonly server: TestServer;
  readonly browser: Browser;
}

/** Registers the file's `before`/`after` hooks; the returned object is filled in before the first test runs. */
export function useServerAndBrowser(extras: ServerExtras = {}): Scenario {
  const scenario = {} as { server: TestServer; browser: Browser };
  before(async () => {
    scenario.server = await startServer(extras);
    scenario.browser = await launchBrowser();
  });
  after(async () => {
    await scenario.browser?.close();
    await scenario.server?.close();
  });
  return scenario;
}
