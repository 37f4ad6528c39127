/**
 * The headless Service of one Cluster- or Domain-scoped pod port (Kuscia: generateServices). The
 * gateway routes `<service>.<domain>.svc` to it; `loadbalancer=domainroute` exposes a Cluster port
 * to other parties through the gateway, `access-domain` says which domains may call it. The
 * Service is owned by its pod (same namespace), so it goes when the pod goes.
 */
import {
  Annotations,
  bandwidthLimitAnnotation,
  LOAD_BALANCER_DOMAIN_ROUTE,
  Labels,
  type KusciaTask,
} from '../../crd/index.ts';
import type { Pod, Service } from '../../kube/wire.ts';
import type { PartyKit } from './party-kit.ts';
import type { ResolvedPort } from './port-assignment.ts';
import { owningTaskUID } from './task-objects.ts';

export function buildService(task: KusciaTask, kit: PartyKit, pod: Pod, serviceName: string, port: ResolvedPort): Service {
  const labels: Record<string, string> = {
    [Labels.PortName]: port.name,
    [Labels.PortScope]: port.scope,
    [Labels.TaskUID]: task.metadata.uid ?? '',
  };
  const protocolType = task.metadata.labels?.[Labels.InterConnProtocolType];
  if (protocolType) labels[Labels.InterConnProtocolType] = protocolType;
  if (port.scope !== 'Domain') labels[Labels.LoadBalancer] = LOAD_BALANCER_DOMAIN_ROUTE;
  const annotations: Record<string, string> = {
    [Annotations.Initiator]: task.spec.initiator,
    [Annotations.Protocol]: port.protocol,
    [Annotations.AccessDomain]: kit.portAccessDomains[port.name] ?? '',
    [Annotations.TaskID]: task.metadata.name ?? '',
  };
  for (const limit of kit.bandwidthLimits) annotations[bandwidthLimitAnnotation(limit.destinationID)] = String(Math.trunc(limit.limitKBps ?? 0));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: serviceName,
      namespace: kit.domainID,
      labels,
      annotations,
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: 'None',
      selector: { [Labels.PodIdentity]: pod.metadata?.labels?.[Labels.PodIdentity] ?? '' },
      ports: [{ name: port.name, port: port.port, protocol: 'TCP', targetPort: port.name }],
      publishNotReadyAddresses: true,
    },
  };
}

/** Kuscia refuses to adopt a Service it did not create for this very pod. */
export function isServiceOfPod(service: Service, pod: Pod): boolean {
  const owner = service.metadata?.ownerReferences?.find((r) => r.controller);
  return owner?.kind === 'Pod' && owner.uid === pod.metadata?.uid && owningTaskUID(service) === owningTaskUID(pod);
}
