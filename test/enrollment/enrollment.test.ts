// Enrollment end to end over HTTP against real servers and a real keys file: one-time tokens, atomic use, the runtime key at once.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, afterEach, describe, mock, test } from 'node:test';
import { writeKeysFile } from '../helpers/keys.js';
import { makeKey } from '../helpers/keys.js';
import { enroll, ENROLL_PATH, getStatus, makeEnrollKey, readEntries, startEnrollServer, tempKeysFile, type EnrollServer } from '../helpers/enrollment.js';

const USED = { detail: 'Enrollment token already used', error: 'invalid_token' };
const INVALID = { detail: 'Invalid bearer token', error: 'invalid_token' };
const cleanups: Array<() => void> = [];
after(() => cleanups.forEach((c) => c()));

/** A keys file holding `entries`, and a server on it (options override). */
async function setup(entries: Parameters<typeof writeKeysFile>[1], options = {}): Promise<{ file: string; s: EnrollServer }> {
  const tmp = tempKeysFile();
  writeKeysFile(tmp.file, entries);
  const s = await startEnrollServer(tmp.file, options);
  cleanups.push(() => s.close(), tmp.remove);
  return { file: tmp.file, s };
}

describe('enrollment', () => {
  test('a single-use token under 20 concurrent enrollments gives exactly one 201; the others 401 "already used"', async () => {
    const token = makeEnrollKey();
    const { file, s } = await setup([token.entry]);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => enroll(s.url, token.token, JSON.stringify({ name: `edge-${i}` }))));
    const created = results.filter((r) => r.status === 201);
    assert.equal(created.length, 1, results.map((r) => r.status).join(','));
    for (const r of results.filter((x) => x.status !== 201)) {
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, USED);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="api", error="invalid_token"');
    }
    const agents = readEntries(file).filter((e) => e.family === 'agent');
    assert.equal(agents.length, 1);
    assert.equal(readEntries(file).find((e) => e.id === token.entry.id)!.used, 1);
    assert.deepEqual(s.events.filter((e) => e.reason === 'enrollment_used').length, 19);
    assert.deepEqual(s.hits, []);
  });

  test('201: no-store, the agent key with the token\'s environment and granted scopes, stored as family agent, working at once', async () => {
    const token = makeEnrollKey({ grant_scopes: ['models:predict', 'models:read'] });
    const { file, s } = await setup([token.entry]);
    const r = await enroll(s.url, token.token, '{"name":"edge-01"}');
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(Object.keys(r.json), ['agent_id', 'api_key', 'environment', 'scopes', 'name']);
    assert.match(r.json.agent_id as string, /^agt_[a-z]{12}$/);
    assert.match(r.json.api_key as string, /^bga_[0-9A-Za-z]{49}$/);
    assert.deepEqual([r.json.environment, r.json.scopes, r.json.name], ['prod', ['models:predict', 'models:read'], 'edge-01']);
    const stored = readEntries(file).find((e) => e.agent_id === r.json.agent_id)!;
    assert.deepEqual([stored.family, stored.name, stored.environment, stored.enrolled_by, stored.scopes, stored.expires_at], ['agent', 'edge-01', 'prod', token.entry.id, ['models:predict', 'models:read'], undefined]);
    // At once: the very next request with the new key is let in, as the agent.
    const me = await fetch(`${s.url}/v2/models/`, { headers: { Authorization: `Bearer ${r.json.api_key as string}` } });
    assert.equal(me.status, 200);
    const auth = ((await me.json()) as { auth: Record<string, unknown> }).auth;
    assert.deepEqual([auth.id, auth.family, auth.agentId, auth.environment], [stored.id, 'agent', r.json.agent_id, 'prod']);
    const enrolled = s.events.find((e) => e.reason === 'enrolled')!;
    assert.deepEqual([enrolled.outcome, enrolled.status, enrolled.key_id, enrolled.family, enrolled.agent_id, enrolled.new_key_id], ['allow', 201, token.entry.id, 'enroll', r.json.agent_id, stored.id]);
  });

  test('without a body the agent is named by its id', async () => {
    const token = makeEnrollKey();
    const { s } = await setup([token.entry]);
    const r = await enroll(s.url, token.token);
    assert.equal(r.status, 201);
    assert.equal(r.json.name, r.json.agent_id);
  });

  test('--uses 3: three agents, then "already used"; each agent key is its own', async () => {
    const token = makeEnrollKey({ uses: 3 });
    const { file, s } = await setup([token.entry]);
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await enroll(s.url, token.token, `{"name":"edge-${i}"}`);
      assert.equal(r.status, 201);
      keys.push(r.json.api_key as string);
    }
    const fourth = await enroll(s.url, token.token);
    assert.deepEqual([fourth.status, fourth.json], [401, USED]);
    assert.equal(new Set(keys).size, 3);
    assert.equal(readEntries(file).find((e) => e.id === token.entry.id)!.used, 3);
    for (const key of keys) assert.equal(await getStatus(s.url, '/v2/models/', key), 200);
  });

  describe('expiry, with a fake clock', () => {
    afterEach(() => mock.timers.reset());
    test('accepted until the expiry instant, "Bearer token expired" from then on', async () => {
      const now = Date.now();
      const token = makeEnrollKey({ uses: 5 }, now);
      const { s } = await setup([token.entry]);
      mock.timers.enable({ apis: ['Date'], now: now + 3_600_000 - 1 });
      assert.equal((await enroll(s.url, token.token)).status, 201);
      mock.timers.tick(1);
      const r = await enroll(s.url, token.token);
      assert.deepEqual([r.status, r.json], [401, { detail: 'Bearer token expired', error: 'invalid_token' }]);
      assert.equal(s.events.at(-1)!.reason, 'expired');
    });
  });

  test('the wrong environment: 401 invalid_token, audit wrong_environment, at the enrollment path and for keys bound elsewhere', async () => {
    const staging = makeEnrollKey({ environment: 'staging' });
    const prodUser = makeKey('user', { environment: 'prod' });
    const stagingUser = makeKey('user', { environment: 'staging' });
    const anywhere = makeKey('user');
    const { s } = await setup([staging.entry, prodUser.entry, stagingUser.entry, anywhere.entry]);
    const r = await enroll(s.url, staging.token);
    assert.deepEqual([r.status, r.json], [401, INVALID]);
    assert.equal(s.events.at(-1)!.reason, 'wrong_environment');
    assert.equal(await getStatus(s.url, '/v2/models/', prodUser.token), 200);
    assert.equal(await getStatus(s.url, '/v2/models/', stagingUser.token), 401);
    assert.equal(s.events.at(-1)!.reason, 'wrong_environment');
    assert.equal(await getStatus(s.url, '/v2/models/', anywhere.token), 200);
    // A server with no environment accepts only keys without one.
    const tmp = tempKeysFile();
    writeKeysFile(tmp.file, [prodUser.entry, anywhere.entry]);
    const bare = await startEnrollServer(tmp.file, { environment: undefined, enrollment: undefined });
    cleanups.push(() => bare.close(), tmp.remove);
    assert.equal(await getStatus(bare.url, '/v2/models/', prodUser.token), 401);
    assert.equal(await getStatus(bare.url, '/v2/models/', anywhere.token), 200);
  });

  test('the wrong family: 403 at the enrollment path, and an enrollment token anywhere else is 401 wrong_family', async () => {
    const token = makeEnrollKey();
    const service = makeKey('service');
    const agent = makeKey('agent', { agent_id: 'agt_abcdefghijkl' });
    const { s } = await setup([token.entry, service.entry, agent.entry]);
    for (const other of [service, agent]) {
      const r = await enroll(s.url, other.token);
      assert.equal(r.status, 403);
      assert.equal(r.text, '{"detail":"Enrollment requires an enrollment token","error":"insufficient_scope","scope":"agent:enroll"}');
      assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="api", error="insufficient_scope", scope="agent:enroll"');
      assert.deepEqual([s.events.at(-1)!.reason, s.events.at(-1)!.scope], ['insufficient_scope', 'agent:enroll']);
    }
    for (const path of ['/v2/models/', '/people-only', '/v2/agents/x', '/nowhere']) {
      assert.equal(await getStatus(s.url, path, token.token), 401, path);
      assert.equal(s.events.at(-1)!.reason, 'wrong_family');
    }
    assert.deepEqual(s.hits, []);
    // The token was never used up by any of this.
    assert.equal((await enroll(s.url, token.token)).status, 201);
  });

  test('bodies: over 1 KiB is 413 (declared or chunked), a bad name or body 400, other methods 405; none uses the token', async () => {
    const token = makeEnrollKey();
    const { file, s } = await setup([token.entry]);
    const big = JSON.stringify({ name: 'x'.repeat(1100) });
    const declared = await enroll(s.url, token.token, big);
    assert.equal(declared.status, 413);
    assert.equal(declared.headers.get('cache-control'), 'no-store');
    assert.equal((await chunked(s.url, token.token, ['{"name":"', 'a'.repeat(600), 'b'.repeat(600), '"}'])), 413);
    assert.equal(s.events.at(-1)!.reason, 'body_too_large');
    for (const body of ['{"name":""}', `{"name":"${'a'.repeat(65)}"}`, '{"name":"edge 01"}', '{"name":"edge/01"}', '{"name":7}', '{"name":"a","x":1}', '[]', 'name=edge', '{']) {
      const r = await enroll(s.url, token.token, body);
      assert.equal(r.status, 400, body);
      assert.equal(r.json.error, 'invalid_request');
    }
    assert.equal(s.events.at(-1)!.reason, 'invalid_body');
    for (const method of ['GET', 'PUT', 'DELETE', 'HEAD']) {
      const r = await fetch(`${s.url}${ENROLL_PATH}`, { method, headers: { Authorization: `Bearer ${token.token}` } });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get('allow'), 'POST');
    }
    assert.equal(readEntries(file).find((e) => e.id === token.entry.id)!.used, 0);
    assert.equal((await enroll(s.url, token.token, `{"name":"${'a'.repeat(64)}"}`)).status, 201);
    assert.deepEqual(s.hits, []);
  });

  test('a second guard watching the same file takes the new key without a restart, and the two share one use atomically', async () => {
    const token = makeEnrollKey();
    const { file, s } = await setup([token.entry]);
    const other = await startEnrollServer(file);
    cleanups.push(() => other.close());
    const both = await Promise.all(Array.from({ length: 20 }, (_, i) => enroll(i % 2 === 0 ? s.url : other.url, token.token)));
    assert.equal(both.filter((r) => r.status === 201).length, 1, both.map((r) => r.status).join(','));
    const key = both.find((r) => r.status === 201)!.json.api_key as string;
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && (status = await getStatus(other.url, '/v2/models/', key)) !== 200) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200);
    assert.equal(await getStatus(s.url, '/v2/models/', key), 200);
  });

  test('revoking the enrollment token leaves its agents working; revoking one agent affects only that agent', async () => {
    const token = makeEnrollKey({ uses: 3 });
    const { file, s } = await setup([token.entry]);
    const a = await enroll(s.url, token.token, '{"name":"a"}');
    const b = await enroll(s.url, token.token, '{"name":"b"}');
    const entries = readEntries(file);
    const now = new Date().toISOString();
    writeKeysFile(file, entries.map((e) => (e.id === token.entry.id ? { ...e, revoked_at: now } : e)));
    await s.guard.reload();
    const r = await enroll(s.url, token.token);
    assert.deepEqual([r.status, r.json], [401, { detail: 'Bearer token revoked', error: 'invalid_token' }]);
    assert.equal(await getStatus(s.url, '/v2/models/', a.json.api_key as string), 200);
    assert.equal(await getStatus(s.url, '/v2/models/', b.json.api_key as string), 200);
    writeKeysFile(file, readEntries(file).map((e) => (e.agent_id === a.json.agent_id ? { ...e, revoked_at: now } : e)));
    await s.guard.reload();
    assert.equal(await getStatus(s.url, '/v2/models/', a.json.api_key as string), 401);
    assert.equal(await getStatus(s.url, '/v2/models/', b.json.api_key as string), 200);
  });
});

/** POSTs `parts` chunked (no Content-Length); resolves to the status. */
function chunked(base: string, token: string, parts: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${ENROLL_PATH}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    for (const p of parts) req.write(p);
    req.end();
  });
}
