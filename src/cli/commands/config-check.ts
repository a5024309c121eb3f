// `bearer-guard config check`: loads the configuration exactly as bearerGuard() would, and reports it.
import type { Command } from 'commander';
import { loadAuthConfig } from '../../config/load.js';
import { FileKeyStore } from '../../keys/file-store.js';
import { resolveEnvironment } from '../../request/enrollment-setup.js';
import type { CliContext } from '../context.js';
import { buildReport, formatReport } from '../config-report.js';
import { failure, isCodedError, usageError } from '../errors.js';
import { jsonOption } from './shared-options.js';

interface CheckOptions {
  envPrefix?: string;
  json?: boolean;
}

/** Adds `config check` to the `config` group. */
export function addConfigCheck(config: Command, ctx: CliContext): void {
  config
    .command('check')
    .description('load the configuration as the server would (its flags, env vars and config file) and report where each setting comes from; values of tokens are never shown')
    .usage('[--env-prefix PREFIX] [--json] [server flags...]')
    .option('--env-prefix <prefix>', 'the envPrefix the server passes, e.g. DEEPAAS_ (letters, digits and _)')
    .addOption(jsonOption('print one JSON object {settings, keys?, warnings, ok}'))
    // Every other argument is a server flag, passed on to loadAuthConfig as the server's argv.
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .addHelpText('after', '\nExample:\n  bearer-guard config check --env-prefix DEEPAAS_ --config-file /etc/model/auth.ini\n')
    .action((opts: CheckOptions, cmd: Command) => {
      const envPrefix = opts.envPrefix ?? '';
      if (!/^[A-Za-z0-9_]*$/.test(envPrefix)) throw usageError(cmd, '--env-prefix may contain only letters, digits and _ (for example DEEPAAS_)');
      const json = opts.json === true;
      try {
        const loaded = loadAuthConfig({ argv: ['node', 'bearer-guard', ...cmd.args], env: ctx.env, envPrefix });
        // The server would refuse an enrollment path it cannot store agent keys for.
        resolveEnvironment('config check', loaded, loaded.keysFile === undefined ? undefined : new FileKeyStore(loaded.keysFile));
        const report = buildReport(loaded, envPrefix, ctx.now());
        ctx.out(json ? `${JSON.stringify(report)}\n` : formatReport(report));
      } catch (err) {
        // These name the source and the problem, never a token value.
        if (!isCodedError(err)) throw err;
        if (json) ctx.out(`${JSON.stringify({ ok: false, error: { code: err.code, message: err.message } })}\n`);
        throw failure(err.message);
      }
    });
}
