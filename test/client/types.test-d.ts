// Compile-only type tests of whoami() and bearer-guard/client. Checked by `npm run typecheck`; never run
// (the name does not match the test glob, and everything sits in a function that is never called).
import express from 'express';
import { whoami, type WhoamiBody } from '../../src/index.js';
import {
  BearerGuardClientError,
  createClient,
  type BearerGuardClient,
  type BearerGuardClientErrorCode,
  type Identity,
  type PredictInput,
} from '../../src/client/index.js';

export async function neverCalled(): Promise<void> {
  const app = express();
  app.get('/v2/auth/whoami', whoami());
  const body: WhoamiBody = { id: 'token', name: 'token', family: 'service', scopes: ['*'], expires_at: null };
  void body;

  const client: BearerGuardClient = createClient();
  createClient({ context: 'staging', timeoutMs: 5000, env: process.env });
  createClient({ endpoint: 'http://127.0.0.1:5000', token: 't' });
  // @ts-expect-error -- unknown option
  createClient({ contxt: 'staging' });
  const me: Identity = await client.whoami();
  const expires: string | null = me.expires_at;
  void expires;
  const res: Response = await client.fetch('/v2/models/', { method: 'GET' });
  void res;
  const inputs: PredictInput[] = [{ file: 'x.csv' }, { file: new Blob(['x']), filename: 'x.csv' }, { data: [[1, 2, 3, 4]] }];
  void inputs;
  // @ts-expect-error -- predict takes a file or data
  await client.predict('iris', {});
  // @ts-expect-error -- endpoint is read-only
  client.endpoint = 'http://elsewhere';

  try {
    await client.whoami();
  } catch (err) {
    if (err instanceof BearerGuardClientError) {
      const code: BearerGuardClientErrorCode = err.code;
      const reason: 'expired' | 'revoked' | 'invalid' | undefined = err.reason;
      const status: number | undefined = err.status;
      void [code, reason, status];
      // @ts-expect-error -- not a code
      const bad: BearerGuardClientErrorCode = 'ERR_NOPE';
      void bad;
    }
  }
}
