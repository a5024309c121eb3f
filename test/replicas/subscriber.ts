// Kills one replica's pub/sub connection on Redis (CLIENT KILL), found through the replica's own sockets in /proc.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { TestRedis } from '../helpers/redis-server.js';

/** The local ports of process `pid`'s TCP connections to 127.0.0.1:`remotePort` (Linux /proc). */
export function localPortsTo(pid: number, remotePort: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m !== null) inodes.add(m[1]!);
    } catch {
      // The descriptor closed meanwhile.
    }
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = Number.parseInt(f[1]!.split(':')[1]!, 16);
      const remote = Number.parseInt(f[2]!.split(':')[1]!, 16);
      if (remote === remotePort && inodes.has(f[9]!)) ports.push(local);
    }
  }
  return ports;
}

/** `CLIENT LIST TYPE pubsub` parsed: the id and client port of each subscriber connection. */
export async function subscribers(redis: TestRedis): Promise<Array<{ id: string; port: number }>> {
  const reply = await redis.command('CLIENT', 'LIST', 'TYPE', 'pubsub');
  return reply
    .split('\n')
    .map((line) => /\bid=(\d+) addr=[^ ]*:(\d+) /.exec(line))
    .flatMap((m) => (m === null ? [] : [{ id: m[1]!, port: Number(m[2]) }]));
}

/**
 * Kills the subscriber connection of the replica with process id `pid` (and no other), as an
 * operator's `CLIENT KILL` or a dropped network path would.
 * @returns how many connections Redis killed (1 when the replica was subscribed)
 */
export async function killSubscriberOf(redis: TestRedis, pid: number): Promise<number> {
  const mine = new Set(localPortsTo(pid, redis.port));
  const targets = (await subscribers(redis)).filter((s) => mine.has(s.port));
  let killed = 0;
  for (const t of targets) {
    const reply = await redis.command('CLIENT', 'KILL', 'ID', t.id);
    killed += Number(/^:(\d+)/.exec(reply)?.[1] ?? 0);
  }
  return killed;
}
