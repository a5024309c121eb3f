// `bearer-guard keys rotate`: a new key in place of an old one, which stays valid for a grace period.
import type { Command } from 'commander';
import { formatRelative, toIsoUtc } from '../../keys/duration.js';
import type { KeyEntry } from '../../keys/types.js';
import type { CliContext } from '../context.js';
import { failure } from '../errors.js';
import { checkExpires, checkGrace } from '../key-input.js';
import { describeKey, keyStatus } from '../key-view.js';
import { withKeysBackend, type BackendOptions } from '../keys-backend.js';
import { mintKey, printToken } from '../new-key.js';
import { findKey } from './find-key.js';
import { keysFileOption, redisPrefixOption, redisUrlOption, jsonOption } from './shared-options.js';

interface RotateOptions extends BackendOptions {
  grace: string;
  expires?: string;
  json?: boolean;
}

/** The old key after rotation: expiring at min(its expiry, now + grace), or revoked now for grace 0. */
function retire(old: KeyEntry, now: number, graceMs: number): KeyEntry {
  if (graceMs === 0) return { ...old, revoked_at: toIsoUtc(now) };
  const until = Math.min(old.expires_at === undefined ? Infinity : Date.parse(old.expires_at), now + graceMs);
  return { ...old, expires_at: toIsoUtc(until) };
}

/** The new key's expiry: `--expires` if given, else the old key's lifetime again from now, else none. */
function renewedExpiry(old: KeyEntry, now: number, expiresMs: number | undefined): string | undefined {
  if (expiresMs !== undefined) return toIsoUtc(expiresMs);
  if (old.expires_at === undefined) return undefined;
  return toIsoUtc(now + (Date.parse(old.expires_at) - Date.parse(old.created_at)));
}

/** Adds `keys rotate` to the `keys` group. */
export function addKeysRotate(keys: Command, ctx: CliContext): void {
  keys
    .command('rotate')
    .description('replace a key: a new key with the same name, family, scopes, environment and agent; the old one stays valid for the grace period')
    .argument('<id>', 'the id of the key to replace, e.g. key_qkzvbwhtmrxa')
    .option('--grace <duration>', 'how long the old key stays valid: a duration such as 15m, 1h, 7d, or 0 to revoke it now', '1h')
    .option('--expires <when>', "when the new key expires: a duration (30d), a date or an ISO timestamp; default: the old key's lifetime again, from now (never, if it had no expiry)")
    .addOption(keysFileOption())
    .addOption(redisUrlOption())
    .addOption(redisPrefixOption())
    .addOption(jsonOption('print one JSON line with the new key and its token, as keys create --json does'))
    .action(async (id: string, opts: RotateOptions, cmd: Command) => {
      const graceMs = checkGrace(cmd, opts.grace);
      const expiresMs = opts.expires === undefined ? undefined : checkExpires(cmd, opts.expires, ctx.now());
      const now = ctx.now();
      await withKeysBackend(cmd, opts, ctx, async (backend) => {
        const where = backend.description;
        let result: { old: KeyEntry; entry: KeyEntry; token: string } | undefined;
        await backend.update((entries) => {
          const index = findKey(entries, id, where);
          const current = entries[index]!;
          const status = keyStatus(current, now);
          if (status !== 'active') {
            throw failure(`key ${current.id} in ${where} is ${status}, so it cannot be rotated; create a new key with bearer-guard keys create`);
          }
          if (current.family === 'enroll') {
            throw failure(`key ${current.id} in ${where} is an enrollment token, which is not rotated: revoke it and create a new one with bearer-guard keys create --family enroll`);
          }
          const { name, family, scopes, environment, agent_id, enrolled_by } = current;
          const expires_at = renewedExpiry(current, now, expiresMs);
          const { entry, token } = mintKey(entries, { name, family, scopes, expires_at, environment, agent_id, enrolled_by }, now);
          result = { old: retire(current, now, graceMs), entry, token };
          return [...entries.map((e, i) => (i === index ? result!.old : e)), entry];
        });
        const { old, entry, token } = result!;
        printToken(ctx, entry, token, opts.json === true);
        const fate = old.revoked_at !== undefined && graceMs === 0
          ? 'is revoked now'
          : `expires at ${old.expires_at!} (${formatRelative(Date.parse(old.expires_at!), now)})`;
        ctx.err(`created ${describeKey(entry)} in ${where} to replace key ${old.id}, which ${fate}; the token is shown once, above\n`);
      }, true);
    });
}
