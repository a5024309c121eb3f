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
}

const reached = (at: string | undefined, now: number): boolean => at !== undefined && Date.parse(at) <= now;

/** `revoked` once revoked_at <= now, else `expired` once expires_at <= now, else `active`. */
export function keyStatus(entry: KeyEntry, now: number): KeyStatus {
  if (reached(entry.revoked_at, now)) return 'revoked';
  if (reached(entry.expires_at, now)) return 'expired';
  return 'active';
}

/** The JSON view of an entry (no digest). */
export function keyView(entry: KeyEntry, now: number): KeyView {
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
  };
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
  return `key ${entry.id} "${entry.name}" (family ${entry.family}, scopes ${scopeList(entry.scopes)}, expires ${entry.expires_at ?? 'never'})`;
}

/**
 * The table of `keys list`: a header, then one row per key, columns padded to their widest cell.
 * @returns the lines, each ending with a newline
 */
export function keyTable(entries: readonly KeyEntry[], now: number): string {
  const rows = [['ID', 'NAME', 'FAMILY', 'SCOPES', 'HINT', 'CREATED', 'EXPIRES', 'STATUS']];
  for (const e of entries) {
    const expires = e.expires_at === undefined ? 'never' : `${short(e.expires_at)} (${formatRelative(Date.parse(e.expires_at), now)})`;
    rows.push([e.id, e.name, e.family, scopeList(e.scopes), e.hint, short(e.created_at), expires, keyStatus(e, now)]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => `${row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()}\n`).join('');
}
