// The shapes selfTest() takes and returns, and the printable summary of its report.

/** Options of {@link selfTest}. */
export interface SelfTestOptions {
  /**
   * The paths your guard leaves open, as given to `bearerGuard({ public })`. A route whose
   * pattern is one of them may run without a token, and each of them must not answer 401
   * (else a `public-path-refused` finding). Write them as the client sends them: for a guard
   * mounted above a sub-app at `/api`, that is `/api/v2/`, not `/v2/`.
   * @defaultValue `["/", "/v2/"]`
   */
  public?: readonly string[] | undefined;
  /**
   * Extra concrete paths to probe (with GET, plus every method variant), for routes the
   * self-test cannot read: regular-expression routes, sub-apps, plain middleware.
   * @defaultValue none
   */
  paths?: readonly string[] | undefined;
  /** Requests in flight at once. @defaultValue `8` */
  concurrency?: number | undefined;
  /** Milliseconds to wait for each response. @defaultValue `5000` */
  timeoutMs?: number | undefined;
}

/**
 * What a finding says:
 * - `handler-ran`: a route handler ran for a request without a valid token;
 * - `answered`: the app answered 2xx/3xx to a non-public path without a route handler running;
 * - `public-path-refused`: a path declared in `public` answered 401 to a request without a
 *   token, so the guard does not treat it as public. The usual cause is a sub-app or router
 *   mounted under a prefix: the default public paths (`/`, `/v2/`) apply to a guard at the app
 *   root only, and an explicit list is relative to where the guard is mounted. For a sub-app at
 *   `/api`, give the guard inside it `public: ["/", "/v2/"]`, or a guard above it
 *   `public: ["/api/", "/api/v2/"]`.
 */
export type SelfTestFindingKind = 'handler-ran' | 'answered' | 'public-path-refused';

/** A route reached without a valid token, or a declared public path that refused one. */
export interface SelfTestFinding {
  /** `METHOD pattern`, e.g. `GET /v2/models/:name`; for answers no route handler gave, and for public paths, `METHOD path`. */
  readonly route: string;
  /** See {@link SelfTestFindingKind}. */
  readonly kind: SelfTestFindingKind;
  /** The first request that reached it, printable (non-printable bytes escaped). */
  readonly request: string;
  /** The corpus family of that request (`public-path` for a `public-path-refused` finding). */
  readonly family: string;
  /** Status of that request's response. */
  readonly status: number;
  /** How many requests of the corpus reached it. */
  readonly count: number;
}

/** What {@link selfTest} found. */
export interface SelfTestReport {
  /**
   * True when there is no finding: no request without a valid token reached a non-public
   * route, and every declared public path was let through.
   */
  readonly ok: boolean;
  /** Requests sent. */
  readonly sent: number;
  /** Count of responses per outcome, e.g. `401 missing_token`, `404`, `no response (closed)`. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Every finding, one per route (or public path). */
  readonly findings: readonly SelfTestFinding[];
  /** Route patterns found and probed. */
  readonly routes: readonly string[];
  /** Routes or mounts the self-test could not read (regular expressions): add `paths` for them. */
  readonly unprobed: readonly string[];
}

/**
 * A multi-line summary of a report, for assertion messages and CI logs.
 * @param report - what {@link selfTest} returned
 * @returns the summary: counts, then one entry per finding with the request that showed it
 * @example
 * ```ts
 * assert.ok(report.ok, formatSelfTestReport(report));
 * ```
 */
export function formatSelfTestReport(report: SelfTestReport): string {
  const refused = report.findings.filter((f) => f.kind === 'public-path-refused');
  const open = report.findings.length - refused.length;
  const head = `bearer-guard selfTest: ${report.sent} requests, ${open} route(s) reachable without a valid token`;
  const lines = [refused.length > 0 ? `${head}, ${refused.length} public path(s) refused` : head];
  for (const f of report.findings) {
    const what = f.kind === 'handler-ran' ? 'handler ran' : f.kind === 'answered' ? `answered ${f.status}` : `declared public, but answered ${f.status} without a token`;
    lines.push(`  ${f.route} (${what}, ${f.count} request(s); first: ${f.family})`, `    ${f.request.replace(/\n/g, '\n    ')}`);
  }
  if (refused.length > 0) {
    lines.push(
      '  a public path answered 401: the default public paths ("/", "/v2/") apply to a guard at the app root only,',
      '  and an explicit `public` list is relative to where the guard is mounted. For a sub-app mounted at /api,',
      '  give the guard inside it { public: ["/", "/v2/"] }, or a guard above it { public: ["/api/", "/api/v2/"] }.',
    );
  }
  lines.push(`  outcomes: ${Object.entries(report.outcomes).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  if (report.unprobed.length > 0) lines.push(`  not probed (add them to "paths"): ${report.unprobed.join('; ')}`);
  return lines.join('\n');
}
