/**
 * An app outside the repository that installs the packed `parley-chat` as a user would, bundles
 * itself with esbuild and is served to Chromium from its own origin under a strict CSP.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { messages, sendText, signIn } from '../../e2e/support/browser.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Runs npm in `cwd`; throws with npm's own output when it fails. */
export function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (result.status !== 0)
    throw new Error(`npm ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** `npm pack` of the repository into `dir`; returns the tarball's path. */
export function packInto(dir: string): string {
  const name = npm(['pack', '--silent', '--pack-destination', dir], ROOT).trim().split('\n').pop()!;
  return join(dir, name);
}

const ELEMENTS_APP = `
import 'parley-chat/elements';
import { ChatClient } from 'parley-chat';

// The headless client of the same package: lists the conversations of the user the widget signed in.
window.listConversations = async () => {
  const client = new ChatClient({ apiUrl: document.querySelector('parley-chat').getAttribute('api-url') });
  await client.login('alice', 'alice123');
  const { results } = await client.listConversations();
  client.destroy();
  return results.length;
};
`;

const REACT_APP = `
import { createRoot } from 'react-dom/client';
import { ParleyChat } from 'parley-chat/react';

window.conversationIds = [];
createRoot(document.getElementById('root')).render(
  <ParleyChat
    apiUrl={document.body.dataset.api}
    botName="CRM Assistant"
    position="bottom-left"
    session="memory"
    onConversationChange={(id) => window.conversationIds.push(id)}
  />,
);
`;

/** An empty app (`package.json` and two entry files) in `dir`; returns `dir`. */
export function writeApp(dir: string): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }),
  );
  writeFileSync(join(dir, 'src/elements.js'), ELEMENTS_APP);
  writeFileSync(join(dir, 'src/react.jsx'), REACT_APP);
  return dir;
}

export interface InstalledPackage {
  name: string;
  hasInstallScript: boolean;
}

/** What `npm install` put in the app's node_modules, from its lockfile. */
export function installedPackages(dir: string): InstalledPackage[] {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { hasInstallScript?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path]) => path !== '' && existsSync(join(dir, path)))
    .map(([path, entry]) => ({
      name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
      hasInstallScript: entry.hasInstallScript === true,
    }));
}

/** Bundles both entries with esbuild, as an app's build would, into `<dir>/public`. */
export async function bundleApp(dir: string): Promise<void> {
  await build({
    absWorkingDir: dir,
    entryPoints: { elements: 'src/elements.js', react: 'src/react.jsx' },
    outdir: 'public',
    bundle: true,
    format: 'esm',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
}

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

const page = (api: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title></head><body data-api="${api}">${body}</body></html>`;

/**
 * Serves the bundles on `localhost` (another origin than the API on 127.0.0.1) under a CSP that
 * allows only the app's own scripts and the API: `elements.html` and `react.html`.
 */
export async function serveApp(publicDir: string, api: string): Promise<AppServer> {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${api} ${api.replace(/^http/, 'ws')}`,
    `img-src ${api}`,
  ].join('; ');
  const pages: Record<string, string> = {
    '/elements.html': page(
      api,
      `<parley-chat api-url="${api}" bot-name="CRM Assistant" session="memory"></parley-chat><script type="module" src="/elements.js"></script>`,
    ),
    '/react.html': page(api, `<div id="root"></div><script type="module" src="/react.js"></script>`),
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const headers = { 'content-security-policy': csp };
    if (pages[path]) return void res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(pages[path]);
    const file = join(publicDir, path.replace(/^\/+/, ''));
    if (/^\/[\w-]+\.js$/.test(path) && existsSync(file))
      return void res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(readFileSync(file));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, 'localhost', r));
  const url = `http://localhost:${(server.address() as { port: number }).port}`;
  return { url, close: () => new Promise((r) => server.close(() => r())) };
}

/** A new page at `url` that records its uncaught errors and console errors (CSP violations included). */
export async function openWatchedPage(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems };
}

/** The seed guide's first scenario in the widget: sign in, send "Hello", wait for the bot's greeting. */
export async function sayHello(page: Page, username: string, password: string): Promise<void> {
  await signIn(page, username, password);
  await sendText(page, 'Hello');
  await messages(page, 'bot').filter({ hasText: 'Hello!' }).first().waitFor({ timeout: 30_000 });
}
