// Every client-side command run for real against the example model server (single-token setup), also run for real.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StartedServer } from '../helpers/example-server.js';
import { ClientHome, startExample } from '../client/helpers.js';
import { hasStackTrace, ROOT, TempDirs, type CliResult } from './helpers.js';

const TOKEN = randomBytes(32).toString('base64url');
const MASKED = `…${TOKEN.slice(-4)}`;
const CSV = path.join(ROOT, 'examples/model-server/flowers.csv');
const IDENTITY = { id: 'token', name: 'token', family: 'service', scopes: ['*'], expires_at: null };
const tmp = new TempDirs();
let server: StartedServer;
let home: ClientHome;
const record: CliResult[] = [];

before(async () => {
  server = await startExample([], { DEEPAAS_AUTH_BEARER_TOKEN: TOKEN });
  home = new ClientHome(tmp, record);
});
after(async () => {
  await server?.stop();
  tmp.cleanup();
});

const ok = (r: CliResult): CliResult => {
  assert.equal(r.code, 0, `bearer-guard ${r.args.join(' ')}: ${r.stderr}`);
  return r;
};

describe('single-token setup, one command after another', () => {
  test('login: the first context becomes current; the output names the context written and the current one', async () => {
    const r = ok(await home.login(server.url, TOKEN));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /token from stdin accepted by http:\/\/127\.0\.0\.1:\d+: key token \(family service, scopes \*, expires never\)/);
    assert.match(r.stderr, new RegExp(`saved context "default" \\(token ${MASKED}\\) in `));
    assert.match(r.stderr, /current context: "default"\n/);
    const data = home.read();
    assert.equal(data.current, 'default');
    assert.deepEqual(data.contexts.default!.identity, IDENTITY);
    assert.equal(data.contexts.default!.token, TOKEN);
    assert.equal(data.contexts.default!.endpoint, server.url);
  });

  test('login --context staging keeps the current context, and says how to switch', async () => {
    const r = ok(await home.login(server.url, TOKEN, '--context', 'staging', '--json'));
    assert.match(r.stderr, /current context: "default" \(unchanged\); switch with bearer-guard context use staging/);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(json, { context: 'staging', endpoint: server.url, token: MASKED, identity: IDENTITY, checked_with: 'whoami', current: 'default', file: home.file });
  });

  test('login --context prod --use makes it current', async () => {
    const r = ok(await home.login(server.url, TOKEN, '--context', 'prod', '--use'));
    assert.match(r.stderr, /current context: "prod"\n/);
    assert.equal(home.read().current, 'prod');
  });

  test('context list marks the current context and masks every token', async () => {
    const text = ok(await home.cli(['context', 'list']));
    const lines = text.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /NAME\s+ENDPOINT\s+TOKEN\s+IDENTITY\s+SAVED/);
    assert.match(lines[1]!, /^\s+default\s/);
    assert.match(lines[2]!, /^\*\s+prod\s/);
    assert.match(lines[3]!, /^\s+staging\s/);
    for (const l of lines.slice(1)) assert.ok(l.includes(MASKED));
    const json = JSON.parse(ok(await home.cli(['context', 'list', '--json'])).stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(json.map((c) => [c.name, c.current, c.token, c.endpoint]), [
      ['default', false, MASKED, server.url],
      ['prod', true, MASKED, server.url],
      ['staging', false, MASKED, server.url],
    ]);
  });

  test('context current: the name on stdout, details masked; --json; --show-token alone shows the token', async () => {
    const r = ok(await home.cli(['context', 'current']));
    assert.equal(r.stdout, 'prod\n');
    assert.match(r.stderr, /from context "prod" \(the current context\)/);
    assert.match(r.stderr, new RegExp(`token: ${MASKED}\n`));
    const json = JSON.parse(ok(await home.cli(['context', 'current', '--json'])).stdout) as Record<string, unknown>;
    assert.deepEqual(json, { context: 'prod', source: 'current', endpoint: server.url, token: MASKED, identity: IDENTITY });
    const shown = JSON.parse(ok(await home.cli(['context', 'current', '--json', '--show-token'])).stdout) as Record<string, unknown>;
    assert.equal(shown.token, TOKEN);
    const bare = ok(await home.cli(['context', 'current', '--show-token']));
    assert.equal(bare.stdout, `${TOKEN}\n`, 'the token alone, for TOKEN=$(...)');
    assert.ok(!bare.stderr.includes(TOKEN));
  });

  test('context use, rename (current follows), delete; unknown names list the known ones', async () => {
    ok(await home.cli(['context', 'use', 'staging']));
    assert.equal(home.read().current, 'staging');
    ok(await home.cli(['context', 'rename', 'staging', 'stage2']));
    assert.equal(home.read().current, 'stage2');
    const clash = await home.cli(['context', 'rename', 'stage2', 'prod']);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /a context "prod" already exists/);
    for (const args of [['context', 'use', 'nope'], ['context', 'delete', 'nope'], ['context', 'rename', 'nope', 'x'], ['call', '--context', 'nope', 'GET', '/v2/models/']]) {
      const r = await home.cli(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, /no context "nope"; known contexts: default, prod, stage2\n/, args.join(' '));
    }
    const bad = await home.cli(['context', 'use', '../x']);
    assert.equal(bad.code, 2);
    ok(await home.cli(['context', 'delete', 'stage2']));
    assert.equal(home.read().current, null);
    assert.deepEqual(Object.keys(home.read().contexts).sort(), ['default', 'prod']);
    ok(await home.cli(['context', 'use', 'prod']));
  });

  test('call: body on stdout, status on stderr, exit 1 on 4xx', async () => {
    const list = ok(await home.cli(['call', 'GET', '/v2/models/']));
    assert.equal((JSON.parse(list.stdout) as { models: Array<{ id: string }> }).models[0]!.id, 'iris-rf');
    assert.equal(list.stderr, 'HTTP 200 OK\n');
    const json = ok(await home.cli(['call', 'POST', '/v2/models/iris-rf/predict', '--data', '{"data":[[5.1,3.5,1.4,0.2]]}']));
    assert.equal((JSON.parse(json.stdout) as { status: string }).status, 'OK');
    const form = ok(await home.cli(['call', 'post', '/v2/models/iris-rf/predict', '--form', `data=@${CSV}`, '--header', 'X-Request-Id: abc']));
    assert.equal((JSON.parse(form.stdout) as { predictions: unknown[] }).predictions.length, 6);
    const missing = await home.cli(['call', 'GET', '/v2/models/nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /Model not found/);
    assert.match(missing.stderr, /^HTTP 404 Not Found\n/);
    for (const args of [['call', 'GET', 'v2/models/'], ['call', 'GET', 'http://elsewhere/'], ['call', 'GET', '/x', '--data', '{bad'], ['call', 'GET', '/x', '--header', 'Authorization: Bearer x'], ['call', 'G T', '/x']]) {
      assert.equal((await home.cli(args)).code, 2, args.join(' '));
    }
  });

  test('predict MODEL --file uploads the multipart field data', async () => {
    const r = ok(await home.cli(['predict', 'iris-rf', '--file', CSV]));
    const body = JSON.parse(r.stdout) as { status: string; predictions: unknown[] };
    assert.equal(body.status, 'OK');
    assert.equal(body.predictions.length, 6);
    const unknown = await home.cli(['predict', 'nope', '--file', CSV]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /HTTP 404/);
    assert.equal((await home.cli(['predict', 'iris-rf', '--file', '/no/such.csv'])).code, 2);
  });

  test('status: every context valid, exit 0; --json', async () => {
    const r = ok(await home.cli(['status']));
    assert.match(r.stdout, /\*\s+prod\s+\S+\s+\S+\s+valid\s+key token/);
    const json = JSON.parse(ok(await home.cli(['status', '--json'])).stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(json.map((s) => [s.context, s.state, s.in_use, s.token]), [['default', 'valid', false, MASKED], ['prod', 'valid', true, MASKED]]);
  });

  test('logout removes the current context, --context another, --all the rest; then status exits 1', async () => {
    const r = ok(await home.cli(['logout']));
    assert.match(r.stderr, /removed context "prod"; the token itself stays valid on the server until revoked/);
    assert.match(r.stderr, /there is no current context now/);
    assert.equal((await home.cli(['logout'])).code, 1);
    ok(await home.login(server.url, TOKEN, '--context', 'other'));
    ok(await home.cli(['logout', '--context', 'other']));
    assert.deepEqual(Object.keys(home.read().contexts), ['default']);
    assert.equal((await home.cli(['logout', '--all', '--context', 'x'])).code, 2);
    ok(await home.cli(['logout', '--all']));
    assert.deepEqual(home.read(), { version: 1, current: null, contexts: {} });
    const status = await home.cli(['status']);
    assert.equal(status.code, 1);
    assert.match(status.stderr, /no credentials: run bearer-guard login/);
  });
});

test('--help works on every client command', async () => {
  const commands = [['login'], ['logout'], ['status'], ['call'], ['predict'], ['context'], ['context', 'list'], ['context', 'current'], ['context', 'use'], ['context', 'rename'], ['context', 'delete']];
  for (const c of commands) {
    const r = await home.cli([...c, '--help']);
    assert.equal(r.code, 0, c.join(' '));
    assert.match(r.stdout, new RegExp(`^Usage: bearer-guard ${c.join(' ')}`), c.join(' '));
  }
});

test('no run printed a stack trace, and no run had the token in its arguments', () => {
  assert.ok(record.length > 40);
  for (const r of record) {
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
    assert.ok(!r.args.some((a) => a.includes(TOKEN.slice(0, 12))), r.args.join(' '));
  }
});
