// keys create --family enroll, enrollment against a server on the same file, keys list --family agent, and revocation by the CLI.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { enroll, getStatus, startEnrollServer } from '../helpers/enrollment.js';
import { jsonOf, TempDirs } from './helpers.js';
import { byId, KeysSession, near } from './keys-session.js';

const tmp = new TempDirs();
const s = new KeysSession();
after(() => tmp.cleanup());

describe('enrollment tokens from the CLI', () => {
  test('defaults: 1 h, single use, scope agent:enroll, the environment and granted scopes stored', async () => {
    const file = tmp.keysFile();
    const { entry, run } = await s.create(file, '--family', 'enroll', '--name', 'edge-fleet', '--environment', 'prod', '--grant-scope', 'models:predict', '--grant-scope', 'models:read', '--json');
    assert.deepEqual([entry.family, entry.scopes, entry.environment, entry.grant_scopes, entry.uses, entry.used], ['enroll', ['agent:enroll'], 'prod', ['models:predict', 'models:read'], 1, 0]);
    assert.ok(near(entry.expires_at, Date.now() + 3_600_000));
    assert.match(s.issued.at(-1)!.token, /^bge_/);
    const shown = jsonOf<Record<string, unknown>>(run);
    assert.deepEqual([shown.environment, shown.grant_scopes, shown.uses], ['prod', ['models:predict', 'models:read'], 1]);
    assert.match(run.stderr, /family enroll, scopes agent:enroll, environment prod, grants models:predict,models:read, uses 1, expires /);
  });

  test('--uses 3 enrolls three agents over HTTP; keys list --family agent shows each with its token; revoking the token leaves them working', async () => {
    const file = tmp.keysFile();
    const { token, entry } = await s.create(file, '--family', 'enroll', '--name', 'edge-fleet', '--environment', 'prod', '--grant-scope', 'models:predict', '--uses', '3', '--expires', '2h');
    await s.create(file, '--name', 'ci', '--scope', 'models:read');
    const server = await startEnrollServer(file);
    try {
      const agents = [];
      for (const name of ['edge-01', 'edge-02', 'edge-03']) {
        const r = await enroll(server.url, token, JSON.stringify({ name }));
        assert.equal(r.status, 201, r.text);
        agents.push(r.json);
      }
      assert.equal((await enroll(server.url, token)).status, 401);
      assert.equal(byId(file, entry.id).used, 3);

      const list = await s.cli(['keys', 'list', '--family', 'agent', '--keys-file', file, '--json']);
      assert.equal(list.code, 0, list.stderr);
      const shown = jsonOf<Array<Record<string, unknown>>>(list);
      assert.deepEqual(shown.map((k) => [k.name, k.family, k.agent_id, k.enrolled_by, k.environment]), agents.map((a) => [a.name, 'agent', a.agent_id, { id: entry.id, name: 'edge-fleet' }, 'prod']));
      const table = await s.cli(['keys', 'list', '--family', 'agent', '--keys-file', file]);
      assert.match(table.stdout, /^ID +NAME +FAMILY +SCOPES +HINT +CREATED +EXPIRES +STATUS +ENV +ENROLLMENT\n/);
      for (const a of agents) assert.match(table.stdout, new RegExp(`${a.name as string} .* prod +${a.agent_id as string} enrolled by ${entry.id} "edge-fleet"\\n`));
      assert.equal(table.stdout.split('\n').length - 2, 3, 'only agents are listed');
      const tokens = await s.cli(['keys', 'list', '--family', 'enroll', '--keys-file', file]);
      assert.match(tokens.stdout, /used 3\/3, grants models:predict/);

      const revoke = await s.cli(['keys', 'revoke', entry.id, '--keys-file', file]);
      assert.equal(revoke.code, 0, revoke.stderr);
      await server.guard.reload();
      const after = await enroll(server.url, token);
      assert.deepEqual([after.status, after.json.detail], [401, 'Bearer token revoked']);
      for (const a of agents) assert.equal(await getStatus(server.url, '/v2/models/', a.api_key as string), 200);
      // Revoking one agent: only that one stops.
      const one = shown[0]!.id as string;
      assert.equal((await s.cli(['keys', 'revoke', one, '--keys-file', file])).code, 0);
      await server.guard.reload();
      assert.deepEqual(await Promise.all(agents.map((a) => getStatus(server.url, '/v2/models/', a.api_key as string))), [401, 200, 200]);
    } finally {
      server.close();
    }
  });

  test('an enrollment token is not rotated', async () => {
    const file = tmp.keysFile();
    const { entry } = await s.create(file, '--family', 'enroll', '--name', 'edge-fleet', '--environment', 'prod', '--grant-scope', 'models:predict');
    const run = await s.cli(['keys', 'rotate', entry.id, '--keys-file', file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /is an enrollment token, which is not rotated/);
  });

  test('no token leaks into any output', () => s.assertNoLeaks(4));
});
