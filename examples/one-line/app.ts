// The smallest bearer-guard app: one line protects every route that follows it.
//
//   npm run build
//   AUTH_BEARER_TOKEN=my-secret-token node --import tsx examples/one-line/app.ts
//   curl -H "Authorization: Bearer my-secret-token" http://127.0.0.1:3000/v2/models/
//
// The token can also come from `--auth-bearer-token <t>`, `--auth-bearer-token-file <path>` or
// `--config-file <ini>` (key `auth_bearer_token` under `[DEFAULT]`). Without any token the guard
// lets everything through and prints a warning. `/` and `/v2/` stay public. The README's "The
// one line" shows the same app in plain JavaScript, for a project made by `npm init -y`.
import express from 'express';
import type { Express } from 'express';
import { pathToFileURL } from 'node:url';
import { bearerGuard } from 'bearer-guard';

/** Builds the app; reads the token configuration now (and throws if it is invalid). */
export function createApp(): Express {
  const app = express();

  app.use(bearerGuard()); // <- the one line: every route below needs the bearer token, except / and /v2/

  app.get('/', (_req, res) => {
    res.json({ versions: ['v2'] }); // public by default
  });
  app.get('/v2/', (_req, res) => {
    res.json({ id: 'v2' }); // public by default
  });
  app.get('/v2/models/', (_req, res) => {
    res.json({ models: [] }); // needs Authorization: Bearer <token>
  });
  return app;
}

// Listen only when run directly, so tests can import createApp() without opening a port.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const fail = (err: unknown): never => {
    console.error(err instanceof Error ? err.message : 'unexpected error'); // message only, never a token
    process.exit(1);
  };
  try {
    const port = Number(process.env['PORT'] ?? 3000);
    createApp().listen(port, '127.0.0.1', (err?: Error) => {
      if (err) fail(err);
      console.log(`one-line example listening on http://127.0.0.1:${port}`);
    });
  } catch (err) {
    fail(err);
  }
}
