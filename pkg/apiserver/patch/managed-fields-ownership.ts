/**
 * The ownership step shared by apply and update (structured-merge-diff `Updater.update`): compare
 * the live object with the new one; every other manager that owns a field being added or changed
 * is in conflict, and every manager loses the fields that were removed. With `force` the
 * conflicting fields simply change hands.
 */
import type { Schema } from '../schema/types.ts';
import type { FieldSet } from './field-set.ts';
import type { FieldPath } from './field-set-path.ts';
import { compareValues, type Comparison } from './field-set-compare.ts';
import type { ManagedState, ManagerIdentity } from './managed-fields.ts';
import { stripUntrackedFields } from './managed-fields-strip.ts';

export interface FieldConflict {
  /** The manager identifier (see managerIdentifier). */
  readonly identifier: string;
  readonly identity: ManagerIdentity;
  readonly path: FieldPath;
}

/** Raised by the ownership step when conflicts are not forced. */
export class OwnershipConflicts extends Error {
  readonly conflicts: readonly FieldConflict[];
  constructor(conflicts: readonly FieldConflict[]) {
    super(`${conflicts.length} field manager conflict(s)`);
    this.name = 'OwnershipConflicts';
    this.conflicts = conflicts;
  }
}

export interface OwnershipInput {
  live: unknown;
  updated: unknown;
  schema: Schema;
  state: ManagedState;
  /** Identifier of the writer; its own entry is never in conflict with itself. */
  workflow: string;
  force: boolean;
  /** Fields the strategy resets (e.g. status on the main resource): nobody gains or loses them. */
  ignored: FieldSet;
}

export function reconcileOwnership(input: OwnershipInput): { state: ManagedState; comparison: Comparison; changed: FieldSet } {
  const raw = compareValues(input.live, input.updated, input.schema);
  const comparison: Comparison = {
    added: raw.added.recursiveDifference(input.ignored),
    modified: raw.modified.recursiveDifference(input.ignored),
    removed: raw.removed.recursiveDifference(input.ignored),
  };
  const changed = comparison.modified.union(comparison.added);
  const conflicts: FieldConflict[] = [];
  const conflictSets = new Map<string, FieldSet>();
  for (const [identifier, owned] of input.state) {
    if (identifier === input.workflow) continue;
    const clash = owned.set.intersection(changed);
    if (clash.isEmpty()) continue;
    conflictSets.set(identifier, clash);
    // Forced (every Update) conflicts just change hands: their list is only for the error.
    if (!input.force) for (const path of clash.paths()) conflicts.push({ identifier, identity: owned.identity, path });
  }
  if (conflicts.length > 0) {
    conflicts.sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
    throw new OwnershipConflicts(conflicts);
  }
  const state: ManagedState = new Map();
  for (const [identifier, owned] of input.state) {
    if (identifier === input.workflow) {
      state.set(identifier, owned);
      continue;
    }
    let set = owned.set.difference(comparison.removed);
    const clash = conflictSets.get(identifier);
    if (clash) set = set.difference(clash);
    // The entry itself when the write left its fields alone (see ManagedSet.decodedFrom).
    if (!set.isEmpty()) state.set(identifier, set === owned.set ? owned : { ...owned, set });
  }
  return { state, comparison, changed };
}

/** stripMetaManager: drop untracked fields from every manager, and managers left with nothing. */
export function stripState(state: ManagedState): ManagedState {
  const out: ManagedState = new Map();
  for (const [identifier, owned] of state) {
    const set = stripUntrackedFields(owned.set);
    if (!set.isEmpty()) out.set(identifier, set === owned.set ? owned : { ...owned, set });
  }
  return out;
}
