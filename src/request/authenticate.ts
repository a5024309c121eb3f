// The check shared by the middleware and the passport strategy: options -> a per-request verdict.
import type { IncomingMessage } from 'node:http';
import { loadAuthConfig } from '../config/load.js';
import { optionRangeError, type BearerGuardWarning } from '../errors/startup.js';
import { HeaderProblem, readBearerToken } from './read-credentials.js';
import { DEFAULT_MAX_TOKEN_LENGTH, DEFAULT_REALM, type BearerCheckOptions, type BearerGuardLogger } from '../config/options.js';
import { prepareFailures, type PreparedFailure } from './respond.js';
import { createTokenChecker } from '../keys/digest.js';
import { checkConfiguredToken } from '../config/token-rules.js';

/** The outcome for one request: the index of the matching token, or the refusal. @internal */
export type Verdict = number | PreparedFailure;

/** @internal */
export interface RequestCheck {
  /** True when no token is configured: every request passes. */
  readonly authOff: boolean;
  /** How many tokens are accepted. */
  readonly tokenCount: number;
  readonly logger: BearerGuardLogger;
  evaluate(req: IncomingMessage): Verdict;
}

/**
 * Resolves the tokens (the `token` option, or loadAuthConfig), logs the start-up warnings, and
 * precomputes everything the per-request path needs. Options must already be validated.
 * @internal
 */
export function createRequestCheck(o: BearerCheckOptions, fn: string): RequestCheck {
  const maxLength = o.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  const logger = o.logger ?? console;
  const warnings: BearerGuardWarning[] = [];
  let tokens: readonly string[];
  if (o.token !== undefined) {
    const list = typeof o.token === 'string' ? [o.token] : [...o.token];
    list.forEach((t, i) => {
      const source = list.length === 1 ? 'the token option' : `the token option (entry ${i})`;
      const weak = checkConfiguredToken(t, source, maxLength, (code, message) => optionRangeError(code, `${fn}: ${message}`));
      if (weak) warnings.push(weak);
    });
    tokens = list;
  } else {
    const config = loadAuthConfig({
      argv: o.argv,
      env: o.env,
      configFile: o.configFile,
      envPrefix: o.envPrefix,
      required: o.required,
      maxTokenLength: o.maxTokenLength,
    });
    warnings.push(...config.warnings);
    tokens = config.token === undefined ? [] : [config.token.reveal()];
  }
  const realm = o.realm ?? DEFAULT_REALM;
  // The realm goes to every client in WWW-Authenticate: refuse one that holds an accepted token.
  if (tokens.some((t) => realm === t || (t.length >= 8 && realm.includes(t)))) {
    throw optionRangeError(
      'ERR_BEARER_GUARD_INVALID_OPTION',
      `${fn}: \`realm\` contains an accepted token, and the realm is sent to every client in WWW-Authenticate; use a name such as "api"`,
    );
  }
  for (const w of warnings) logger.warn(w.message);
  const failures = prepareFailures(realm);
  if (tokens.length === 0) {
    return { authOff: true, tokenCount: 0, logger, evaluate: () => 0 };
  }
  const check = createTokenChecker(tokens);
  const tokenCount = tokens.length;
  return {
    authOff: false,
    tokenCount,
    logger,
    evaluate(req: IncomingMessage): Verdict {
      const token = readBearerToken(req, maxLength);
      if (typeof token !== 'string') {
        return token === HeaderProblem.Missing ? failures.missing
          : token === HeaderProblem.Ambiguous ? failures.invalidRequest
          : failures.invalidToken;
      }
      const index = check(token);
      return index === -1 ? failures.invalidToken : index;
    },
  };
}
