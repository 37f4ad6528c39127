import type { CoreV1Event } from '@kubernetes/client-node';
import { API_VERSION, type Domain } from '../../crd/index.ts';
import { isAlreadyExists } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { Wire } from '../../kube/wire.ts';
import { rfc3339 } from '../common/controller-context.ts';

export type Event = Wire<CoreV1Event>;

export const INVALID_DOMAIN_NAME_REASON = 'InvalidDomainName';
export const DOMAIN_CONTROLLER_COMPONENT = 'domain-controller';

/** Events about cluster-scoped objects live in `default`, as client-go's recorder puts them. */
const CLUSTER_EVENT_NAMESPACE = 'default';
const MAX_NAME = 253;

/**
 * Records a Warning Event on a Domain whose name Kuscia refuses. The Event's name is derived from
 * the Domain's uid (client-go uses a timestamp), so a restarted controller finds it already there
 * instead of repeating it. Resolves false when it already existed.
 */
export async function recordInvalidDomainName(events: ResourceClient<Event>, domain: Domain, message: string, now: number): Promise<boolean> {
  const name = domain.metadata.name ?? '';
  const suffix = `.${(domain.metadata.uid ?? '').replaceAll('-', '').slice(0, 16)}`;
  const time = rfc3339(now);
  const event: Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: name.slice(0, MAX_NAME - suffix.length) + suffix, namespace: CLUSTER_EVENT_NAMESPACE },
    involvedObject: { apiVersion: API_VERSION, kind: 'Domain', name, uid: domain.metadata.uid, resourceVersion: domain.metadata.resourceVersion },
    type: 'Warning',
    reason: INVALID_DOMAIN_NAME_REASON,
    message,
    source: { component: DOMAIN_CONTROLLER_COMPONENT },
    reportingComponent: DOMAIN_CONTROLLER_COMPONENT,
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  };
  try {
    await events.create(event);
    return true;
  } catch (err) {
    if (isAlreadyExists(err)) return false;
    throw err;
  }
}
