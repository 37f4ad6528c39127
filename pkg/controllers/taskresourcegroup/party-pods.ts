/**
 * A party's pods and the link that lets the scheduler start on them: label task-resource-uid and
 * annotation task-resource name the party's TaskResource, label task-resource-group-uid the group.
 */
import { Annotations, Labels } from '../../crd/constants.ts';
import type { TaskResource, TaskResourceGroup, TaskResourceGroupParty } from '../../crd/resource.ts';
import { isNotFound } from '../../kube/api-errors.ts';
import type { Pod } from '../../kube/wire.ts';
import type { TrgDeps } from './deps.ts';

export class PartyPodMissingError extends Error {
  constructor(namespace: string, name: string, group: string) {
    super(`pod ${namespace}/${name} of task resource group ${group} does not exist`);
    this.name = 'PartyPodMissingError';
  }
}

/**
 * The party's pods: from the cache, or read from the API when the cache has not seen one yet (the
 * task controller creates pods just before the group). A pod that does not exist is an error.
 */
export async function readPartyPods(deps: TrgDeps, trg: TaskResourceGroup, party: TaskResourceGroupParty): Promise<Pod[]> {
  return Promise.all(
    (party.pods ?? []).map(async ({ name }) => {
      const cached = deps.pods.get(party.domainID, name);
      if (cached) return cached;
      try {
        return await deps.clients.pods.get(party.domainID, name);
      } catch (err) {
        if (isNotFound(err)) throw new PartyPodMissingError(party.domainID, name, trg.metadata.name ?? '');
        throw err;
      }
    }),
  );
}

function isLinked(pod: Pod, trg: TaskResourceGroup, tr: TaskResource): boolean {
  const { labels = {}, annotations = {} } = pod.metadata ?? {};
  return (
    labels[Labels.TaskResourceUID] === tr.metadata.uid &&
    labels[Labels.TaskResourceGroupUID] === trg.metadata.uid &&
    annotations[Annotations.TaskResource] === tr.metadata.name
  );
}

export interface LinkOptions {
  /**
   * Also stamp `taskresource-reserving-timestamp` on every pod, linked or not: a retry does this so
   * the scheduler sees an update of pods it had given up on.
   */
  reservingTimestamp?: string;
}

/** The party's pods the cache has (a pod not seen yet is linked when its add event comes). */
export function cachedPartyPods(deps: TrgDeps, party: TaskResourceGroupParty): Pod[] {
  return (party.pods ?? []).map(({ name }) => deps.pods.get(party.domainID, name)).filter((p): p is Pod => p !== undefined);
}

/** Links pods to their party's TaskResource (merge patches, in parallel; pods already linked are left alone). */
export async function linkPods(deps: TrgDeps, trg: TaskResourceGroup, tr: TaskResource, pods: Pod[], options: LinkOptions = {}): Promise<void> {
  const annotations: Record<string, string> = { [Annotations.TaskResource]: tr.metadata.name ?? '' };
  if (options.reservingTimestamp) annotations[Annotations.TaskResourceReservingTimestamp] = options.reservingTimestamp;
  const patch = {
    metadata: {
      labels: { [Labels.TaskResourceUID]: tr.metadata.uid ?? '', [Labels.TaskResourceGroupUID]: trg.metadata.uid ?? '' },
      annotations,
    },
  };
  await Promise.all(
    pods
      .filter((pod) => options.reservingTimestamp !== undefined || !isLinked(pod, trg, tr))
      .map(async (pod) => {
        const { namespace = '', name = '' } = pod.metadata ?? {};
        try {
          await deps.clients.pods.patch(namespace, name, patch);
        } catch (err) {
          // A pod deleted meanwhile needs no link; the task controller notices the missing pod.
          if (!isNotFound(err)) throw err;
        }
      }),
  );
}
