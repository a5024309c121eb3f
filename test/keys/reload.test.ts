// Keys change under a running server: watched file, reload(), last good keyring kept, zero failed requests under load.
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { bearerGuard, type BearerGuardMiddleware } from '../../src/index.js';
import type { KeyEntry } from '../../src/keys/types.js';
import { captureLogger, listen } from '../helpers/apps.js';
import { makeKey, writeKeysFile, type TestKey } from '../helpers/keys.js';
import { get, until } from '../helpers/poll-status.js';

const dir = mkdtempSync(join(tmpdir(), 'bg-reload-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Replaces the file the way editors, the CLI and Kubernetes do: write a temp file, rename it over. */
function replaceKeysFile(path: string, entries: readonly KeyEntry[]): void {
  const tmp = `${path}.tmp-${++files}`;
  writeKeysFile(tmp, entries);
  renameSync(tmp, path);
}

async function serve(keysFile: string): Promise<{ server: Server; guard: BearerGuardMiddleware; logger: ReturnType<typeof captureLogger> }> {
  const logger = captureLogger();
  const guard = bearerGuard({ keysFile, logger, argv: [], env: {} });
  const app = express();
  app.use(guard);
  app.get('/v2/models/', (_req, res) => void res.json({ models: [] }));
  return { server: await listen(app), guard, logger };
}



describe('changes without a restart', () => {
  test('revoked, expired and deleted keys are refused, and a new key accepted, within 2 s of the file change', async () => {
    const [a, b, c, d] = [makeKey(), makeKey(), makeKey(), makeKey()];
    const path = join(dir, 'keys-a.json');
    writeKeysFile(path, [a.entry, b.entry, c.entry]);
    const { server, guard } = await serve(path);
    try {
      for (const k of [a, b, c]) assert.equal(await get(server, k.token), 200);
      assert.equal(await get(server, d.token), 401);
      const now = new Date().toISOString();
      replaceKeysFile(path, [{ ...a.entry, revoked_at: now }, { ...b.entry, expires_at: now }, d.entry]);
      for (const [k, status] of [[a, 401], [b, 401], [c, 401], [d, 200]] as Array<[TestKey, number]>) {
        const took = await until(server, k.token, status);
        assert.ok(took <= 2000, `took ${took} ms`);
      }
    } finally {
      guard.close();
      server.close();
    }
  });

  test('a broken file keeps the previous keyring and logs the problem; reload() rejects, then reports what changed', async () => {
    const [a, b] = [makeKey(), makeKey()];
    const path = join(dir, 'keys-b.json');
    writeKeysFile(path, [a.entry]);
    const { server, guard, logger } = await serve(path);
    try {
      writeFileSync(path, `{"version":1,"keys":[${JSON.stringify(b.entry)}`);
      await assert.rejects(guard.reload(), { code: 'ERR_BEARER_GUARD_KEYS_FILE' });
      await sleep(1500);
      assert.equal(await get(server, a.token), 200, 'the last good keyring stays in force');
      assert.equal(await get(server, b.token), 401);
      assert.ok(logger.lines.some((l) => /keys file .*is not valid JSON.*previous keys stay in force/.test(l)), logger.lines.join('\n'));
      rmSync(path);
      await assert.rejects(guard.reload(), { code: 'ERR_BEARER_GUARD_KEYS_FILE' });
      assert.equal(await get(server, a.token), 200, 'a deleted file is a broken reload, not "no keys"');
      writeKeysFile(path, [b.entry]);
      const change = await guard.reload();
      assert.deepEqual({ ...change }, { added: [b.entry.id], removed: [a.entry.id], changed: [], size: 1 });
      assert.equal(await get(server, b.token), 200);
    } finally {
      guard.close();
      server.close();
    }
  });

  test('revoking every key leaves auth on: everything is refused', async () => {
    const keys = [makeKey(), makeKey('user')];
    const path = join(dir, 'keys-c.json');
    writeKeysFile(path, keys.map((k) => k.entry));
    const { server, guard } = await serve(path);
    try {
      replaceKeysFile(path, keys.map((k) => ({ ...k.entry, revoked_at: new Date().toISOString() })));
      await guard.reload();
      for (const k of keys) assert.equal(await get(server, k.token), 401);
      replaceKeysFile(path, []);
      assert.equal((await guard.reload()).size, 0);
      for (const k of keys) assert.equal(await get(server, k.token), 401);
      assert.equal(await get(server, 'anything-at-all-0123456789abcdefghij'), 401);
    } finally {
      guard.close();
      server.close();
    }
  });

  test('under load: keys created, rotated and revoked; no valid key fails, no revoked key passes after the reload', { timeout: 60_000 }, async () => {
    const stable = [makeKey(), makeKey('user'), makeKey('agent')];
    const rotating = makeKey();
    const path = join(dir, 'keys-load.json');
    let entries = [...stable, rotating].map((k) => k.entry);
    writeKeysFile(path, entries);
    const { server, guard } = await serve(path);
    const failures: string[] = [];
    let requests = 0;
    let running = true;
    // Tokens that must pass from `from` on, and tokens that must fail from `refusedAfter` on (set when first seen refused).
    const mustPass = new Map<string, string>(stable.map((k) => [k.token, 'stable']));
    mustPass.set(rotating.token, 'rotating (until revoked)');
    const revoked = new Map<string, { since: number; refusedAt?: number }>();
    const loop = async (): Promise<void> => {
      while (running) {
        const pool = [...mustPass.keys(), ...revoked.keys()];
        const token = pool[Math.floor(Math.random() * pool.length)]!;
        const status = await get(server, token);
        requests++;
        const r = revoked.get(token);
        if (r !== undefined) {
          if (status === 401 && r.refusedAt === undefined) r.refusedAt = Date.now();
          else if (status === 200 && r.refusedAt !== undefined) failures.push(`a revoked key passed after it was refused (${r.refusedAt})`);
        } else if (mustPass.has(token) && status !== 200) {
          failures.push(`${mustPass.get(token)} key got ${status}`);
        }
      }
    };
    const loops = Array.from({ length: 8 }, loop);
    const started = Date.now();
    try {
      let current = rotating;
      for (let round = 0; round < 6; round++) {
        await sleep(400);
        // Create a key; it must pass once the reload has seen it (tracked separately below).
        const created = makeKey('service', { name: `created-${round}` });
        entries = [...entries, created.entry];
        replaceKeysFile(path, entries);
        assert.ok((await until(server, created.token, 200)) <= 2000);
        mustPass.set(created.token, `created-${round}`);
        // Rotate: a new key, the old one valid for a grace period.
        const next = makeKey('service', { name: 'rotating' });
        entries = [...entries.map((e) => (e.id === current.entry.id ? { ...e, expires_at: new Date(Date.now() + 3_600_000).toISOString() } : e)), next.entry];
        replaceKeysFile(path, entries);
        assert.ok((await until(server, next.token, 200)) <= 2000);
        // Revoke the old rotating key.
        mustPass.delete(current.token);
        revoked.set(current.token, { since: Date.now() });
        entries = entries.map((e) => (e.id === current.entry.id ? { ...e, revoked_at: new Date().toISOString() } : e));
        replaceKeysFile(path, entries);
        mustPass.set(next.token, 'rotating (until revoked)');
        current = next;
      }
      await sleep(2100);
    } finally {
      running = false;
      await Promise.all(loops);
      guard.close();
      server.close();
    }
    const seconds = (Date.now() - started) / 1000;
    assert.ok(requests > 1000, `${requests} requests`);
    assert.deepEqual(failures, []);
    for (const [, r] of revoked) {
      assert.ok(r.refusedAt !== undefined && r.refusedAt - r.since <= 2000, `a revoked key was refused ${r.refusedAt === undefined ? 'never' : `after ${r.refusedAt - r.since} ms`}`);
    }
    process.stdout.write(`# under load: ${requests} requests in ${seconds.toFixed(1)} s (${Math.round(requests / seconds)}/s) over keep-alive, 0 failures\n`);
  });
});

describe('the passport strategy reloads too', () => {
  test('reload() and close() on createBearerStrategy', async () => {
    const { createBearerStrategy } = await import('../../src/index.js');
    const [a, b] = [makeKey(), makeKey()];
    const path = join(dir, 'keys-strategy.json');
    writeKeysFile(path, [a.entry]);
    const strategy = createBearerStrategy({ keysFile: path, logger: captureLogger(), argv: [], env: {} });
    try {
      replaceKeysFile(path, [a.entry, b.entry]);
      assert.deepEqual((await strategy.reload()).added, [b.entry.id]);
    } finally {
      strategy.close();
    }
  });
});
