/** The one-time check of a new TaskResourceGroup (Pending phase). */
import type { TaskResourceGroup } from '../../crd/resource.ts';

/** Every party of the group, self ones first. */
export function allPartiesOf(trg: TaskResourceGroup) {
  return [...(trg.spec.parties ?? []), ...(trg.spec.outOfControlledParties ?? [])];
}

/** Why the group cannot be reserved (Kuscia's texts), or undefined when it is valid. */
export function validateTaskResourceGroup(trg: TaskResourceGroup): string | undefined {
  const name = trg.metadata.name ?? '';
  const totalParties = allPartiesOf(trg).length;
  if (trg.spec.minReservedMembers > totalParties) {
    return `task resource group ${name} minReservedMembers can't be greater than party counts`;
  }
  if (!trg.spec.initiator) return `task resource group initiator ${trg.spec.initiator ?? ''} can't be empty`;
  if (totalParties === 0) return `parties in task resource group ${name} can't be empty`;
  return undefined;
}
