// One benchmark server process: serves the variants named in argv (one port each) and reports
// the ports to the parent. Variants compared with each other share a process, so that
// process-level luck (code layout, JIT decisions) does not pass for a difference between them.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { VARIANTS } from './variants.js';

const ids = process.argv.slice(2);
const servers: Server[] = [];
const ports: Record<string, number> = {};
for (const id of ids) {
  const variant = VARIANTS.find((v) => v.id === id);
  if (!variant) {
    console.error(`unknown variant ${id}`);
    process.exit(2);
  }
  const server = variant.build().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  ports[id] = (server.address() as AddressInfo).port;
  servers.push(server);
}
process.send?.({ ports });

// The parent asks for this process's CPU time around each measurement: CPU per request is a
// second, steadier view of the guard's cost than throughput on a shared machine.
process.on('message', (m) => {
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  }
});
process.on('disconnect', () => {
  for (const s of servers) s.close();
  process.exit(0);
});
