// `approval verify --claim`: step 9 against Redis, claiming the approval id exactly as a server with `once` does.
import type { Command } from 'commander';
import type { ApprovalPayload } from '../../approval/payload.js';
import { CLOCK_SKEW_S } from '../../approval/verify.js';
import { connectRedis } from '../../redis/connect.js';
import { RedisReplayStore } from '../../redis/replay-store.js';
import type { CliContext } from '../context.js';
import { usageError } from '../errors.js';
import { redisUrlFromEnv, withPrefix, type RedisSource } from '../redis-source.js';

/** The options that turn the claim on. */
export interface ClaimOptions {
  claim?: boolean;
  redisUrl?: string;
  redisPrefix?: string;
}

/**
 * The Redis to claim in: `--redis-url` (which turns `--claim` on), else with `--claim` env
 * `AUTH_REDIS_URL` / `AUTH_REDIS_URL_FILE`; undefined when no claim was asked for. The env alone
 * never turns it on: a check must not consume approvals because of a variable left set.
 * @throws CliError (usage) for `--claim` without a Redis, or `--redis-prefix` without a claim
 */
export function claimTarget(cmd: Command, opts: ClaimOptions, ctx: CliContext): RedisSource | undefined {
  const flag = opts.redisUrl !== undefined && opts.redisUrl !== '' ? { url: opts.redisUrl, source: '--redis-url' } : undefined;
  if (flag === undefined && opts.claim !== true) {
    if (opts.redisPrefix !== undefined) throw usageError(cmd, '--redis-prefix needs --claim (or --redis-url)');
    return undefined;
  }
  const found = flag ?? redisUrlFromEnv(cmd, ctx.env);
  if (found === undefined) throw usageError(cmd, '--claim needs a Redis: pass --redis-url URL (or set AUTH_REDIS_URL or AUTH_REDIS_URL_FILE)');
  return withPrefix(cmd, found, opts.redisPrefix, ctx.env);
}

/**
 * Claims the approval's id in Redis until its `expires_at` + 60 s, as `requireApproval` with
 * `once: true` does on every replica.
 * @returns true the first time, false for a replay
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_REDIS`, exit 1) when Redis cannot be reached
 */
export async function claimApproval(target: RedisSource, payload: ApprovalPayload): Promise<boolean> {
  const client = await connectRedis(target.url, target.source);
  try {
    return await new RedisReplayStore(client, target.prefix).claim(payload.approval_id, (payload.expires_at + CLOCK_SKEW_S) * 1000);
  } finally {
    client.disconnect();
  }
}
