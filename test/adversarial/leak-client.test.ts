/**
 * Leak audit of the client side ("Secrets stay secret"): every client command run for real with
 * known tokens (leak/needles.ts: TOKEN accepted, WRONG refused, PLAIN pasted where names and paths
 * go), on success and failure paths, with --json and without; and every error the client throws.
 * Neither stdout nor stderr of any run, nor any view of an error (message, stack, inspect with
 * showHidden, JSON, String, own properties, cause), may hold a 12-character run of any form of
 * any of them. The one exception: `context current --show-token` prints the token on stdout.
 * No run's arguments hold a token, except those that test that a token given there is refused.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { inspect } from 'node:util';
import { after, before, test } from 'node:test';
import { createClient } from '../../src/client/index.js';
import { hasStackTrace, ROOT, TempDirs, type CliResult } from '../cli/helpers.js';
import { ClientHome, plainApp, saved, serve, startExample, type Local } from '../client/helpers.js';
import type { StartedServer } from '../helpers/example-server.js';
import { createDetector, forms, PLAIN, TOKEN, WRONG } from './leak/needles.js';

const detector = createDetector([...forms('TOKEN'), ...forms('WRONG'), ...forms('PLAIN')]);
const CSV = path.join(ROOT, 'examples/model-server/flowers.csv');
const tmp = new TempDirs();
const record: CliResult[] = [];
/** Runs whose arguments hold a token on purpose, to check that it is refused without an echo. */
const tokenInArgs = new Set<CliResult>();
let server: StartedServer;
let plain: Local;
let hang: Local;
let refused: string;
let home: ClientHome;

before(async () => {
  server = await startExample([], { DEEPAAS_AUTH_BEARER_TOKEN: TOKEN });
  plain = await plainApp({ token: TOKEN });
  hang = await serve(createServer(() => undefined));
  const gone = await serve(createServer());
  gone.close();
  refused = gone.url;
  home = new ClientHome(tmp, record);
});
after(async () => {
  plain?.close();
  hang?.close();
  await server?.stop();
  tmp.cleanup();
});

test('every client command, on every path, shows no token', async () => {
  const cli = (args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> => home.cli(args, options);
  const url = server.url;
  const tokenFile = path.join(tmp.make(), 'token.txt');
  fs.writeFileSync(tokenFile, `${TOKEN}\n`);
  // login: every source, success and failure.
  assert.equal((await home.login(url, TOKEN)).code, 0);
  assert.equal((await home.login(url, TOKEN, '--context', 'second', '--json')).code, 0);
  assert.equal((await cli(['login', '--token-file', tokenFile, '--endpoint', url, '--context', 'fromfile'])).code, 0);
  assert.equal((await cli(['login', '--endpoint', url, '--context', 'fromenv'], { env: { BEARER_GUARD_TOKEN: TOKEN } })).code, 0);
  assert.equal((await cli(['login', '--with-token', '--endpoint', plain.url, '--context', 'plainapp'], { input: TOKEN })).code, 0);
  for (const [endpoint, token, extra] of [[url, WRONG, []], [plain.url, WRONG, []], [refused, TOKEN, []], [hang.url, TOKEN, ['--timeout', '0.5']]] as const) {
    assert.equal((await home.login(endpoint, token, ...extra)).code, 1);
  }
  tokenInArgs.add(await home.login(`${url}/${PLAIN}`, TOKEN));
  await cli(['login', '--with-token', '--endpoint', url], { input: `${TOKEN}\n${WRONG}\n` });
  await cli(['login', '--with-token', '--endpoint', url], { input: `${TOKEN} ${WRONG}` });
  for (const args of [['login', '--token', TOKEN], [`login`, `--token=${PLAIN}`], ['login', PLAIN], ['login', '--context', PLAIN], ['login', '--endpoint', TOKEN], ['login', '--endpoint', PLAIN], ['login', '--token-file', path.join(tmp.make(), PLAIN)], ['context', 'use', PLAIN], ['context', 'delete', TOKEN], ['context', 'rename', PLAIN, 'x'], ['call', '--context', PLAIN, 'GET', '/v2/models/'], ['logout', '--context', PLAIN], ['call', 'GET', `/v2/models/?k=${PLAIN}`, '--header', `X-Key ${TOKEN}`], ['call', 'GET', '/x', '--header', `Authorization: Bearer ${TOKEN}`], ['call', 'POST', '/x', '--data', `{${TOKEN}`]]) {
    tokenInArgs.add(await cli(args, { input: `${TOKEN}\n` }));
  }
  // Contexts: list, current, use, rename, delete; a refused token and an unreachable server.
  const data = home.read();
  home.write({ ...data, contexts: { ...data.contexts, wrong: saved(url, WRONG), down: saved(refused, PLAIN) } });
  for (const args of [['context', 'list'], ['context', 'list', '--json'], ['context', 'current'], ['context', 'current', '--json'], ['context', 'use', 'second'], ['context', 'rename', 'second', 'two'], ['context', 'use', 'nope'], ['status'], ['status', '--json']]) {
    await cli(args);
  }
  // call and predict, with the token accepted and refused.
  for (const args of [['call', 'GET', '/v2/models/'], ['call', 'GET', '/v2/auth/whoami'], ['call', 'POST', '/v2/models/iris-rf/predict', '--data', '{"data":[[5.1,3.5,1.4,0.2]]}'], ['call', 'POST', '/v2/models/iris-rf/predict', '--form', `data=@${CSV}`], ['call', '--context', 'wrong', 'GET', '/v2/models/'], ['call', '--context', 'down', 'GET', '/v2/models/'], ['predict', 'iris-rf', '--file', CSV], ['predict', 'iris-rf', '--file', CSV, '--context', 'wrong'], ['call', '--context', 'plainapp', 'GET', '/v2/auth/whoami']]) {
    await cli(args);
  }
  // Env credentials: used, overridden by --context, incomplete, conflicting.
  const envs: Array<Record<string, string>> = [
    { BEARER_GUARD_TOKEN: TOKEN, BEARER_GUARD_ENDPOINT: url },
    { BEARER_GUARD_TOKEN: WRONG, BEARER_GUARD_ENDPOINT: url },
    { BEARER_GUARD_TOKEN_FILE: tokenFile, BEARER_GUARD_ENDPOINT: url },
    { BEARER_GUARD_TOKEN: TOKEN },
    { BEARER_GUARD_TOKEN: TOKEN, BEARER_GUARD_TOKEN_FILE: tokenFile, BEARER_GUARD_ENDPOINT: url },
    { BEARER_GUARD_TOKEN: `${TOKEN} x`, BEARER_GUARD_ENDPOINT: url },
    { BEARER_GUARD_TOKEN: TOKEN, BEARER_GUARD_ENDPOINT: PLAIN },
    { BEARER_GUARD_TOKEN_FILE: path.join(tmp.make(), TOKEN.replace(/\//g, '_')), BEARER_GUARD_ENDPOINT: url },
    { BEARER_GUARD_CONTEXT: PLAIN },
  ];
  for (const env of envs) {
    for (const args of [['call', 'GET', '/v2/auth/whoami'], ['call', '--context', 'two', 'GET', '/v2/models/'], ['status', '--json'], ['context', 'current', '--json'], ['login', '--endpoint', url, '--context', 'envlogin']]) await cli(args, { env });
  }
  // logout, then a corrupt file holding the token.
  await cli(['logout', '--context', 'wrong']);
  await cli(['logout']);
  await cli(['logout', '--all']);
  home.write(`{"version":1,"current":null,"contexts":{"a":{"endpoint":"${url}","token":"${TOKEN}"`);
  for (const args of [['context', 'list'], ['status'], ['context', 'current', '--show-token'], ['login', '--with-token', '--endpoint', url]]) await cli(args, { input: TOKEN });
  home.write({ version: 1, current: 'a', contexts: { a: saved(url, TOKEN) } });
  const shown = await cli(['context', 'current', '--show-token']);

  assert.ok(record.length > 90, `${record.length} runs`);
  const leaks: string[] = [];
  for (const r of record) {
    const where = `bearer-guard ${r.args.join(' ')}`.replace(/[^\s]{12,}/g, (w) => (detector.scan(w).length > 0 ? '<secret>' : w));
    const out = r === shown ? r.stderr : r.stdout + r.stderr;
    for (const f of detector.scan(out)) leaks.push(`${where}: ${f.secret} (${f.form}) in …${f.context}…`);
    if (!tokenInArgs.has(r) && detector.scan(r.args.join(' ')).length > 0) leaks.push(`${where}: a token in argv`);
    if (hasStackTrace(r.stderr)) leaks.push(`${where}: a stack trace`);
  }
  assert.deepEqual(leaks, []);
  assert.ok(shown.stdout.includes(TOKEN), 'the planted exception is seen: --show-token prints the token');
  assert.ok(detector.scan(shown.stdout).length > 0, 'the detector finds it there');
});

test("the client's errors never hold a token, in any view", async () => {
  const env = { BEARER_GUARD_CONFIG_DIR: tmp.make(), HOME: tmp.make() };
  const attempts: Array<() => unknown> = [
    () => createClient({ endpoint: server.url, token: WRONG }).whoami(),
    () => createClient({ endpoint: server.url, token: WRONG }).predict('iris-rf', { file: CSV }),
    () => createClient({ endpoint: refused, token: TOKEN }).whoami(),
    () => createClient({ endpoint: hang.url, token: TOKEN, timeoutMs: 300 }).whoami(),
    () => createClient({ endpoint: plain.url, token: TOKEN }).whoami(),
    () => createClient({ endpoint: `${server.url}/${PLAIN}`, token: TOKEN }).whoami(),
    () => createClient({ endpoint: server.url, token: TOKEN }).fetch(`https://elsewhere.example/${PLAIN}`),
    () => createClient({ endpoint: server.url, token: TOKEN }).predict(PLAIN, { data: [] }),
    () => createClient({ endpoint: server.url, token: TOKEN }).predict('iris-rf', { file: path.join(tmp.make(), PLAIN) }),
    () => createClient({ endpoint: TOKEN, token: TOKEN }),
    () => createClient({ endpoint: `http://${PLAIN}:x@127.0.0.1/`, token: TOKEN }),
    () => createClient({ endpoint: server.url, token: `${TOKEN} ${WRONG}` }),
    () => createClient({ token: TOKEN }),
    () => createClient({ context: PLAIN, env }),
    () => createClient({ context: TOKEN, env }),
    () => createClient({ env: { ...env, BEARER_GUARD_TOKEN: TOKEN } }),
    () => createClient({ env: { ...env, BEARER_GUARD_TOKEN: `${TOKEN}\n`, BEARER_GUARD_ENDPOINT: server.url } }),
    () => createClient({ env: { ...env, BEARER_GUARD_CONTEXT: PLAIN } }),
    () => createClient({ env: { ...env, BEARER_GUARD_TOKEN: TOKEN, BEARER_GUARD_ENDPOINT: WRONG } }),
  ];
  const leaks: string[] = [];
  let failed = 0;
  for (const [i, attempt] of attempts.entries()) {
    let err: unknown;
    try {
      await attempt();
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error, `attempt ${i} failed`);
    failed++;
    const e = err as Error & Record<string, unknown>;
    const views = [e.message, String(e.stack), inspect(e, { showHidden: true, depth: 10 }), JSON.stringify(e), String(e), ...Object.getOwnPropertyNames(e).map((k) => String(e[k])), inspect(e.cause, { showHidden: true, depth: 10 })];
    for (const f of detector.scan(views.join('\n'))) leaks.push(`attempt ${i} (${e.name} ${String(e.code)}): ${f.secret} (${f.form}) in …${f.context}…`);
  }
  assert.equal(failed, attempts.length);
  assert.deepEqual(leaks, []);
});
