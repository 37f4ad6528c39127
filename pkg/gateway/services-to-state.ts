/**
 * A domain's Services with their endpoints, as the gateway state's local services. There is no
 * Endpoints controller in this control plane, so endpoints come from the pods the Service selects
 * (what kube-controller-manager would have written into Endpoints): their podIP on each Service
 * port's targetPort, resolved against the pod's named container ports as Kubernetes does.
 */
import { Annotations, Labels } from '../crd/index.ts';
import type { Pod, Service } from '../kube/wire.ts';
import type { LocalService, ServiceProtocol } from './xds/resources/index.ts';

const PROTOCOLS: readonly ServiceProtocol[] = ['HTTP', 'HTTPS', 'GRPC', 'GRPCS'];

function selects(selector: Record<string, string>, pod: Pod): boolean {
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Pods that can take traffic: scheduled and with an IP, not finished; ready unless the Service publishes not-ready ones. */
function serves(pod: Pod, publishNotReady: boolean): boolean {
  if (!pod.status?.podIP || pod.metadata?.deletionTimestamp) return false;
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return false;
  return publishNotReady || pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** A Service port's target on one pod: a number, or a container port name looked up in the pod. */
function targetPortOf(pod: Pod, target: number | string | undefined, servicePort: number): number | undefined {
  if (target === undefined) return servicePort;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

export function servicesToState(services: readonly Service[], pods: readonly Pod[]): LocalService[] {
  const out: LocalService[] = [];
  for (const service of services) {
    const selector = service.spec?.selector;
    if (!service.metadata?.name || !selector || Object.keys(selector).length === 0 || service.spec?.type === 'ExternalName') continue;
    const members = pods.filter((p) => p.metadata?.namespace === service.metadata?.namespace && selects(selector, p) && serves(p, service.spec?.publishNotReadyAddresses === true));
    // One cluster per Service (Kuscia's EndpointsController): ports resolve on its first pod, as
    // the task Services have a single pod; a pod whose ports differ is still served on these.
    const first = members[0];
    const ports = (service.spec?.ports ?? []).flatMap((p) => {
      const port = first ? targetPortOf(first, p.targetPort, p.port) : undefined;
      return port === undefined ? [] : [{ name: p.name ?? String(p.port), port }];
    });
    const annotations = service.metadata.annotations ?? {};
    const protocol = PROTOCOLS.find((p) => p === annotations[Annotations.Protocol]?.toUpperCase());
    const access = (annotations[Annotations.AccessDomain] ?? '').split(',').map((d) => d.trim()).filter(Boolean);
    out.push({
      name: service.metadata.name,
      ...(protocol ? { protocol } : {}),
      ports,
      addresses: [...new Set(members.map((p) => p.status!.podIP!))],
      ...(access.length > 0 ? { accessDomains: access } : {}),
      ...(service.metadata.labels?.[Labels.PortScope] === 'Domain' ? { domainScope: true } : {}),
    });
  }
  return out;
}

/**
 * What of a pod servicesToState reads: a pod update that leaves these alone (most status writes:
 * container states, restarts, conditions other than Ready) cannot change the gateway's services.
 */
export function podServingChanged(before: Pod, after: Pod): boolean {
  const served = (p: Pod) =>
    JSON.stringify([
      p.metadata?.labels,
      p.metadata?.deletionTimestamp,
      p.status?.podIP,
      p.status?.phase,
      p.status?.conditions?.find((c) => c.type === 'Ready')?.status,
      p.spec?.containers?.map((c) => c.ports),
    ]);
  return served(before) !== served(after);
}
