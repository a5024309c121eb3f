// Public paths stay open in their Express spellings; everything else needs a token, in every spelling and method.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { buildApp, listen, MAJORS, TOKEN, WRONG, type TestApp } from './helpers/apps.js';
import { expectFailsWith } from './helpers/expect.js';
import { rawRequest } from './helpers/raw-http.js';

const OPEN = [
  { path: '/', hit: 'root' },
  { path: '/v2', hit: 'v2' },
  { path: '/v2/', hit: 'v2' },
  { path: '/V2/', hit: 'v2' },
  { path: '/V2', hit: 'v2' },
  { path: '/?x=1', hit: 'root' },
  { path: '/v2/?access_token=abc', hit: 'v2' },
];

// Each spelling with the handler it reaches when the right token is sent (undefined: no route).
const PROTECTED: Array<{ path: string; hit: string | undefined }> = [
  { path: '/v2/models', hit: 'models' },
  { path: '/v2/models/', hit: 'models' },
  { path: '/V2/MODELS/', hit: 'models' },
  { path: '/v2/Models', hit: 'models' },
  { path: '/v2/models/iris', hit: 'model' },
  { path: '/v2/models/iris/', hit: 'model' },
  { path: '/v2/models/%69ris', hit: 'model' },
  { path: '/v2/models/..', hit: 'model' },
  { path: '/v2/models/a%2Fb', hit: 'model' },
  { path: '/v2/models/iris?access_token=x', hit: 'model' },
  { path: '/v2/%6Dodels', hit: undefined },
  { path: '//v2/models', hit: undefined },
  { path: '/v2/models;x', hit: undefined },
  { path: '/v2/./models', hit: undefined },
  { path: '/%2F', hit: undefined },
  { path: '/v2//', hit: undefined },
  { path: '/%76%32/', hit: undefined },
  { path: '/unknown', hit: undefined },
];

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'TRACE'];

function get(server: Server, path: string, auth?: string, method = 'GET') {
  return rawRequest(server, [`${method} ${path} HTTP/1.1`, 'Host: localhost', ...(auth ? [`Authorization: ${auth}`] : [])]);
}

for (const { label, express } of MAJORS) {
  describe(`public/protected matrix on ${label}`, () => {
    let t: TestApp;
    let server: Server;
    before(async () => {
      t = buildApp(express);
      server = await listen(t.app);
    });
    after(() => server.close());

    for (const { path, hit } of OPEN) {
      test(`${path} is open with no, wrong and right credentials`, async () => {
        for (const auth of [undefined, `Bearer ${WRONG}`, `Bearer ${TOKEN}`, 'Basic x', 'Bearer a,b']) {
          t.hits.length = 0;
          const res = await get(server, path, auth);
          assert.equal(res.status, 200, `${path} with ${auth ?? 'no header'}`);
          assert.deepEqual(t.hits, [hit]);
        }
      });
    }

    for (const { path, hit } of PROTECTED) {
      test(`${path} needs a token for every method`, async () => {
        for (const method of METHODS) {
          t.hits.length = 0;
          const res = await get(server, path, undefined, method);
          if (method === 'HEAD') {
            assert.equal(res.status, 401, `${method} ${path}`);
            assert.equal(res.headers['www-authenticate'], 'Bearer realm="api"');
          } else {
            expectFailsWith(res, 'missing_token');
          }
          assert.deepEqual(t.hits, [], `${method} ${path} ran a handler`);
        }
        const wrong = await get(server, path, `Bearer ${WRONG}`);
        expectFailsWith(wrong, 'invalid_token');
        assert.deepEqual(t.hits, []);
      });

      test(`${path} with the right token reaches ${hit ?? 'no route (404)'}`, async () => {
        t.hits.length = 0;
        const res = await get(server, path, `Bearer ${TOKEN}`);
        assert.equal(res.status, hit === undefined ? 404 : 200);
        assert.deepEqual(t.hits, hit === undefined ? [] : [hit]);
      });
    }

    test('absolute-form request target is judged on its path', async () => {
      t.hits.length = 0;
      expectFailsWith(await get(server, 'http://localhost/v2/models/'), 'missing_token');
      const open = await get(server, 'http://localhost/v2/');
      assert.equal(open.status, 200);
      assert.deepEqual(t.hits, ['v2']);
    });

    test('strict routing: /v2 is no longer the public /v2/', async () => {
      const strict = buildApp(express, { token: TOKEN }, { 'strict routing': true });
      const s = await listen(strict.app);
      try {
        expectFailsWith(await get(s, '/v2'), 'missing_token');
        assert.equal((await get(s, '/v2/')).status, 200);
      } finally {
        s.close();
      }
    });

    test('case sensitive routing: /V2/ is no longer the public /v2/', async () => {
      const cs = buildApp(express, { token: TOKEN }, { 'case sensitive routing': true });
      const s = await listen(cs.app);
      try {
        expectFailsWith(await get(s, '/V2/'), 'missing_token');
        assert.equal((await get(s, '/v2/')).status, 200);
      } finally {
        s.close();
      }
    });

    test('custom public list replaces the default, exact match only', async () => {
      const custom = buildApp(express, { token: TOKEN, public: ['/v2/models/'] });
      const s = await listen(custom.app);
      try {
        assert.equal((await get(s, '/V2/Models')).status, 200);
        expectFailsWith(await get(s, '/'), 'missing_token');
        expectFailsWith(await get(s, '/v2/models/iris'), 'missing_token');
      } finally {
        s.close();
      }
    });
  });
}
