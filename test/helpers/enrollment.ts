// Enrollment fixtures: enrollment tokens as the CLI makes them, and a guarded app with the enrollment endpoint over a real keys file.
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { bearerGuard, requireFamily, type AuditEvent, type BearerGuardMiddleware, type BearerGuardOptions } from '../../src/index.js';
import type { KeyEntry } from '../../src/keys/types.js';
import { captureLogger, listen } from './apps.js';
import { makeKey, type TestKey } from './keys.js';

export const ENROLL_PATH = '/v2/agents';

/** An enrollment token for environment `prod` granting models:predict, valid for 1 h from `now`, single use. */
export function makeEnrollKey(fields: Partial<KeyEntry> = {}, now = Date.now()): TestKey {
  return makeKey('enroll', {
    name: 'edge-fleet',
    scopes: ['agent:enroll'],
    environment: 'prod',
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + 3_600_000).toISOString(),
    grant_scopes: ['models:predict'],
    uses: 1,
    used: 0,
    ...fields,
  });
}

/** A temp dir holding `keys.json`; `remove()` deletes it. */
export function tempKeysFile(): { dir: string; file: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bg-enroll-'));
  return { dir, file: path.join(dir, 'keys.json'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The entries of a keys file. */
export const readEntries = (file: string): KeyEntry[] => (JSON.parse(fs.readFileSync(file, 'utf8')) as { keys: KeyEntry[] }).keys;

/** A running app with the enrollment endpoint. */
export interface EnrollServer {
  url: string;
  server: Server;
  guard: BearerGuardMiddleware;
  events: AuditEvent[];
  /** Names of the app handlers that ran. */
  hits: string[];
  close(): void;
}

/**
 * Starts an Express 5 app guarded by `bearerGuard({ keysFile, environment: 'prod', enrollment })`
 * (options override), with `GET /v2/models/` (echoes req.auth), `GET /people-only`
 * (requireFamily('user')) and an app route at the enrollment path that must never run.
 */
export async function startEnrollServer(keysFile: string, options: BearerGuardOptions = {}): Promise<EnrollServer> {
  const app = express();
  const events: AuditEvent[] = [];
  const hits: string[] = [];
  const guard = bearerGuard({
    argv: [], env: {}, keysFile, environment: 'prod', enrollment: { path: ENROLL_PATH }, logger: captureLogger(), audit: (e) => void events.push(e), ...options,
  });
  app.use(guard);
  app.get('/v2/models/', (req, res) => {
    hits.push('models');
    res.json({ auth: (req as unknown as { auth: unknown }).auth });
  });
  app.get('/people-only', requireFamily('user'), (_req, res) => {
    hits.push('people-only');
    res.json({ ok: true });
  });
  app.all(ENROLL_PATH, (_req, res) => {
    hits.push('agents-app');
    res.status(299).json({ reached: 'app' });
  });
  const server = await listen(app);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, server, guard, events, hits,
    close: () => {
      guard.close();
      server.closeAllConnections();
      server.close();
    },
  };
}

/** POST to the enrollment path with `token` and an optional body. */
export async function enroll(base: string, token: string, body?: string): Promise<{ status: number; json: Record<string, unknown>; headers: Headers; text: string }> {
  const res = await fetch(`${base}${ENROLL_PATH}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(body !== undefined && { body }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers, text };
}

/** GET `path` with `token`: the status. */
export async function getStatus(base: string, path: string, token: string): Promise<number> {
  const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}
