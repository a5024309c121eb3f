// Help, version and usage errors: --help everywhere exits 0, usage errors exit 2 with a pointer to --help.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { hasStackTrace, ROOT, runCli, TempDirs } from './helpers.js';

const tmp = new TempDirs();
after(() => tmp.cleanup());

describe('--help of every command and group exits 0 and prints its usage on stdout', { concurrency: 2 }, () => {
  const cases: Array<[args: string[], usage: string]> = [
    [['--help'], 'Usage: bearer-guard [options] [command]'],
    [['keys', '--help'], 'Usage: bearer-guard keys'],
    [['keys', 'create', '--help'], 'Usage: bearer-guard keys create'],
    [['keys', 'list', '--help'], 'Usage: bearer-guard keys list'],
    [['keys', 'revoke', '--help'], 'Usage: bearer-guard keys revoke [options] <id>'],
    [['keys', 'rotate', '--help'], 'Usage: bearer-guard keys rotate [options] <id>'],
    [['token', '--help'], 'Usage: bearer-guard token'],
    [['token', 'generate', '--help'], 'Usage: bearer-guard token generate'],
    [['token', 'hash', '--help'], 'Usage: bearer-guard token hash'],
    [['config', '--help'], 'Usage: bearer-guard config'],
    [['config', 'check', '--help'], 'Usage: bearer-guard config check'],
    [['help', 'keys'], 'Usage: bearer-guard keys'],
    [['keys', 'help', 'create'], 'Usage: bearer-guard keys create'],
  ];
  for (const [args, usage] of cases) {
    test(args.join(' '), async () => {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.startsWith(usage), r.stdout);
      assert.equal(r.stderr, '');
    });
  }
});

test('--version prints the version of package.json', async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
  }
});

describe('usage errors exit 2 with a short message and "see <command> --help"', { concurrency: 2 }, () => {
  const file = path.join(tmp.make(), 'keys.json');
  const cases: Array<{ args: string[]; command: string; says: RegExp }> = [
    { args: [], command: 'bearer-guard', says: /Usage: bearer-guard/ },
    { args: ['nope'], command: 'bearer-guard', says: /unknown command 'nope'/ },
    { args: ['keys'], command: 'bearer-guard keys', says: /Usage: bearer-guard keys/ },
    { args: ['keys', 'list', '--nope'], command: 'bearer-guard keys list', says: /unknown option '--nope'/ },
    { args: ['keys', 'create', '--keys-file', file], command: 'bearer-guard keys create', says: /'--name <name>' not specified/ },
    { args: ['keys', 'create', '--name'], command: 'bearer-guard keys create', says: /argument missing/ },
    { args: ['keys', 'create', '--name', 'x'], command: 'bearer-guard keys create', says: /pass --keys-file/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--family', 'robot'], command: 'bearer-guard keys create', says: /Allowed choices are user, service, agent, enroll/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--family', 'enroll'], command: 'bearer-guard keys create', says: /an enrollment token is bound to one environment: add --environment NAME/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--family', 'enroll', '--environment', 'prod'], command: 'bearer-guard keys create', says: /add --grant-scope SCOPE/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--family', 'enroll', '--environment', 'prod', '--grant-scope', 'm:p', '--scope', 'a'], command: 'bearer-guard keys create', says: /holds no scopes but agent:enroll/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--family', 'enroll', '--environment', 'prod', '--grant-scope', 'm:p', '--expires', '25h'], command: 'bearer-guard keys create', says: /lives at most 24h/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--family', 'enroll', '--environment', 'prod', '--grant-scope', 'm:p', '--uses', '0'], command: 'bearer-guard keys create', says: /--uses must be an integer from 1 to 10000/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--family', 'enroll', '--environment', 'pr od', '--grant-scope', 'm:p'], command: 'bearer-guard keys create', says: /--environment must be 1 to 64 characters/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--uses', '2'], command: 'bearer-guard keys create', says: /--grant-scope and --uses are only for enrollment tokens/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--scope', 'Models'], command: 'bearer-guard keys create', says: /--scope "Models" is not a scope/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--scope', 'a::b'], command: 'bearer-guard keys create', says: /is not a scope/ },
    { args: ['keys', 'create', '--name', 'say "hi"', '--keys-file', file], command: 'bearer-guard keys create', says: /without quotes/ },
    { args: ['keys', 'create', '--name', 'x'.repeat(65), '--keys-file', file], command: 'bearer-guard keys create', says: /1 to 64 printable ASCII/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--expires', 'soon'], command: 'bearer-guard keys create', says: /invalid expiry "soon"/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--expires', '2020-01-31'], command: 'bearer-guard keys create', says: /is in the past/ },
    { args: ['keys', 'create', '--name', 'x', '--keys-file', file, '--expires', '2020-01-31T00:00:00Z'], command: 'bearer-guard keys create', says: /is in the past/ },
    { args: ['keys', 'revoke', '--keys-file', file], command: 'bearer-guard keys revoke', says: /missing required argument 'id'/ },
    { args: ['keys', 'rotate', '--keys-file', file], command: 'bearer-guard keys rotate', says: /missing required argument 'id'/ },
    { args: ['keys', 'rotate', 'key_abc', '--grace', '1 hour', '--keys-file', file], command: 'bearer-guard keys rotate', says: /invalid duration/ },
    { args: ['keys', 'revoke', 'a', 'b', '--keys-file', file], command: 'bearer-guard keys revoke', says: /too many arguments/ },
    { args: ['token', 'generate', 'x'], command: 'bearer-guard token generate', says: /too many arguments/ },
    { args: ['config', 'check', '--env-prefix', 'A-B'], command: 'bearer-guard config check', says: /letters, digits and _/ },
  ];
  for (const c of cases) {
    test(`bearer-guard ${c.args.join(' ')}`, async () => {
      const r = await runCli(c.args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, c.says);
      if (!r.stderr.startsWith('Usage:')) {
        assert.ok(r.stderr.startsWith(`${c.command}: `), r.stderr);
        assert.ok(r.stderr.endsWith(`\nsee ${c.command} --help\n`), r.stderr);
      }
      assert.ok(!hasStackTrace(r.stderr), r.stderr);
      assert.equal(fs.existsSync(file), false, 'a usage error writes nothing');
    });
  }
});

test('an unknown option that carries a token is not echoed', async () => {
  const token = 'Zx8Qm2Lp7Rv4Nt6Kw1Hy3Jd5Bf9Gc0TsQ';
  const r = await runCli(['keys', 'list', `--auth-bearer-token=${token}`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--auth-bearer-token=\(not shown\)'/);
  assert.ok(!r.stderr.includes(token));
});
