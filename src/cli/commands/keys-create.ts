// `bearer-guard keys create`: a new named key in the keys file or Redis, its token printed once on stdout.
import { Option, type Command } from 'commander';
import type { KeyEntry } from '../../keys/types.js';
import type { CliContext } from '../context.js';
import { familyFields, type FamilyOptions } from '../enroll-input.js';
import { checkName } from '../key-input.js';
import { describeKey } from '../key-view.js';
import { withKeysBackend, type BackendOptions } from '../keys-backend.js';
import { mintKey, printToken } from '../new-key.js';
import { keysFileOption, redisPrefixOption, redisUrlOption, grantScopeOption, jsonOption, scopeOption } from './shared-options.js';

interface CreateOptions extends FamilyOptions, BackendOptions {
  name: string;
  json?: boolean;
}

/** Adds `keys create` to the `keys` group. */
export function addKeysCreate(keys: Command, ctx: CliContext): void {
  keys
    .command('create')
    .description('create a named key; its token is printed once on stdout, details on stderr')
    .requiredOption('--name <name>', 'the key\'s name, e.g. ci-deploy (1-64 printable ASCII characters, no quotes)')
    .addOption(new Option('--family <family>', 'who the key is for (enroll: a one-time enrollment token for agents)').choices(['user', 'service', 'agent', 'enroll']).default('service'))
    .addOption(scopeOption())
    .option('--environment <name>', 'the only environment that accepts the key, e.g. prod (required for --family enroll)')
    .addOption(grantScopeOption())
    .option('--uses <n>', 'enrollment tokens: how many agents it may enroll (default 1)')
    .option('--expires <when>', 'when the key expires: a duration (30d), a date (2027-01-31) or an ISO timestamp; default never (enrollment tokens: 1h, at most 24h)')
    .addOption(keysFileOption())
    .addOption(redisUrlOption())
    .addOption(redisPrefixOption())
    .addOption(jsonOption('print one JSON line with the key and its token instead of the token alone'))
    .addHelpText('after', '\nExamples:\n  TOKEN=$(bearer-guard keys create --name ci-deploy --scope models:read --expires 90d --keys-file keys.json)\n  AUTH_REDIS_URL_FILE=/run/secrets/redis-url bearer-guard keys create --name ci-deploy --scope models:read\n  bearer-guard keys create --family enroll --name edge-fleet --environment prod --grant-scope models:predict --uses 3 --expires 1h\n')
    .action(async (opts: CreateOptions, cmd: Command) => {
      const now = ctx.now();
      const name = checkName(cmd, opts.name);
      const fields = familyFields(cmd, opts, now);
      await withKeysBackend(cmd, opts, ctx, async (backend) => {
        let created: { entry: KeyEntry; token: string } | undefined;
        await backend.update((entries) => {
          created = mintKey(entries, { name, family: opts.family, ...fields }, now);
          return [...entries, created.entry];
        });
        const { entry, token } = created!;
        printToken(ctx, entry, token, opts.json === true);
        ctx.err(`created ${describeKey(entry)} in ${backend.description}; the token is shown once, above\n`);
      });
    });
}
