/**
 * The browser side: `dist/parley.js` at `/parley.js`, `dist/esm/*` at `/esm/*`, `demo/public/*`,
 * and `/chat-test` (`demo/public/chat-test.html`, or a simple page until the demo fills it).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const at = (p: string) => `${root}${p}`;

const FALLBACK_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Parley chat test</title>
  <script src="/parley.js" defer></script>
</head>
<body>
  <h1>Parley chat test</h1>
  <p>Sign in with a demo account (alice / alice123, bob / bob123, carol / carol123) in the chat panel.</p>
  <parley-chat bot-name="Bot" position="bottom-right"></parley-chat>
</body>
</html>
`;

export function staticRoutes(): Router {
  const r = Router();
  r.get('/parley.js', (_req, res, next) => {
    const file = at('dist/parley.js');
    if (!existsSync(file)) return next();
    res.sendFile(file, { headers: { 'Cache-Control': 'no-cache' } });
  });
  r.use('/esm', express.static(at('dist/esm'), { fallthrough: true, index: false }));
  r.get(['/chat-test', '/chat-test/'], (_req, res) => {
    const page = at('demo/public/chat-test.html');
    if (existsSync(page)) return res.sendFile(page);
    res.type('html').send(FALLBACK_PAGE);
  });
  r.use(express.static(at('demo/public'), { index: ['index.html'] }));
  return r;
}
