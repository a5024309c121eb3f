// How keys are shown: status, the JSON view (never a digest), the table and a one-line summary.
import { formatRelative } from '../keys/duration.js';
import type { KeyEntry, KeyFamily } from '../keys/types.js';

/** Whether a key is accepted now. */
export type KeyStatus = 'active' | 'expired' | 'revoked';

/** A key as `keys list --json` shows it: every field but the digest, absent times as null. */
export interface KeyView {
  readonly id: string;
  readonly name: string;
  readonly family: KeyFamily;
  readonly scopes: readonly string[];
  readonly hint: string;
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
  readonly status: KeyStatus;
  /** The following only when the entry has them. */
  readonly environment?: string;
  readonly agent_id?: string;
  /** The enrollment token that created this agent key: its id and name (null when it is gone). */
  readonly enrolled_by?: { readonly id: string; readonly name: string | null };
  readonly grant_scopes?: readonly string[];
  readonly uses?: number;
  readonly used?: number;
}

const reached = (at: string | undefined, now: number): boolean => at !== undefined && Date.parse(at) <= now;

/** `revoked` once revoked_at <= now, else `expired` once expires_at <= now, else `active`. */
export function keyStatus(entry: KeyEntry, now: number): KeyStatus {
  if (reached(entry.revoked_at, now)) return 'revoked';
  if (reached(entry.expires_at, now)) return 'expired';
  return 'active';
}

/** The JSON view of an entry (no digest); `all` finds the enrollment token of an agent key. */
export function keyView(entry: KeyEntry, now: number, all: readonly KeyEntry[] = []): KeyView {
  const by = entry.enrolled_by;
  return {
    id: entry.id,
    name: entry.name,
    family: entry.family,
    scopes: entry.scopes,
    hint: entry.hint,
    created_at: entry.created_at,
    expires_at: entry.expires_at ?? null,
    revoked_at: entry.revoked_at ?? null,
    status: keyStatus(entry, now),
    ...(entry.environment !== undefined && { environment: entry.environment }),
    ...(entry.agent_id !== undefined && { agent_id: entry.agent_id }),
    ...(by !== undefined && { enrolled_by: { id: by, name: all.find((e) => e.id === by)?.name ?? null } }),
    ...(entry.grant_scopes !== undefined && { grant_scopes: entry.grant_scopes }),
    ...(entry.uses !== undefined && { uses: entry.uses, used: entry.used ?? 0 }),
  };
}

/** The enrollment side of a key for a human: `enrolled by key_x "edge-fleet"`, or `used 1/3, grants models:predict`. */
function enrollmentNote(e: KeyEntry, all: readonly KeyEntry[]): string {
  if (e.enrolled_by !== undefined) {
    const token = all.find((x) => x.id === e.enrolled_by);
    return `${e.agent_id ?? ''} enrolled by ${e.enrolled_by}${token === undefined ? ' (gone)' : ` "${token.name}"`}`.trim();
  }
  if (e.uses !== undefined) return `used ${e.used ?? 0}/${e.uses}, grants ${scopeList(e.grant_scopes ?? [])}`;
  return e.agent_id ?? '';
}

/** Counts of keys by status. */
export function countByStatus(entries: readonly KeyEntry[], now: number): Record<KeyStatus, number> {
  const counts: Record<KeyStatus, number> = { active: 0, expired: 0, revoked: 0 };
  for (const entry of entries) counts[keyStatus(entry, now)]++;
  return counts;
}

/** Scopes for a human: comma-separated, or `(none)`. */
export const scopeList = (scopes: readonly string[]): string => (scopes.length === 0 ? '(none)' : scopes.join(','));

/** `2027-01-31 00:00Z`: an ISO time cut to the minute. */
const short = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;

/** `key <id> "<name>" (family service, scopes models:read, expires <iso or never>)`. */
export function describeKey(entry: KeyEntry): string {
  const env = entry.environment === undefined ? '' : `, environment ${entry.environment}`;
  const grants = entry.uses === undefined ? '' : `, grants ${scopeList(entry.grant_scopes ?? [])}, uses ${entry.uses}`;
  return `key ${entry.id} "${entry.name}" (family ${entry.family}, scopes ${scopeList(entry.scopes)}${env}${grants}, expires ${entry.expires_at ?? 'never'})`;
}

/**
 * The table of `keys list`: a header, then one row per key, columns padded to their widest cell.
 * ENV and ENROLLMENT (an agent's enrollment token, a token's uses) appear when a row needs them;
 * LAST USED when `lastUsed` is given (Redis records it; a keys file does not).
 * @param all - every entry of the file, to name the enrollment token of an agent key
 * @param lastUsed - id -> ISO time of the key's last use
 * @returns the lines, each ending with a newline
 */
export function keyTable(entries: readonly KeyEntry[], now: number, all: readonly KeyEntry[] = entries, lastUsed?: Readonly<Record<string, string>>): string {
  const env = entries.some((e) => e.environment !== undefined);
  const enrollment = entries.some((e) => enrollmentNote(e, all) !== '');
  const extra = (cells: string[]): string[] => [...(env ? [cells[0]!] : []), ...(enrollment ? [cells[1]!] : []), ...(lastUsed !== undefined ? [cells[2]!] : [])];
  const rows = [['ID', 'NAME', 'FAMILY', 'SCOPES', 'HINT', 'CREATED', 'EXPIRES', 'STATUS', ...extra(['ENV', 'ENROLLMENT', 'LAST USED'])]];
  for (const e of entries) {
    const expires = e.expires_at === undefined ? 'never' : `${short(e.expires_at)} (${formatRelative(Date.parse(e.expires_at), now)})`;
    const used = lastUsed?.[e.id];
    rows.push([e.id, e.name, e.family, scopeList(e.scopes), e.hint, short(e.created_at), expires, keyStatus(e, now), ...extra([e.environment ?? '-', enrollmentNote(e, all) || '-', used === undefined ? 'never' : short(used)])]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => `${row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()}\n`).join('');
}
