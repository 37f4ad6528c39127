/**
 * TaskResource names: `<trg>-<last group of a UUID>`, generated once and written into the group's
 * spec (`taskResourceName` per party) before any TaskResource exists, so a restarted controller or a
 * new leader creates the same objects instead of a second set.
 */
import { randomUUID as nodeRandomUUID } from 'node:crypto';
import type { TaskResourceGroup, TaskResourceGroupParty } from '../../crd/resource.ts';

export type RandomUUID = () => string;

export function generateTaskResourceName(trgName: string, randomUUID: RandomUUID = nodeRandomUUID): string {
  const groups = randomUUID().split('-');
  return `${trgName}-${groups[groups.length - 1]}`;
}

/** The spec with a name for every party that has none (a copy), or undefined when all have one. */
export function withTaskResourceNames(trg: TaskResourceGroup, randomUUID: RandomUUID = nodeRandomUUID): TaskResourceGroup['spec'] | undefined {
  const name = trg.metadata.name ?? '';
  let changed = false;
  const fill = (party: TaskResourceGroupParty): TaskResourceGroupParty => {
    if (party.taskResourceName) return party;
    changed = true;
    return { ...party, taskResourceName: generateTaskResourceName(name, randomUUID) };
  };
  const spec = { ...trg.spec, parties: (trg.spec.parties ?? []).map(fill) };
  if (trg.spec.outOfControlledParties) spec.outOfControlledParties = trg.spec.outOfControlledParties.map(fill);
  return changed ? spec : undefined;
}
