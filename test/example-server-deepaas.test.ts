// The example server as DEEPaaS users expect it: 405 with Allow, no links from Host, --base-url, /docs, and a command line that refuses typos.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, cleanEnv, exitWithin, rawCall, runServer, startServer } from './helpers/example-server.js';
import type { StartedServer } from './helpers/example-server.js';

const MODEL = 'iris-rf';
const TOKEN_FLAG = 'example-deepaas-token-0123456789abcdefghijklm';
const PUBLIC_BASE = 'https://models.example.org/iris';

// Both servers start at once; each suite awaits its own.
const starting = {
  plain: startServer(['--auth-bearer-token', TOKEN_FLAG], cleanEnv()),
  baseUrl: startServer(['--auth-bearer-token', TOKEN_FLAG, '--base-url', `${PUBLIC_BASE}/`], cleanEnv()),
};
for (const promise of Object.values(starting)) promise.catch(() => undefined);

after(async () => {
  for (const promise of Object.values(starting)) {
    const server = await promise.catch(() => undefined);
    const exit = await server?.stop();
    if (exit !== undefined) assert.deepEqual(exit, { code: 0, signal: null });
    if (server !== undefined) assert.equal(server.stdout().includes(TOKEN_FLAG) || server.stderr().includes(TOKEN_FLAG), false, 'token printed');
  }
});

describe('model server: 405, Host, /docs', { timeout: 60_000 }, () => {
  let server!: StartedServer;
  const base = (): string => server.url;
  const predict = `/v2/models/${MODEL}/predict`;
  before(async () => {
    server = await starting.plain;
  });

  test('a known path with the wrong method: 405 with Allow, after auth (401 first without a token)', async () => {
    const none = undefined;
    // Rows: method, path, token, status, Allow (DEEPaaS answers 405 for GET .../predict).
    const cases: Array<[string, string, string | undefined, number, string | null]> = [
      ['GET', predict, none, 401, null],
      ['GET', predict, TOKEN_FLAG, 405, 'POST'],
      ['PUT', '/v2/models/', none, 401, null],
      ['PUT', '/v2/models/', TOKEN_FLAG, 405, 'GET, HEAD'],
      ['DELETE', `/v2/models/${MODEL}`, TOKEN_FLAG, 405, 'GET, HEAD'],
      ['PUT', `/v2/models/${MODEL}/train`, TOKEN_FLAG, 405, 'GET, HEAD, POST'],
      ['POST', `/v2/models/${MODEL}/train/some-uuid`, TOKEN_FLAG, 405, 'DELETE, GET, HEAD'],
      ['POST', '/v2/', none, 405, 'GET, HEAD'],
      ['DELETE', '/openapi.json', none, 405, 'GET, HEAD'],
      ['POST', '/docs', none, 405, 'GET, HEAD'],
      ['PUT', '/v2/no-such-route', TOKEN_FLAG, 404, null],
    ];
    for (const [method, path, token, status, allow] of cases) {
      const res = await call(base(), path, token === undefined ? { method } : { method, token });
      const where = `${method} ${path}${token === undefined ? '' : ' with the token'}`;
      assert.equal(res.status, status, where);
      assert.equal(res.headers.get('allow'), allow, where);
      if (status === 405) assert.deepEqual(res.body, { detail: 'Method not allowed' }, where);
    }
  });

  test('no link, Location or server URL is built from the Host header', async () => {
    const hostile = 'evil.example:666';
    const headers = { host: hostile, 'x-forwarded-host': hostile, 'x-forwarded-proto': 'https', authorization: `Bearer ${TOKEN_FLAG}` };
    const gets = ['/', '/v2/', '/v2/models/', `/v2/models/${MODEL}`, '/openapi.json', '/ui', '/api', '/docs/', '/docs'];
    const answers = await Promise.all(gets.map((path) => rawCall(base(), path, { headers })));
    const started = await rawCall(base(), `/v2/models/${MODEL}/train`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"n_estimators": 5}',
    });
    assert.equal(started.status, 201);
    assert.match(String(started.headers['location']), new RegExp(`^/v2/models/${MODEL}/train/[0-9a-f-]{36}$`));
    for (const [i, res] of [...answers, started].entries()) {
      const where = gets[i] ?? 'POST train';
      assert.ok(res.status < 400, `${where}: ${res.status}`);
      assert.equal(JSON.stringify(res.headers).includes('evil.example'), false, `${where}: a header names the Host`);
      assert.equal(res.body.includes('evil.example'), false, `${where}: the body names the Host`);
    }
    assert.deepEqual([answers[5]!.status, answers[5]!.headers['location']], [302, '/docs']);
    const doc = JSON.parse(answers[4]!.body);
    assert.deepEqual(doc.servers, [{ url: base() }], 'the listen address');
    assert.equal(JSON.parse(answers[3]!.body).links[0].href, `/v2/models/${MODEL}`);
  });

  test('/docs is public HTML with its assets from swagger-ui-dist; /ui and /api redirect to it', async () => {
    const page = await rawCall(base(), '/docs');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    for (const asset of page.body.matchAll(/(?:src|href)="([^"]+)"/g)) {
      assert.match(asset[1]!, /^docs\//, 'relative to the server, never a CDN');
      const res = await rawCall(base(), `/${asset[1]}`);
      assert.equal(res.status, 200, asset[1]);
    }
    for (const path of ['/ui', '/api', '/UI']) {
      const res = await rawCall(base(), path);
      assert.deepEqual([res.status, res.headers['location']], [302, '/docs'], path);
    }
  });
});

describe('model server behind a proxy (--base-url)', { timeout: 60_000 }, () => {
  let server!: StartedServer;
  before(async () => {
    server = await starting.baseUrl;
  });

  test('links, Location and the OpenAPI server URL start with the base URL, whatever the Host', async () => {
    const headers = { host: 'evil.example', authorization: `Bearer ${TOKEN_FLAG}` };
    const root = JSON.parse((await rawCall(server.url, '/', { headers })).body);
    assert.deepEqual(
      root.links.map((link: { href: string }) => link.href),
      [`${PUBLIC_BASE}/openapi.json`, `${PUBLIC_BASE}/openapi.json`],
    );
    assert.equal(root.versions[0].links[0].href, `${PUBLIC_BASE}/v2/`);
    const meta = JSON.parse((await rawCall(server.url, `/v2/models/${MODEL}`, { headers })).body);
    assert.equal(meta.links[0].href, `${PUBLIC_BASE}/v2/models/${MODEL}`);
    const doc = JSON.parse((await rawCall(server.url, '/openapi.json', { headers })).body);
    assert.deepEqual(doc.servers, [{ url: PUBLIC_BASE }]);
    assert.equal((await rawCall(server.url, '/ui', { headers })).headers['location'], `${PUBLIC_BASE}/docs`);
  });
});

describe('model server command line', { timeout: 90_000 }, () => {
  test('a mistyped or unknown argument stops the server with exit code 2, the reason, a did-you-mean and the usage', async () => {
    // Rows: the command line, what the first stderr line must say. The token is never repeated.
    const cases: Array<[string[], RegExp]> = [
      [['--auth-bearer-tokn', TOKEN_FLAG], /^model server: unknown option --auth-bearer-tokn \(did you mean --auth-bearer-token\?\)$/],
      [['--auth_bearer_token', TOKEN_FLAG], /unknown option --auth_bearer_token \(did you mean --auth-bearer-token\?\)$/],
      [[`--auth-bearer-token-fil=${TOKEN_FLAG}`], /unknown option --auth-bearer-token-fil \(did you mean --auth-bearer-token-file\?\)$/],
      [['--auth-bearer-token', TOKEN_FLAG, '--listen-prot', '5000'], /unknown option --listen-prot \(did you mean --listen-port\?\)$/],
      [['--auth-bearer-token', TOKEN_FLAG, '--config-fle', 'x.ini'], /unknown option --config-fle \(did you mean --config-file\?\)$/],
      [['--auth-bearer-token', TOKEN_FLAG, '--verbose'], /unknown option --verbose$/],
      [[TOKEN_FLAG], /unexpected argument #1 /],
      [['--auth-bearer-token', TOKEN_FLAG, '--listen-port', 'http'], /--listen-port must be an integer/],
      [['--auth-bearer-token', TOKEN_FLAG, '--base-url', 'ftp://models.example.org'], /--base-url must be an http or https URL/],
    ];
    for (const [args, message] of cases) {
      const run = runServer(args, cleanEnv());
      const where = args.join(' ').replace(TOKEN_FLAG, 'TOKEN');
      assert.deepEqual(await exitWithin(run, 15_000), { code: 2, signal: null }, where);
      assert.equal(run.stdout(), '', where);
      assert.match(run.stderr().split('\n')[0]!, message, where);
      assert.match(run.stderr(), /\nUsage: npm start -- \[options\]/, where);
      assert.match(run.stderr(), / {2}--auth-bearer-token VALUE +The single bearer token/, where);
      assert.equal(run.stderr().includes(TOKEN_FLAG), false, `${where}: the token was repeated`);
    }
  });

  test('--help prints the usage on stdout and exits 0', async () => {
    const run = runServer(['--help'], cleanEnv());
    assert.deepEqual(await exitWithin(run, 15_000), { code: 0, signal: null });
    assert.match(run.stdout(), /^Usage: npm start -- \[options\]/);
    for (const flag of ['--listen-ip IP', '--listen-port PORT', '--base-url URL', '--auth-bearer-token-file VALUE', '--auth-keys-file VALUE', '--config-file VALUE', '--auth-required ']) {
      assert.ok(run.stdout().includes(flag), flag);
    }
    assert.equal(run.stderr(), '');
  });
});
