// `bearer-guard approval keygen`: an approver's Ed25519 key pair: the private key (PKCS#8 PEM, 0600), the public JWK into a JWKS file.
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { approvalKeysFileLabel } from '../../approval/live-keys.js';
import { parseTrustedKeysText } from '../../approval/trusted-keys.js';
import { withFileLock, writeFileAtomic } from '../../keys/file-write.js';
import { fsReason, shownPath } from '../../safety/paths.js';
import type { CliContext } from '../context.js';
import { failure } from '../errors.js';
import { checkKid } from './approval-shared.js';
import { jsonOption } from './shared-options.js';

interface KeygenOptions {
  kid: string;
  privateKey: string;
  jwks?: string;
  json?: boolean;
}

/** The raw JWKS entries of `path` (none when it does not exist), after checking that the whole file is valid. */
async function readJwks(path: string): Promise<object[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return [];
    throw failure(`${approvalKeysFileLabel(path)}: cannot be read: ${fsReason(err)}`);
  }
  parseTrustedKeysText(text, approvalKeysFileLabel(path));
  return (JSON.parse(text) as { keys: object[] }).keys;
}

const hasKid = (keys: readonly object[], kid: string): boolean => keys.some((k) => (k as { kid?: unknown }).kid === kid);

/** Creates `path` with mode 0600, refusing to replace anything. */
async function writeNewPrivateKey(path: string, pem: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const handle = await open(path, 'wx', 0o600).catch((err: unknown) => {
    throw failure((err as { code?: unknown }).code === 'EEXIST' ? `${shownPath(path)} already exists; a private key is never overwritten: choose another --private-key path, or remove the old file yourself` : `cannot create ${shownPath(path)}: ${fsReason(err)}`);
  });
  try {
    await handle.chmod(0o600);
    await handle.writeFile(pem, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Adds `approval keygen` to the `approval` group. */
export function addApprovalKeygen(group: Command, ctx: CliContext): void {
  group
    .command('keygen')
    .description("make an approver's Ed25519 key pair: the private key as PKCS#8 PEM (mode 0600), the public key as a JWK added to a JWKS file")
    .requiredOption('--kid <kid>', 'the key id approvals will name, e.g. approver-alice-2027 (A-Z a-z 0-9 . _ : -)')
    .requiredOption('--private-key <file>', 'where to write the private key; an existing file is never overwritten')
    .option('--jwks <file>', "the server's JWKS file of trusted approver keys (--auth-approval-keys-file), created if missing; the public key is added to it atomically")
    .addOption(jsonOption('print one JSON line: kid, private_key, jwks and the public jwk'))
    .addHelpText('after', '\nThe public JWK is printed on stdout. Keep the private key with the approver, never on the server.\nExample:\n  bearer-guard approval keygen --kid alice-2027 --private-key ~/.approver/alice-2027.pem --jwks /etc/model/approvers.jwks\n')
    .action(async (opts: KeygenOptions, cmd: Command) => {
      const kid = checkKid(cmd, opts.kid);
      if (existsSync(opts.privateKey)) throw failure(`${shownPath(opts.privateKey)} already exists; a private key is never overwritten: choose another --private-key path, or remove the old file yourself`);
      if (opts.jwks !== undefined && hasKid(await readJwks(opts.jwks), kid)) {
        throw failure(`${approvalKeysFileLabel(opts.jwks)} already has a key with kid "${kid}"; choose a new kid (kids are never reused, so old approvals cannot verify against a new key)`);
      }
      const { privateKey } = generateKeyPairSync('ed25519');
      const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
      const jwk = { kty: 'OKP', crv: 'Ed25519', kid, x };
      await writeNewPrivateKey(opts.privateKey, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
      if (opts.jwks !== undefined) {
        const jwksFile = opts.jwks;
        try {
          await withFileLock(jwksFile, async () => {
            const keys = await readJwks(jwksFile);
            if (hasKid(keys, kid)) throw failure(`${approvalKeysFileLabel(jwksFile)} already has a key with kid "${kid}"; choose a new kid`);
            await writeFileAtomic(jwksFile, `${JSON.stringify({ keys: [...keys, jwk] }, null, 2)}\n`);
          });
        } catch (err) {
          // Nothing half-done: the private key of a public key that was not trusted goes too.
          await rm(opts.privateKey, { force: true });
          throw err;
        }
      }
      ctx.out(opts.json === true ? `${JSON.stringify({ kid, private_key: opts.privateKey, jwks: opts.jwks ?? null, jwk })}\n` : `${JSON.stringify(jwk)}\n`);
      const where = opts.jwks === undefined ? 'add the public JWK above to the JWKS file the server trusts' : `added kid "${kid}" to ${approvalKeysFileLabel(opts.jwks)}`;
      ctx.err(`wrote the private key to ${shownPath(opts.privateKey)} (mode 0600; keep it with the approver, never on the server); ${where}\n`);
    });
}
