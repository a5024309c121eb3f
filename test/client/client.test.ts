// createClient() against the example model server, run for real: fetch, whoami, predict, and a typed error for each failure.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import path from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { BearerGuardClientError, createClient, type BearerGuardClient } from '../../src/client/index.js';
import { ROOT, TempDirs } from '../cli/helpers.js';
import type { StartedServer } from '../helpers/example-server.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';
import { serve, startExample, type Local } from './helpers.js';

const CSV = path.join(ROOT, 'examples/model-server/flowers.csv');
const keys = {
  all: makeKey('service', { name: 'all', scopes: ['*'], expires_at: '2099-01-01T00:00:00.000Z' }),
  reader: makeKey('user', { name: 'reader', scopes: ['models:read'] }),
  revoked: makeKey('service', { name: 'gone', revoked_at: '2026-01-01T00:00:00.000Z' }),
  unknown: makeKey('service'),
};
const tmp = new TempDirs();
let server: StartedServer;
let hang: Local;
let refused: string;
const client = (token: string, extra: { timeoutMs?: number; endpoint?: string } = {}): BearerGuardClient => createClient({ endpoint: extra.endpoint ?? server.url, token, timeoutMs: extra.timeoutMs });

before(async () => {
  const keysFile = path.join(tmp.make(), 'keys.json');
  writeKeysFile(keysFile, [keys.all.entry, keys.reader.entry, keys.revoked.entry]);
  server = await startExample(['--auth-keys-file', keysFile]);
  hang = await serve(createServer(() => undefined));
  const gone = await serve(createServer());
  gone.close();
  refused = gone.url;
});
after(async () => {
  hang?.close();
  await server?.stop();
  tmp.cleanup();
});

describe('what a client does', () => {
  test('whoami returns the identity', async () => {
    assert.deepEqual(await client(keys.all.token).whoami(), { id: keys.all.entry.id, name: 'all', family: 'service', scopes: ['*'], expires_at: '2099-01-01T00:00:00.000Z' });
  });

  test('fetch adds the Authorization header (replacing one the caller set) and returns the Response', async () => {
    const res = await client(keys.reader.token).fetch('/v2/models/', { headers: { authorization: 'Bearer nope' } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { models: unknown[] }).models.length, 1);
  });

  test('fetch refuses whole URLs and paths without a leading slash: the token goes only to the endpoint', async () => {
    for (const bad of ['http://elsewhere.example/', '//elsewhere.example/x', 'v2/models/']) {
      await assert.rejects(client(keys.all.token).fetch(bad), { code: 'ERR_INVALID_ARGUMENT' });
    }
  });

  test('predict with a file path, a Blob, or rows as JSON', async () => {
    const c = client(keys.all.token);
    for (const input of [{ file: CSV }, { file: new Blob(['5.1,3.5,1.4,0.2\n']), filename: 'x.csv' }, { data: [[5.1, 3.5, 1.4, 0.2]] }]) {
      const body = (await c.predict('iris-rf', input)) as { status: string; predictions: unknown[] };
      assert.equal(body.status, 'OK');
      assert.ok(body.predictions.length >= 1);
    }
  });
});

describe('a typed error for each failure', () => {
  const CASES: Array<{ name: string; call: () => Promise<unknown>; code: string; extra?: Record<string, unknown>; message: RegExp }> = [
    { name: 'a revoked key', call: () => client(keys.revoked.token).whoami(), code: 'ERR_TOKEN_REJECTED', extra: { status: 401, reason: 'revoked', detail: 'Bearer token revoked' }, message: /refused the token \(401: Bearer token revoked\)/ },
    { name: 'an unknown key', call: () => client(keys.unknown.token).whoami(), code: 'ERR_TOKEN_REJECTED', extra: { reason: 'invalid' }, message: /refused the token \(401: Invalid bearer token\)/ },
    { name: 'a missing scope', call: () => client(keys.reader.token).predict('iris-rf', { file: CSV }), code: 'ERR_FORBIDDEN', extra: { status: 403 }, message: /\/v2\/models\/iris-rf\/predict\/ refused the call \(403: Insufficient scope\): .* it needs the scope models:predict/ },
    { name: 'an unknown model', call: () => client(keys.all.token).predict('nope', { data: [[1, 2, 3, 4]] }), code: 'ERR_HTTP', extra: { status: 404 }, message: /answered 404: Model not found/ },
    { name: 'bad input', call: () => client(keys.all.token).predict('iris-rf', { data: [[1]] }), code: 'ERR_HTTP', extra: { status: 422 }, message: /answered 422/ },
    { name: 'a refused connection', call: () => client(keys.all.token, { endpoint: refused }).whoami(), code: 'ERR_UNREACHABLE', message: /cannot connect to http:\/\/127\.0\.0\.1:\d+: connection refused/ },
    { name: 'a timeout', call: () => client(keys.all.token, { endpoint: hang.url, timeoutMs: 300 }).whoami(), code: 'ERR_TIMEOUT', message: /no answer from .* within 0\.3 s/ },
    { name: 'a file that is not there', call: () => client(keys.all.token).predict('iris-rf', { file: '/no/such.csv' }), code: 'ERR_INVALID_ARGUMENT', message: /cannot read the file \/no\/such\.csv: no such file/ },
    { name: 'no input', call: () => client(keys.all.token).predict('iris-rf', {} as never), code: 'ERR_INVALID_ARGUMENT', message: /give \{ file \}/ },
  ];
  for (const c of CASES) {
    test(c.name, async () => {
      await assert.rejects(c.call(), (err: unknown) => {
        assert.ok(err instanceof BearerGuardClientError);
        assert.equal(err.name, 'BearerGuardClientError');
        assert.equal(err.code, c.code);
        assert.match(err.message, c.message);
        for (const [k, v] of Object.entries(c.extra ?? {})) assert.equal((err as unknown as Record<string, unknown>)[k], v, k);
        assert.equal(err.cause, undefined, 'no cause: a network error could carry request headers');
        return true;
      });
    });
  }

  test('createClient checks its options', () => {
    const CASES: Array<[Parameters<typeof createClient>[0], string]> = [
      [{ token: keys.all.token }, 'ERR_NO_ENDPOINT'],
      [{ endpoint: 'http://127.0.0.1:5000' }, 'ERR_INVALID_ARGUMENT'],
      [{ context: 'x', endpoint: 'http://127.0.0.1:5000', token: keys.all.token }, 'ERR_INVALID_ARGUMENT'],
      [{ endpoint: 'http://u:p@127.0.0.1:5000', token: keys.all.token }, 'ERR_INVALID_ENDPOINT'],
      [{ endpoint: 'http://127.0.0.1:5000/?a=1', token: keys.all.token }, 'ERR_INVALID_ENDPOINT'],
      [{ endpoint: 'file:///etc', token: keys.all.token }, 'ERR_INVALID_ENDPOINT'],
      [{ endpoint: 'http://127.0.0.1:5000', token: 'two words' }, 'ERR_INVALID_ARGUMENT'],
      [{ endpoint: 'http://127.0.0.1:5000', token: keys.all.token, timeoutMs: 0 }, 'ERR_INVALID_ARGUMENT'],
    ];
    for (const [options, code] of CASES) assert.throws(() => createClient(options), { code }, JSON.stringify(Object.keys(options ?? {})));
  });
});

test('inspecting or serialising a client never shows its token', () => {
  const c = client(keys.all.token);
  for (const view of [inspect(c, { showHidden: true, depth: 10 }), JSON.stringify(c), String(Object.entries(c))]) {
    assert.ok(!view.includes(keys.all.token.slice(4, 20)), view);
  }
  assert.equal(c.endpoint, server.url);
  assert.equal(c.source, 'options');
});
