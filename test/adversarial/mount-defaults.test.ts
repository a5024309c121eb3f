// Regression: the default public paths belong to the app's root. A guard mounted under a path
// (app.use('/admin', bearerGuard())) must not open that path's own "/" and "/v2/".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bearerGuard } from '../../src/index.js';
import { captureLogger, listen, MAJORS, TOKEN } from '../helpers/apps.js';
import { rawRequest } from '../helpers/raw-http.js';

const get = (path: string, auth?: string): string[] => [`GET ${path} HTTP/1.1`, 'Host: x', ...(auth ? [`Authorization: ${auth}`] : [])];

describe('default public paths apply at the app root only', () => {
  for (const { label, express } of MAJORS) {
    test(`${label}: mounted under a path, defaults open nothing; explicit public paths stay relative`, async () => {
      const app = express();
      const ok = (_req: unknown, res: { json(b: unknown): void }): void => res.json({ ok: true });
      app.use('/admin', bearerGuard({ token: TOKEN, logger: captureLogger() }));
      app.get('/admin', ok);
      app.get('/admin/v2/', ok);
      const router = express.Router();
      router.use(bearerGuard({ token: TOKEN, logger: captureLogger(), public: ['/'] }));
      router.get('/', ok);
      router.get('/secret', ok);
      app.use('/api', router);
      app.use(bearerGuard({ token: TOKEN, logger: captureLogger() }));
      app.get('/', ok);
      const server = await listen(app);
      try {
        const cases: [string, string | undefined, number][] = [
          ['/admin', undefined, 401], ['/admin/', undefined, 401], ['/ADMIN', undefined, 401], ['/admin/v2/', undefined, 401],
          ['/admin', `Bearer ${TOKEN}`, 200], ['/admin/v2/', `Bearer ${TOKEN}`, 200],
          ['/api/', undefined, 200], ['/api', undefined, 200], ['/api/secret', undefined, 401],
          ['/', undefined, 200],
        ];
        for (const [path, auth, status] of cases) {
          const res = await rawRequest(server, get(path, auth));
          assert.equal(res.status, status, `${path} ${auth ? 'with' : 'without'} token`);
        }
      } finally {
        server.close();
      }
    });
  }
});
