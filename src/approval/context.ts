// What a guard hands to requireApproval through its issuer: the trusted keys in force and the replay store.
import type { BearerGuardLogger } from '../config/options.js';
import { loadApprovalKeys, type ApprovalKeysSource, type LiveApprovalKeys } from './live-keys.js';
import { MemoryReplayStore, type ReplayStore } from './replay-store.js';

/** One guard's approval setup. @internal */
export interface ApprovalContext {
  readonly keys: LiveApprovalKeys;
  /** Shared by every requireApproval behind the guard, so an approval is used once across routes. */
  readonly replay: ReplayStore;
}

/**
 * Loads the trusted keys (throwing at start-up on a bad file), with a fresh in-memory replay store
 * unless one shared by every replica (Redis) is given.
 * @param source - the JWKS file or object, and how messages name an object source
 * @param replay - where used approval ids are remembered
 * @throws BearerGuardConfigError (`ERR_BEARER_GUARD_APPROVAL_KEYS`)
 * @internal
 */
export function createApprovalContext(source: ApprovalKeysSource, where: string, logger: BearerGuardLogger, replay: ReplayStore = new MemoryReplayStore()): ApprovalContext {
  return Object.freeze({ keys: loadApprovalKeys(source, logger, where), replay });
}
