// `bearer-guard keys revoke`: marks a key revoked as of now, so it is refused from then on.
import type { Command } from 'commander';
import { toIsoUtc } from '../../keys/duration.js';
import type { KeyEntry } from '../../keys/types.js';
import type { CliContext } from '../context.js';
import { describeKey, keyStatus, keyView } from '../key-view.js';
import { withKeysBackend, type BackendOptions } from '../keys-backend.js';
import { findKey } from './find-key.js';
import { keysFileOption, redisPrefixOption, redisUrlOption, jsonOption } from './shared-options.js';

interface RevokeOptions extends BackendOptions {
  json?: boolean;
}

/** Adds `keys revoke` to the `keys` group. */
export function addKeysRevoke(keys: Command, ctx: CliContext): void {
  keys
    .command('revoke')
    .description('revoke a key now (a running server picks the change up without a restart; with Redis, every replica does)')
    .argument('<id>', 'the key id, e.g. key_qkzvbwhtmrxa (see bearer-guard keys list)')
    .addOption(keysFileOption())
    .addOption(redisUrlOption())
    .addOption(redisPrefixOption())
    .addOption(jsonOption('print the key as keys list --json shows it'))
    .action(async (id: string, opts: RevokeOptions, cmd: Command) => {
      const now = ctx.now();
      await withKeysBackend(cmd, opts, ctx, async (backend) => {
        let result: { entry: KeyEntry; already: boolean } | undefined;
        await backend.update((entries) => {
          const index = findKey(entries, id, backend.description);
          const old = entries[index]!;
          if (keyStatus(old, now) === 'revoked') {
            result = { entry: old, already: true };
            return undefined;
          }
          const entry: KeyEntry = { ...old, revoked_at: toIsoUtc(now) };
          result = { entry, already: false };
          return entries.map((e, i) => (i === index ? entry : e));
        });
        const { entry, already } = result!;
        if (opts.json === true) ctx.out(`${JSON.stringify(keyView(entry, now))}\n`);
        ctx.err(
          already
            ? `note: ${describeKey(entry)} in ${backend.description} was already revoked at ${entry.revoked_at!}; nothing changed\n`
            : `revoked ${describeKey(entry)} in ${backend.description}\n`,
        );
      }, true);
    });
}
