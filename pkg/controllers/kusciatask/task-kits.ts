/**
 * The kits of every party of a task. The AppImage and the party namespaces are read through the
 * caches with a live fallback: an AppImage applied just before its job may not be cached yet, and
 * failing the task for that would be wrong.
 */
import { Labels, type KusciaTask } from '../../crd/index.ts';
import type { TaskControllerDeps } from './deps.ts';
import { liveAppImage, liveNamespace } from './lookups.ts';
import { buildPartyKit, PartyKitError, type PartyKit } from './party-kit.ts';

export async function buildTaskKits(deps: TaskControllerDeps, task: KusciaTask): Promise<PartyKit[]> {
  const kits: PartyKit[] = [];
  for (const party of task.spec.parties) {
    const appImage = await liveAppImage(deps, party.appImageRef);
    if (!appImage) throw new PartyKitError(party, `failed to get appImage ${JSON.stringify(party.appImageRef)}, not found`);
    const namespace = await liveNamespace(deps, party.domainID);
    if (!namespace) throw new PartyKitError(party, `namespace ${JSON.stringify(party.domainID)} not found`);
    // A partner domain's pods are run by its own control plane.
    const partner = namespace.metadata?.labels?.[Labels.DomainRole] === 'partner';
    kits.push(buildPartyKit(task, party, appImage, partner));
  }
  return kits;
}
