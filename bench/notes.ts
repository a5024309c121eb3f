// What CPU profiles showed for targets, by target name: docs/benchmarks.md prints each note under
// the targets table with that run's figure. Profiles are shares of the server's busy CPU, taken
// with bench/profile.ts (node --cpu-prof at 250 us, one variant per server process, 10 rounds);
// "inclusive" means with callees, up to the `next()` the middleware hands the request on with
// (`--stop next --under <middleware>`). Write the date with each note, and profile again when the
// code under it changes.

export const PROFILE_NOTES: Readonly<Record<string, string>> = {
  '(b)/(a) valid token': `(b)/(a) is (n)/(a), what Express charges for any \`app.use\` layer (see (n) in the
  Results table), times (b)/(n), bearerGuard's own cost: 6.7% of the server's busy CPU in the 2026-11-27
  profile (see (b)/(n) below). With both together, 0.95 is out of reach until the guard's own share is near 2%.`,
  '(b)/(g) vs minimal guard': `Profiles of (g) and (b) alone, 2026-11-27 (\`bench/profile.ts --prof DIR
  --inclusive minimal --stop next --under minimal g\`): the hand-written guard takes 7.0% inclusive, of which
  SHA-256 through \`createHash().update().digest()\` 4.8%; bearerGuard takes 6.7% (SHA-256 through the string
  digest \`crypto.hash\` only 2.0%, but the \`req.auth\` store 1.4%, header parsing 1.1% and the public-path
  check 1.0%: see (b)/(n)). The two cost the same within what a profile resolves, so this target sits on its
  line: runs on this machine gave 1.026 (2026-11-22), 1.007 and 0.969 (2026-11-27).`,
  '(b)/(e) vs passport README': `The one target across two server processes (see Method). Profile of (e) alone,
  2026-11-27: passport's \`authenticate\` middleware with the README strategy takes 14.9% of the server's busy
  CPU inclusive (passport 12.4% self, passport-http-bearer 1.6%), against 6.7% for bearerGuard in (b)'s profile.`,
  '(i)/(h) Express 4': `Profile of (i) alone, 2026-11-27 (\`bench/profile.ts --prof DIR --inclusive
  bearerGuardMiddleware,find,hash,settle,readBearerToken,isPublic --stop next --under bearerGuardMiddleware i\`):
  bearerGuardMiddleware takes 7.7% of the server's busy CPU inclusive on Express 4.22: \`Keyring.find\` 4.1%,
  of which SHA-256 of the presented token (\`crypto.hash\` in \`digestToken\`) 3.6%; \`settle\` 1.9%, 547 of
  its 598 line ticks on \`req.auth = outcome.principal\` (src/request/settle.ts); \`readBearerToken\` 0.8%;
  \`isPublic\` 0.06%; the other frames 0.8%. 7.7% alone predicts about 0.92-0.93 before Express 4's charge
  for the extra layer; 0.95 allows 5%.`,
  '(b)/(n) vs no-op app.use': `Profile of (b) alone, 2026-11-27 (\`bench/profile.ts --prof DIR --inclusive
  bearerGuardMiddleware,find,hash,settle,readBearerToken,isPublic --stop next --under bearerGuardMiddleware b\`):
  bearerGuardMiddleware takes 6.7% of the server's busy CPU inclusive; the no-op middleware's own frame is too
  small to show. 6.7% predicts a ratio of about 0.93-0.94, and 0.97 allows about 3%. By function: SHA-256 of
  the presented token 2.0% (\`crypto.hash\` in \`digestToken\`, called by \`Keyring.find\`, whose map lookup
  adds 0.3%); \`settle\` 1.6%, 87% of whose line ticks fall on \`req.auth = outcome.principal\`
  (src/request/settle.ts): V8's IC log (\`--log-ic\`) shows that store megamorphic, with "LookupForWrite said
  'false'" on every logged miss, so adding \`auth\` to an Express 5 request takes V8's slow path each time (a
  bare \`app.use\` that only sets \`req.auth\` logs the same, so it comes from Express 5's request objects, not
  from how this code is written); \`readBearerToken\` 1.1%; the public-path check \`isPublic\` 1.0%; the other
  frames (authenticateAndSettle, authenticate, judge, the middleware) 0.7%. A focused 30-round re-run
  (\`bench/profile.ts --rounds 30 n b\`) gave 0.961. The earlier profile (2026-11-22, self time only) put the
  guard's own functions at 2.3%; today their self times add up to 4.2%, plus 1.9% inside \`crypto.hash\`.`,
  '(q)/(p) Redis store vs keys file': `Profile of (q) alone, 2026-11-27 (\`bench/profile.ts --prof DIR --inclusive
  bearerGuardMiddleware,touch,available,find --stop next --under bearerGuardMiddleware q\`): what the Redis store
  adds on the request path is \`available()\` (one clock read against the staleness limit) at 0.37% of the
  server's busy CPU inclusive and \`touch()\` (a map write for the batched \`last_used_at\`) at 0.13%; the rest of
  bearerGuardMiddleware (6.1% in all) is the same code as with the keys file. 0.5% predicts about 0.995; the
  CPU per request of a 5-round run gave (p)/(q) 0.992, a focused 10-round re-run (\`bench/profile.ts p q\`)
  1.084 in throughput: the per-round ratios of this pair are noise-bound on this machine.`,
  '(l)/(j) requireScopes': `Profile of (l) alone, 2026-11-27: \`requireScopesMiddleware\` takes 0.4% of the
  server's busy CPU inclusive; the rest of any difference is Express dispatching a second route handler.`,
  '(m)/(j) audit sink': `Profile of (m) alone, 2026-11-27 (\`bench/profile.ts --prof DIR --inclusive
  auditEvent,auditPath,mayContainToken,clientIp,ip,safeText --stop next --under bearerGuardMiddleware m\`):
  building the event (\`auditEvent\`, src/audit/event.ts) takes 6.6% of the server's busy CPU, although the
  sink drops it at once (the sink call does not show). Its own frame is 2.3%, and 87% of its line ticks fall
  on \`time: new Date().toISOString()\`; \`auditPath\` 2.4% (\`split\`/\`map\`/\`join\` of the path 1.2%,
  \`mayContainToken\` on every segment 1.1%); \`clientIp\` 1.4%, of which Express's \`req.ip\` getter 1.0%
  (proxy-addr, then forwarded, which parses X-Forwarded-For even with \`trust proxy\` off); \`safeText\` on
  method, path and ip 0.7%. 6.6% predicted a ratio of about 0.93-0.94 (a focused 30-round re-run gave 0.935).
  Fixed after that profile: each millisecond's timestamp is formatted once, a path with no query, nothing to
  escape and no token-length run skips the redaction work, \`safeText\` returns clean text untouched, and the
  socket address is used unless the app trusts proxies (then \`req.ip\`). In-process, building an event went
  from about 3.8 us to 0.5 us.`,
};
