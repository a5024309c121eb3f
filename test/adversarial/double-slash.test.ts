// A path counts as public only where the app's own Express major routes it to the public path:
// `//` is the public `/` on Express 5, and no route at all on Express 4 (where a catch-all then ran without a token).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bearerGuard } from '../../src/index.js';
import { captureLogger, listen, MAJORS, TOKEN } from '../helpers/apps.js';
import { rawRequest } from '../helpers/raw-http.js';

const SETTINGS: Array<Record<string, boolean>> = [
  {},
  { 'strict routing': true },
  { 'case sensitive routing': true },
  { 'strict routing': true, 'case sensitive routing': true },
];
const PATHS = ['//', '///', '/v2//', '/v2///', '//v2/', '/', '/v2/', '/v2'];

for (const { label, express } of MAJORS) {
  for (const settings of SETTINGS) {
    const name = Object.keys(settings).join(' + ') || 'default routing';
    describe(`${label}, ${name}: a catch-all route never runs without a token`, () => {
      for (const path of PATHS) {
        test(path, async () => {
          // Built twice: guarded, and as the unguarded twin that shows where Express routes the path.
          const build = (guarded: boolean) => {
            const app = express();
            for (const [k, v] of Object.entries(settings)) app.set(k, v);
            if (guarded) app.use(bearerGuard({ token: TOKEN, logger: captureLogger() }));
            app.get('/', (_req, res) => void res.send('root'));
            app.get('/v2/', (_req, res) => void res.send('v2'));
            app.all(label === 'Express 5' ? '/*splat' : '*', (_req, res) => void res.send('catch-all'));
            return app;
          };
          const [g, u] = [await listen(build(true)), await listen(build(false))];
          try {
            const head = [`GET ${path} HTTP/1.1`, 'Host: x'];
            const [guarded, twin] = [await rawRequest(g, head), await rawRequest(u, head)];
            assert.notEqual(guarded.body, 'catch-all', 'the catch-all ran without a token');
            // Public only where the twin itself routes the path to a public route.
            if (twin.body === 'root' || twin.body === 'v2') assert.equal(guarded.body, twin.body);
            else assert.equal(guarded.status, 401);
          } finally {
            g.close();
            u.close();
          }
        });
      }
    });
  }
}
