// The example server turns the throttle on by default and says so in its start-up line; --no-auth-throttle and the env var turn it off.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { call, cleanEnv, startServer, type StartedServer } from '../helpers/example-server.js';
import { tokenFor } from '../helpers/config-fixtures.js';

const TOKEN = tokenFor('example');
const WRONG = tokenFor('guess');
const servers: StartedServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});

async function start(args: string[], env: Record<string, string> = {}): Promise<StartedServer> {
  const server = await startServer(['--auth-bearer-token', TOKEN, ...args], cleanEnv(env));
  servers.push(server);
  return server;
}

const firstLine = (s: StartedServer): string => s.stdout().split('\n')[0]!;

describe('example server: the throttle', { timeout: 60_000 }, () => {
  const cases: Array<{ name: string; args: string[]; env?: Record<string, string>; line: RegExp; blocks: boolean }> = [
    { name: 'on by default, with the defaults', args: [], line: / \(throttle: 50 failures\/60 s per IP, 300 s block\)$/, blocks: false },
    { name: 'its numbers from flags and env vars', args: ['--auth-throttle-failures', '2'], env: { DEEPAAS_AUTH_THROTTLE_BLOCK_SECONDS: '30' }, line: / \(throttle: 2 failures\/60 s per IP, 30 s block\)$/, blocks: true },
    { name: 'off with --no-auth-throttle', args: ['--no-auth-throttle', '--auth-throttle-failures', '2'], line: / \(throttle off\)$/, blocks: false },
    { name: 'off with DEEPAAS_AUTH_THROTTLE=false', args: ['--auth-throttle-failures', '2'], env: { DEEPAAS_AUTH_THROTTLE: 'false' }, line: / \(throttle off\)$/, blocks: false },
  ];
  for (const c of cases) {
    test(`${c.name}: says so in its start-up line${c.blocks ? ', and blocks the 4th request after 3 failures' : ', and does not block after 3 failures'}`, async () => {
      const server = await start(c.args, c.env);
      assert.match(firstLine(server), /^model server listening on http:\/\/127\.0\.0\.1:\d+ /);
      assert.match(firstLine(server), c.line);
      for (let i = 0; i < 3; i++) assert.equal((await call(server.url, '/v2/models/', { token: WRONG })).status, 401);
      const res = await call(server.url, '/v2/models/', { token: TOKEN });
      if (!c.blocks) {
        assert.equal(res.status, 200);
        return;
      }
      assert.deepEqual([res.status, res.body, res.headers.get('cache-control')], [429, { detail: 'Too many failed attempts', error: 'rate_limited' }, 'no-store']);
      assert.match(res.headers.get('retry-after') ?? '', /^([1-9]|[12]\d|30)$/);
      assert.equal((await call(server.url, '/v2/', {})).status, 200, 'public paths stay open');
      await server.stop();
      const audit = server.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { reason: string; status: number });
      assert.deepEqual(audit.filter((e) => e.reason === 'throttled').map((e) => e.status), [429]);
      assert.deepEqual(server.stderr().split('\n').filter((l) => l.includes('throttle')), ['bearer-guard: throttle: 127.0.0.1 reached 3 failed attempts within 60 s and is blocked for 30 s (429)']);
      for (const t of [TOKEN, WRONG]) assert.equal(server.stdout().includes(t) || server.stderr().includes(t), false);
    });
  }
});
