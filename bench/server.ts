// One benchmark server process: builds the variant named in argv and reports its port to the parent.
import type { AddressInfo } from 'node:net';
import { VARIANTS } from './variants.js';

const variant = VARIANTS.find((v) => v.id === process.argv[2]);
if (!variant) {
  console.error(`unknown variant ${process.argv[2] ?? ''}`);
  process.exit(2);
}
const server = variant.build().listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
