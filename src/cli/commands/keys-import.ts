// `bearer-guard keys import`: moves the entries of a keys file into Redis, all or nothing, and says what it did.
import type { Command } from 'commander';
import { keysFileLabel } from '../../keys/file-format.js';
import { FileKeyStore } from '../../keys/file-store.js';
import type { KeyEntry } from '../../keys/types.js';
import { entryJson } from '../../redis/snapshot.js';
import type { CliContext } from '../context.js';
import { failure } from '../errors.js';
import { openRedisBackend, using, type BackendOptions } from '../keys-backend.js';
import { jsonOption, redisPrefixOption, redisUrlOption } from './shared-options.js';

interface ImportOptions extends BackendOptions {
  from: string;
  replace?: boolean;
  json?: boolean;
}

/** What an import did, by key id. */
interface Outcome {
  added: string[];
  replaced: string[];
  unchanged: string[];
}

/** The entries after importing `incoming` into `current`; ids in Redis with another entry are refused unless `replace`. */
function merge(current: readonly KeyEntry[], incoming: readonly KeyEntry[], replace: boolean, where: string, outcome: Outcome): KeyEntry[] | undefined {
  const next = [...current];
  const conflicts: string[] = [];
  for (const entry of incoming) {
    const index = next.findIndex((e) => e.id === entry.id);
    if (index === -1) {
      outcome.added.push(entry.id);
      next.push(entry);
    } else if (entryJson(next[index]!) === entryJson(entry)) {
      outcome.unchanged.push(entry.id);
    } else if (replace) {
      outcome.replaced.push(entry.id);
      next[index] = entry;
    } else {
      conflicts.push(entry.id);
    }
  }
  if (conflicts.length > 0) {
    throw failure(`${where} already holds ${conflicts.length === 1 ? 'key' : 'keys'} ${conflicts.join(', ')} with a different entry; nothing was imported. Pass --replace to overwrite ${conflicts.length === 1 ? 'it' : 'them'} with the file's entries`);
  }
  return next;
}

/** Adds `keys import` to the `keys` group. */
export function addKeysImport(keys: Command, ctx: CliContext): void {
  keys
    .command('import')
    .description("move the keys of a keys file into Redis (validated first; all or nothing; keys already there with the same entry are left alone, so running it again changes nothing)")
    .requiredOption('--from <file>', 'the keys file to import (JSON, as --keys-file takes it)')
    .addOption(redisUrlOption())
    .addOption(redisPrefixOption())
    .option('--replace', 'overwrite keys that Redis holds under the same id with a different entry (default: refuse, and import nothing)')
    .addOption(jsonOption('print one JSON line {added, replaced, unchanged}: arrays of key ids'))
    .addHelpText('after', '\nKeys in Redis that the file does not hold are kept. Digests and metadata move; tokens never do.\nExample:\n  AUTH_REDIS_URL_FILE=/run/secrets/redis-url bearer-guard keys import --from /etc/model/keys.json\n')
    .action(async (opts: ImportOptions, cmd: Command) => {
      const source = keysFileLabel(opts.from);
      // Validated before Redis is touched: a broken file imports nothing.
      const incoming = new FileKeyStore(opts.from).list();
      await using(await openRedisBackend(cmd, opts, ctx), async (backend) => {
        let outcome: Outcome = { added: [], replaced: [], unchanged: [] };
        await backend.update((current) => {
          outcome = { added: [], replaced: [], unchanged: [] };
          return merge(current, incoming, opts.replace === true, backend.description, outcome);
        });
        if (opts.json === true) ctx.out(`${JSON.stringify(outcome)}\n`);
        const { added, replaced, unchanged } = outcome;
        ctx.err(`imported ${incoming.length} ${incoming.length === 1 ? 'key' : 'keys'} from ${source} into ${backend.description}: ${added.length} added, ${replaced.length} replaced, ${unchanged.length} already there\n`);
      });
    });
}
