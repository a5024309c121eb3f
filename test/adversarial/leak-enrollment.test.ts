// Leak audit over enrollment: no enrollment token anywhere, and each runtime key only in the body of the 201 that made it
// (not in headers, other responses, logger lines, console output, audit events, the keys file or the CLI's output).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import express from 'express';
import { bearerGuard, type AuditEvent } from '../../src/index.js';
import { makeEnrollKey, tempKeysFile } from '../helpers/enrollment.js';
import { makeKey, writeKeysFile } from '../helpers/keys.js';
import { listen } from '../helpers/apps.js';
import { runCli } from '../cli/helpers.js';
import { Recorder, withProcessOutput } from './leak/capture.js';
import { createDetector, forms, type Form } from './leak/needles.js';

const tmp = tempKeysFile();
after(() => tmp.remove());
const HOUR = 3_600_000;

test('enrollment: enrollment tokens never leak; a runtime key appears only in its own 201 body', async () => {
  const now = Date.now();
  const good = makeEnrollKey({ uses: 2 });
  const staging = makeEnrollKey({ environment: 'staging' });
  const expired = makeEnrollKey({ created_at: new Date(now - 2 * HOUR).toISOString(), expires_at: new Date(now - HOUR).toISOString() });
  const revoked = makeEnrollKey({ revoked_at: new Date(now - 1000).toISOString() });
  const service = makeKey('service');
  writeKeysFile(tmp.file, [good.entry, staging.entry, expired.entry, revoked.entry, service.entry]);

  const rec = new Recorder();
  const events: AuditEvent[] = [];
  const app = express();
  const guard = await withProcessOutput(rec, () => bearerGuard({
    argv: [], env: {}, keysFile: tmp.file, environment: 'prod', environmentPosture: 'prod', enrollment: { path: '/v2/agents' }, logger: rec.logger(), audit: (e) => void events.push(e),
  }));
  app.use(guard);
  app.get('/v2/models/', (_req, res) => void res.json({ ok: true }));
  const server = await listen(app);
  const { port } = server.address() as AddressInfo;
  // node:http rather than a raw socket: a raw client half-closes after sending, and Node then drops a slow response.
  const send = (method: string, path: string, token: string | undefined, body = ''): Promise<{ status: number; raw: string; body: string }> => withProcessOutput(rec, () => new Promise((resolve, reject) => {
    const headers = { ...(token !== undefined && { Authorization: `Bearer ${token}` }), ...(body !== '' && { 'Content-Type': 'application/json' }) };
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        const text = Buffer.concat(chunks).toString('latin1');
        const head = [`HTTP/1.1 ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`, ...res.rawHeaders.flatMap((v, i) => (i % 2 === 0 ? [`${v}: ${res.rawHeaders[i + 1]!}`] : []))];
        resolve({ status: res.statusCode ?? 0, raw: `${head.join('\r\n')}\r\n\r\n${text}`, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  }));

  const responses: Array<{ name: string; status: number; raw: string; body: string }> = [];
  const run = async (name: string, expect: number, ...args: Parameters<typeof send>): Promise<string> => {
    const r = await send(...args);
    responses.push({ name, ...r });
    assert.equal(r.status, expect, `${name}: ${r.raw.slice(0, 300)}`);
    return r.body;
  };
  try {
    await run('no token', 401, 'POST', '/v2/agents', undefined);
    await run('another family', 403, 'POST', '/v2/agents', service.token);
    await run('wrong environment', 401, 'POST', '/v2/agents', staging.token);
    await run('expired', 401, 'POST', '/v2/agents', expired.token);
    await run('revoked', 401, 'POST', '/v2/agents', revoked.token);
    await run('GET', 405, 'GET', '/v2/agents', good.token);
    await run('bad name', 400, 'POST', '/v2/agents', good.token, `{"name":"${good.token} x"}`);
    await run('body too large', 413, 'POST', '/v2/agents', good.token, JSON.stringify({ name: good.token.repeat(30) }));
    await run('enrollment token elsewhere', 401, 'GET', '/v2/models/', good.token);
    const agentKeys: string[] = [];
    for (const name of ['edge-01', 'edge-02']) agentKeys.push((JSON.parse(await run(`enrolled ${name}`, 201, 'POST', '/v2/agents', good.token, `{"name":"${name}"}`)) as { api_key: string }).api_key);
    await run('used up', 401, 'POST', '/v2/agents', good.token);
    for (const key of agentKeys) await run('the runtime key at work', 200, 'GET', '/v2/models/', key);
    await run('a runtime key at the enrollment path', 403, 'POST', '/v2/agents', agentKeys[0]);

    const list = await runCli(['keys', 'list', '--keys-file', tmp.file]);
    const listJson = await runCli(['keys', 'list', '--family', 'agent', '--keys-file', tmp.file, '--json']);
    assert.equal(listJson.code, 0, listJson.stderr);

    // The texts every secret is searched in; a 201's body is searched with its own key taken out.
    const texts: Array<[string, string]> = [
      ...rec.captures.map((c): [string, string] => [c.channel, c.text]),
      ...events.map((e, i): [string, string] => [`audit[${i}] ${e.reason}`, JSON.stringify(e)]),
      ['keys file', readFileSync(tmp.file, 'utf8')],
      ['keys list', list.stdout + list.stderr],
      ['keys list --json', listJson.stdout + listJson.stderr],
    ];
    let shownOnce = 0;
    for (const r of responses) {
      if (r.status !== 201) {
        texts.push([`response: ${r.name}`, r.raw]);
        continue;
      }
      const key = (JSON.parse(r.body) as { api_key: string }).api_key;
      assert.equal(r.raw.split(key).length - 1, 1, `${r.name}: the key appears once`);
      assert.ok(r.raw.endsWith(r.body) && r.body.includes(`"api_key":"${key}"`), `${r.name}: and only in the body`);
      shownOnce++;
      texts.push([`response: ${r.name} (without its key)`, r.raw.replace(key, '<key>')]);
    }
    assert.equal(shownOnce, 2);
    const needles: Form[] = [good, staging, expired, revoked, service].flatMap((k) => forms('TOKEN', k.token)).concat(agentKeys.flatMap((k) => forms('PLAIN', k)));
    const detector = createDetector(needles);
    const leaks = texts.flatMap(([channel, text]) => detector.scan(text).map((f) => `${channel}: ${f.form} ${JSON.stringify(f.context)}`));
    assert.deepEqual(leaks, []);
    assert.ok(events.length >= responses.length, 'every decision was audited');
    assert.ok(texts.length > 20);
  } finally {
    guard.close();
    server.close();
  }
});
