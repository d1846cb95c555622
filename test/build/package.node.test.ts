/**
 * The package as a user gets it: `npm pack`, `npm install <tarball>` into an empty app (the
 * registry only serves the dependencies), then what that app can do with it: count what was
 * installed, import it in Node, bundle two apps with esbuild (one on `parley-chat` +
 * `parley-chat/elements`, one on the React wrapper) and chat through each in Chromium against the
 * real server. Needs `npm run build` first (`npm test` builds).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser } from 'playwright-core';
import { createServer } from '../../demo/server/app.js';
import { launchBrowser, part } from '../e2e/support/browser.js';
import {
  bundleApp,
  openWatchedPage,
  sayHello,
  installedPackages,
  npm,
  packInto,
  ROOT,
  serveApp,
  writeApp,
  type AppServer,
} from './support/app.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

let work: string;
let app: string;
let installed: ReturnType<typeof installedPackages>;
let server: Awaited<ReturnType<typeof createServer>>;
let site: AppServer;
let browser: Browser;

before(
  async () => {
    assert.ok(existsSync(join(ROOT, 'dist/esm/index.js')), 'dist/ is missing: build first with npm run build');
    work = mkdtempSync(join(tmpdir(), 'parley-package-'));
    const tarball = packInto(work);
    app = writeApp(join(work, 'app'));
    npm(['install', '--no-audit', '--no-fund', tarball], app);
    installed = installedPackages(app);
    // The React app needs React itself: installed after the count, as an app that uses React has it.
    npm(
      [
        'install',
        '--no-audit',
        '--no-fund',
        `react@${pkg.devDependencies.react}`,
        `react-dom@${pkg.devDependencies['react-dom']}`,
      ],
      app,
    );
    await bundleApp(app);
    server = await createServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: join(work, 'data'),
      botDelayMs: 10,
      logLevel: 'silent',
    });
    site = await serveApp(join(app, 'public'), server.url);
    browser = await launchBrowser();
  },
  { timeout: 240_000 },
);

after(async () => {
  await browser?.close();
  await site?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('installing the packed tarball brings fewer than 15 packages, none of the server, and runs no install script', () => {
  const names = installed.map((p) => p.name).sort();
  console.log(`installed ${names.length} packages: ${names.join(', ')}`);
  assert.ok(names.length < 15, `${names.length} packages installed`);
  for (const dep of ['lit', 'ky', 'reconnecting-websocket', 'idb-keyval']) assert.ok(names.includes(dep), dep);
  for (const serverDep of ['express', 'better-sqlite3', 'ws', 'ioredis', 'pino', 'multer', 'esbuild', 'marked'])
    assert.ok(!names.includes(serverDep), `${serverDep} was installed`);
  assert.deepEqual(
    installed.filter((p) => p.hasInstallScript).map((p) => p.name),
    [],
  );
});

test('the installed package ships its LICENSE, source maps, typings, the custom elements manifest and VS Code HTML data', () => {
  const dir = join(app, 'node_modules/parley-chat');
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    license: string;
    customElements: string;
    exports: Record<string, { types?: string } | string>;
  };
  assert.equal(meta.license, 'MIT');
  assert.match(readFileSync(join(dir, 'LICENSE'), 'utf8'), /^MIT License/);
  const scripts = readdirSync(join(dir, 'dist'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js'));
  assert.ok(scripts.length > 3);
  for (const file of scripts) {
    // A map is of use only with the sources it points to: src/ and components/ are not published.
    // (A file of re-exports only, like elements.js, has a map with no source at all.)
    const map = JSON.parse(readFileSync(join(dir, 'dist', `${file}.map`), 'utf8')) as {
      sources: string[];
      sourcesContent?: (string | null)[];
    };
    assert.ok(
      map.sources.every((_, i) => map.sourcesContent?.[i]),
      `${file}.map carries its sources`,
    );
  }

  for (const entry of ['.', './elements', './react']) {
    const types = (meta.exports[entry] as { types: string }).types;
    assert.ok(existsSync(join(dir, types)), `${entry} types ${types}`);
  }
  const manifest = JSON.parse(readFileSync(join(dir, meta.customElements), 'utf8')) as {
    modules: { declarations?: { tagName?: string; attributes?: { name: string }[]; events?: { name: string }[] }[] }[];
  };
  const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'parley-chat');
  assert.ok(element, 'the manifest describes <parley-chat>');
  const attributes = element.attributes!.map((a) => a.name);
  for (const name of ['api-url', 'bot-name', 'position', 'conversation-id', 'theme', 'session'])
    assert.ok(attributes.includes(name), `attribute ${name}`);
  assert.ok(element.events!.some((e) => e.name === 'parley-conversation-change'));
  const vscode = JSON.parse(readFileSync(join(dir, 'dist/vscode.html-custom-data.json'), 'utf8')) as {
    tags: { name: string; attributes: { name: string; values: { name: string }[] }[] }[];
  };
  const position = vscode.tags.find((t) => t.name === 'parley-chat')!.attributes.find((a) => a.name === 'position')!;
  assert.deepEqual(
    position.values.map((v) => v.name),
    ['bottom-right', 'bottom-left', 'top-right', 'top-left'],
  );
});

test("import('parley-chat') works in Node, as server rendering does it", () => {
  const out = npm(
    [
      'exec',
      '--',
      'node',
      '--input-type=module',
      '-e',
      "const m = await import('parley-chat'); console.log(typeof m.ChatClient, typeof m.createClient);",
    ],
    app,
  );
  assert.equal(out.trim().split('\n').pop(), 'function function');
});

test(
  'an app bundled from parley-chat and parley-chat/elements signs in, sends Hello and shows the bot greeting',
  { timeout: 90_000 },
  async () => {
    const { page, problems } = await openWatchedPage(browser, `${site.url}/elements.html`);
    await sayHello(page, 'alice', 'alice123');
    // The headless client of the same bundle, used directly: it sees the conversation the widget wrote.
    assert.ok(
      (await page.evaluate(() =>
        (window as unknown as { listConversations(): Promise<number> }).listConversations(),
      )) >= 1,
    );
    assert.deepEqual(problems, []);
    await page.close();
  },
);

test(
  'a React app renders <ParleyChat botName position onConversationChange>, chats, and gets the conversation id',
  { timeout: 90_000 },
  async () => {
    const { page, problems } = await openWatchedPage(browser, `${site.url}/react.html`);
    assert.equal(await page.locator('parley-chat').getAttribute('position'), 'bottom-left');
    await sayHello(page, 'bob', 'bob123');
    assert.equal(await part(page, 'header').locator('h2').innerText(), 'CRM Assistant');
    const ids = await page.evaluate(() => (window as unknown as { conversationIds: unknown[] }).conversationIds);
    assert.ok(
      ids.some((id) => typeof id === 'string' && /^\d+$/.test(id)),
      `onConversationChange got an id: ${JSON.stringify(ids)}`,
    );
    assert.deepEqual(problems, []);
    await page.close();
  },
);
