/**
 * The API described: `/api/schema/` serves the OpenAPI 3.1 document, `/api/docs/` an interactive
 * page (Swagger UI from `swagger-ui-dist`, served by this server itself: no CDN, and it runs under
 * the server's CSP because its start-up code is a file, not an inline script). No token needed.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import { openApiDocument } from '../openapi/document.js';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png']);

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Parley API</title>
    <link rel="icon" type="image/png" href="favicon-32x32.png" />
    <link rel="stylesheet" href="swagger-ui.css" />
  </head>
  <body>
    <main id="swagger-ui"></main>
    <script src="swagger-ui-bundle.js"></script>
    <script src="start.js"></script>
  </body>
</html>
`;

const START = `// Starts Swagger UI on the document next door (relative: works behind a proxy prefix too).
window.ui = SwaggerUIBundle({
  url: new URL('../schema/', location.href).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: false,
});
`;

/** `GET /api/schema/` (the OpenAPI document), `GET /api/docs/` (the page) and the page's assets; no token needed. */
export function apiDocsRoutes(): Router {
  const r = Router();
  r.get('/api/schema/', (req, res) => {
    res.json(openApiDocument(`${req.protocol}://${req.get('host')}`));
  });
  // The page's relative asset URLs need the final slash.
  r.get('/api/docs', (req, res, next) => (req.path === '/api/docs' ? res.redirect(301, '/api/docs/') : next()));
  r.get('/api/docs/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  r.get('/api/docs/start.js', (_req, res) => {
    res.type('js').send(START);
  });
  r.get('/api/docs/:asset', (req, res, next) => {
    if (!ASSETS.has(req.params.asset)) return next();
    res.sendFile(join(swaggerDir, req.params.asset), { maxAge: '1d' });
  });
  return r;
}
