// The public routes (no token needed): API versions at `/`, the v2 version document, the OpenAPI spec and the docs.
import type { Express } from 'express';
import { addDocsRoutes, DOCS_PATHS } from './docs-ui.js';
import { baseUrl, serverUrl, v2VersionDoc } from './links.js';
import { openApiDocument } from './openapi.js';

/** Paths that stay open (exact paths); the guard in app.ts lets exactly these through. */
export const PUBLIC_PATHS: readonly string[] = ['/', '/v2/', '/openapi.json', ...DOCS_PATHS];

/** Adds the public routes: `/`, `/v2/`, `/openapi.json` and the docs ({@link PUBLIC_PATHS}). */
export function addPublicRoutes(app: Express): void {
  app.get('/', (req, res) => {
    const base = baseUrl(req);
    res.json({
      versions: [v2VersionDoc(base)],
      links: [
        { rel: 'help', type: 'application/json', href: `${base}/openapi.json` },
        { rel: 'describedby', type: 'application/json', href: `${base}/openapi.json` },
      ],
    });
  });

  app.get('/v2/', (req, res) => {
    res.json(v2VersionDoc(baseUrl(req)));
  });

  app.get('/openapi.json', (req, res) => {
    res.json(openApiDocument(serverUrl(req)));
  });

  addDocsRoutes(app);
}
