// Swagger UI at /docs (public), served from the swagger-ui-dist package: no CDN, nothing from the network.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Express, Response } from 'express';
import { baseUrl } from './links.js';

const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** The files of swagger-ui-dist the page loads, each served at `/docs/<file>`. */
const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const;

/** Every path of the docs (all public): the page, its assets, and DEEPaaS's `/ui` and `/api`, which redirect to it. */
export const DOCS_PATHS: readonly string[] = ['/docs', ...ASSETS.map((a) => `/docs/${a}`), '/docs/swagger-initializer.js', '/ui', '/api'];

// Links are relative to the page at /docs, so the page works under any --base-url prefix.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Iris model server: API docs</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/swagger-initializer.js"></script>
</body>
</html>
`;

// Loads ./openapi.json and puts the origin the page was opened from first in `servers`, so "Try it
// out" calls the server by the name the browser already uses (localhost or 127.0.0.1 alike).
// The Authorize dialog keeps the token in the page only (persistAuthorization is off).
const INITIALIZER = `"use strict";
(async function () {
  var here = new URL(".", location.href).href.replace(/\\/$/, "");
  var spec = await (await fetch("openapi.json", { headers: { accept: "application/json" } })).json();
  var servers = spec.servers || [];
  if (!servers.some(function (s) { return s.url === here; })) spec.servers = [{ url: here, description: "this server, as this page was opened" }].concat(servers);
  window.ui = SwaggerUIBundle({ spec: spec, dom_id: "#swagger-ui", presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout", persistAuthorization: false });
})();
`;

// Only this server's own scripts and styles (Swagger UI sets inline styles and uses data: images).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/** A redirect with a JSON body, like every other answer of the server. */
function redirect(res: Response, status: number, location: string): void {
  res.status(status).location(location).json({ detail: `See ${location}` });
}

/**
 * Adds `GET /docs` (the page, with a Content-Security-Policy that allows only this server), its
 * assets under `/docs/`, and the `/ui` and `/api` redirects. All of them are in {@link DOCS_PATHS}.
 */
export function addDocsRoutes(app: Express): void {
  app.get('/docs', (req, res) => {
    // /docs/ would resolve the page's relative links under /docs/docs/: send it to /docs.
    if (req.path.endsWith('/')) return redirect(res, 301, `${baseUrl(req)}/docs`);
    res.set('Content-Security-Policy', CSP).type('html').send(PAGE);
  });
  app.get('/docs/swagger-initializer.js', (_req, res) => {
    res.type('js').send(INITIALIZER);
  });
  for (const asset of ASSETS) {
    app.get(`/docs/${asset}`, (_req, res) => {
      res.sendFile(join(SWAGGER_UI_DIR, asset));
    });
  }
  // DEEPaaS serves its Swagger UI at /ui and /api; here both lead to /docs.
  for (const path of ['/ui', '/api']) {
    app.get(path, (req, res) => {
      redirect(res, 302, `${baseUrl(req)}/docs`);
    });
  }
}
