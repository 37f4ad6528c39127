/**
 * Wording of server-side apply conflicts, as kube-apiserver's NewConflictError renders them:
 *   Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key
 *   Apply failed with 2 conflicts: conflicts with "a" using v1:\n- .x\n- .y
 * and one `FieldManagerConflict` cause per conflicting field.
 */
import type { StatusCause } from '../api/field-error.ts';
import { pathToString } from './field-set-path.ts';
import { describeManager } from './managed-fields.ts';
import type { FieldConflict } from './managed-fields-ownership.ts';

export function conflictMessage(conflicts: readonly FieldConflict[]): string {
  if (conflicts.length === 1) {
    const [c] = conflicts;
    return `Apply failed with 1 conflict: conflict with ${describeManager(c.identity)}: ${pathToString(c.path)}`;
  }
  const byManager = new Map<string, FieldConflict[]>();
  for (const c of conflicts) {
    const list = byManager.get(c.identifier) ?? [];
    list.push(c);
    byManager.set(c.identifier, list);
  }
  const lines: string[] = [];
  for (const identifier of [...byManager.keys()].sort()) {
    const list = byManager.get(identifier)!;
    lines.push(`conflicts with ${describeManager(list[0].identity)}:`);
    for (const c of list) lines.push(`- ${pathToString(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export function conflictCauses(conflicts: readonly FieldConflict[]): StatusCause[] {
  return conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.identity)}`,
    field: pathToString(c.path),
  }));
}
