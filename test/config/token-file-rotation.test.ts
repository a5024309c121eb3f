// Token files follow changes: atomic renames and Kubernetes `..data` swaps apply within 2 s, broken updates keep the last good token.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { bearerGuard, type BearerGuardMiddleware } from '../../src/index.js';
import { captureLogger, listen } from '../helpers/apps.js';
import { tokenFor } from '../helpers/config-fixtures.js';
import { get, until } from '../helpers/poll-status.js';

const dir = mkdtempSync(join(tmpdir(), 'bg-token-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let made = 0;
const fresh = (label: string): string => tokenFor(`${label}${++made}`);

/** A token file replaced the way editors and `docker secret` tooling do: a temp file renamed over it. */
function renamedFile(token: string): { path: string; publish(content: string): void } {
  const path = join(dir, `token-${++made}`);
  const publish = (content: string): void => {
    writeFileSync(`${path}.tmp`, content);
    renameSync(`${path}.tmp`, path);
  };
  publish(`${token}\n`);
  return { path, publish };
}

/** A Kubernetes secret volume: `token -> ..data/token`, `..data -> ..<timestamp>`, swapped by renaming `..data_tmp`. */
function secretVolume(token: string): { path: string; publish(content: string): void } {
  const mount = join(dir, `mount-${++made}`);
  mkdirSync(mount);
  let n = 0;
  let previous: string | undefined;
  const publish = (content: string): void => {
    const stamp = `..2026_11_27_${++n}`;
    mkdirSync(join(mount, stamp));
    writeFileSync(join(mount, stamp, 'token'), content);
    symlinkSync(stamp, join(mount, '..data_tmp'));
    renameSync(join(mount, '..data_tmp'), join(mount, '..data'));
    if (previous !== undefined) rmSync(join(mount, previous), { recursive: true });
    previous = stamp;
  };
  publish(`${token}\n`);
  symlinkSync('..data/token', join(mount, 'token'));
  return { path: join(mount, 'token'), publish };
}

async function serve(env: Record<string, string>, argv: string[] = []): Promise<{ server: Server; guard: BearerGuardMiddleware; logger: ReturnType<typeof captureLogger> }> {
  const logger = captureLogger();
  const guard = bearerGuard({ argv: ['node', 'app', ...argv], env, logger });
  const app = express();
  app.use(guard);
  app.get('/v2/models/', (_req, res) => void res.json({ models: [] }));
  return { server: await listen(app), guard, logger };
}


const LAYOUTS = [
  { name: 'atomic rename, env AUTH_BEARER_TOKEN_FILE', make: renamedFile, env: (p: string) => ({ AUTH_BEARER_TOKEN_FILE: p }), argv: () => [] as string[] },
  { name: 'Kubernetes ..data swap, env DEEPAAS_AUTH_BEARER_TOKEN_FILE', make: secretVolume, env: (p: string) => ({ DEEPAAS_AUTH_BEARER_TOKEN_FILE: p }), argv: () => [] as string[], prefix: 'DEEPAAS_' },
  { name: 'Kubernetes ..data swap, --auth-bearer-token-file', make: secretVolume, env: () => ({}), argv: (p: string) => ['--auth-bearer-token-file', p] },
];

describe('a token file changed under a running server', () => {
  for (const layout of LAYOUTS) {
    test(`${layout.name}: the new token is accepted and the old refused within 2 s`, async () => {
      const [a, b] = [fresh('a'), fresh('b')];
      const file = layout.make(a);
      const logger = captureLogger();
      const guard = bearerGuard({ argv: ['node', 'app', ...layout.argv(file.path)], env: layout.env(file.path), ...(layout.prefix && { envPrefix: layout.prefix }), logger });
      const app = express();
      app.use(guard);
      app.get('/v2/models/', (_req, res) => void res.json({ models: [] }));
      const server = await listen(app);
      try {
        assert.equal(await get(server, a), 200);
        assert.equal(await get(server, b), 401);
        file.publish(`${b}\n`);
        const accepted = await until(server, b, 200);
        assert.ok(accepted <= 2000, `new token accepted after ${accepted} ms`);
        assert.equal(await get(server, a), 401, 'the old token is refused as soon as the new one is accepted');
        assert.ok(logger.lines.some((l) => /the token from .*token.* changed; the new token is in force/.test(l)), logger.lines.join('\n'));
        for (const line of logger.lines) assert.ok(!line.includes(a) && !line.includes(b), line);
      } finally {
        guard.close();
        server.close();
      }
    });
  }

  test('broken updates keep the last good token, each problem logged once without the value; a good one then applies', async () => {
    const [a, b] = [fresh('a'), fresh('b')];
    const file = secretVolume(a);
    const { server, guard, logger } = await serve({ AUTH_BEARER_TOKEN_FILE: file.path });
    const broken: Array<[string, () => void, RegExp]> = [
      ['empty', () => file.publish(''), /is empty/],
      ['two lines', () => file.publish(`${b}\n${a}\n`), /has more than one line/],
      ['not a token', () => file.publish(`${b} x\n`), /contains characters that RFC 6750 does not allow/],
      ['removed', () => rmSync(join(file.path, '..', '..data'), { force: true }), /no such file/],
    ];
    try {
      for (const [name, breakIt, problem] of broken) {
        const before = logger.lines.length;
        breakIt();
        // Past the debounce and more than two polls: the same problem must not be told again.
        await sleep(2600);
        assert.equal(await get(server, a), 200, `${name}: the last good token stays in force`);
        assert.equal(await get(server, b), 401, `${name}: nothing from the broken file is accepted`);
        const told = logger.lines.slice(before).filter((l) => problem.test(l));
        assert.equal(told.length, 1, `${name}: ${logger.lines.slice(before).join('\n')}`);
        assert.match(told[0]!, /previous token and keys stay in force/);
      }
      file.publish(`${b}\n`);
      assert.ok((await until(server, b, 200)) <= 2000);
      assert.equal(await get(server, a), 401);
      for (const line of logger.lines) assert.ok(!line.includes(a) && !line.includes(b), line);
    } finally {
      guard.close();
      server.close();
    }
  });

  test('reload() re-reads the token file now, and rejects (keeping the token) when it is broken', async () => {
    const [a, b] = [fresh('a'), fresh('b')];
    const file = renamedFile(a);
    const { server, guard } = await serve({}, ['--auth-bearer-token-file', file.path]);
    try {
      writeFileSync(file.path, '');
      await assert.rejects(guard.reload(), { code: 'ERR_BEARER_GUARD_TOKEN_FILE', message: /is empty/ });
      assert.equal(await get(server, a), 200);
      writeFileSync(file.path, `${b}\n`);
      await guard.reload();
      assert.equal(await get(server, b), 200, 'in force when reload() resolves, without waiting for the watcher');
      assert.equal(await get(server, a), 401);
    } finally {
      guard.close();
      server.close();
    }
  });
});

describe('token-file rotation under load', () => {
  test('concurrent clients through six Kubernetes secret updates: never a request that neither token passes', { timeout: 60_000 }, async () => {
    let current = fresh('load');
    let latest = current;
    const file = secretVolume(current);
    const { server, guard, logger } = await serve({ AUTH_BEARER_TOKEN_FILE: file.path });
    const failures: string[] = [];
    const retired = new Set<string>();
    let requests = 0;
    let switchedOver = 0;
    let running = true;
    // A client sends the token it knows to work; a 401 is only fine while a newer one has been
    // published, and then the newer one must pass at once: at every moment one of the two works.
    const client = async (): Promise<void> => {
      while (running) {
        const token = current;
        const status = await get(server, token);
        requests++;
        if (status === 200 && retired.has(token)) failures.push('a token passed after it had been refused');
        if (status === 200) continue;
        if (status !== 401 || token === latest) {
          failures.push(`${status} for the token in force`);
          continue;
        }
        const retry = await get(server, latest);
        requests++;
        switchedOver++;
        if (retry !== 200) failures.push(`${status} then ${retry}: neither token passed`);
      }
    };
    const clients = Array.from({ length: 8 }, client);
    const timings: Array<{ accepted: number; refused: number }> = [];
    try {
      for (let round = 0; round < 6; round++) {
        await sleep(300);
        const old = current;
        const next = fresh('load');
        latest = next;
        const written = Date.now();
        file.publish(`${next}\n`);
        await until(server, next, 200);
        const accepted = Date.now() - written;
        // Clients move to the new token only once it is seen to pass.
        current = next;
        await until(server, old, 401);
        const refused = Date.now() - written;
        retired.add(old);
        timings.push({ accepted, refused });
      }
      await sleep(300);
    } finally {
      running = false;
      await Promise.all(clients);
      guard.close();
      server.close();
    }
    assert.ok(requests > 500, `${requests} requests`);
    assert.deepEqual(failures, []);
    for (const t of timings) assert.ok(t.accepted <= 2000 && t.refused <= 2000, JSON.stringify(timings));
    assert.equal(logger.lines.filter((l) => /changed; the new token is in force/.test(l)).length, 6, logger.lines.join('\n'));
    process.stdout.write(`# token-file rotation under load: ${requests} requests, 6 rotations, ${switchedOver} switched over on a 401, 0 failures; ${JSON.stringify(timings)}\n`);
  });
});
