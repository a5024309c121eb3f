// GET /v2/models/ with a bearer token over one keep-alive agent per test file, and polling until a token gets a status.
import { Agent, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

/** Reuses connections like a real client; destroyed after the test file. */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
after(() => agent.destroy());

/** The status of `GET /v2/models/` with `Authorization: Bearer <token>`. */
export function get(server: Server, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { agent, port: (server.address() as AddressInfo).port, host: '127.0.0.1', path: '/v2/models/', headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Polls until `token` gets `status`; returns how long it took (Infinity past the limit). */
export async function until(server: Server, token: string, status: number, limitMs = 2000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < limitMs + 500) {
    if ((await get(server, token)) === status) return Date.now() - start;
    await sleep(10);
  }
  return Infinity;
}
