/**
 * Everything the controller needs to know about one party before creating anything (Kuscia's
 * "party kit"): the merged deploy template, its pods with their names, ports and Service names.
 * Pure: built from the task, the party and its AppImage, so every reconcile rebuilds the same kit.
 */
import type { AppImage, BandwidthLimit, DeployTemplate, KusciaTask, PartyInfo } from '../../crd/index.ts';
import { DeployTemplateNotFoundError, selectDeployTemplate } from '../common/deploy-template.ts';
import { portAccessDomains } from './access-domains.ts';
import { podIdentity, podName } from './names.ts';
import { mergePartyTemplate, minReservedPodsOf, replicasOf } from './party-template.ts';
import { isServicedPort, podNamedPorts, type NamedPort } from './party-ports.ts';
import { generateServiceName } from './service-name.ts';

export interface PodKit {
  index: number;
  name: string;
  identity: string;
  /** Port name → Service name, for the Cluster- and Domain-scoped ports. */
  serviceNames: Record<string, string>;
}

export interface PartyKit {
  domainID: string;
  role: string;
  /** A partner party's pods are run by another control plane; this one creates nothing for it. */
  partner: boolean;
  /** `<image name>:<tag>`. */
  image: string;
  imageID?: string;
  template: DeployTemplate;
  minReservedPods: number;
  ports: NamedPort[];
  servicedPorts: NamedPort[];
  pods: PodKit[];
  configTemplates: Record<string, string>;
  /** Port name → domains allowed to call it (only for tasks of more than one party). */
  portAccessDomains: Record<string, string>;
  bandwidthLimits: BandwidthLimit[];
}

/** A party whose pods cannot be described; the message names the party, as Kuscia's does. */
export class PartyKitError extends Error {
  readonly domainID: string;
  constructor(party: PartyInfo, reason: string) {
    super(`failed to build domain ${party.domainID} kit info, ${reason}`);
    this.name = 'PartyKitError';
    this.domainID = party.domainID;
  }
}

export function buildPartyKit(task: KusciaTask, party: PartyInfo, appImage: AppImage, partner: boolean): PartyKit {
  const taskName = task.metadata.name ?? '';
  const taskUID = task.metadata.uid ?? '';
  const role = party.role ?? '';
  let base: DeployTemplate;
  try {
    base = selectDeployTemplate(appImage, role);
  } catch (err) {
    if (!(err instanceof DeployTemplateNotFoundError)) throw err;
    throw new PartyKitError(party, `failed to select appropriate deploy template from appImage ${JSON.stringify(appImage.metadata.name)} for party ${party.domainID}/${role}, ${err.message}`);
  }
  const template = mergePartyTemplate(base, party.template);
  let ports: NamedPort[];
  try {
    ports = podNamedPorts(template.spec.containers ?? []);
  } catch (err) {
    throw new PartyKitError(party, `failed to merge ports in deploy template '${template.name}/${template.role ?? ''}', ${(err as Error).message}`);
  }
  const servicedPorts = ports.filter(isServicedPort);
  const replicas = replicasOf(template);
  const pods: PodKit[] = [];
  for (let index = 0; index < replicas; index++) {
    const name = podName(taskName, role, index);
    pods.push({
      index,
      name,
      identity: podIdentity(taskUID, role, index),
      serviceNames: Object.fromEntries(servicedPorts.map((p) => [p.name, generateServiceName(name, p.name)])),
    });
  }
  const { image } = appImage.spec;
  return {
    domainID: party.domainID,
    role,
    partner,
    image: `${image.name}:${image.tag}`,
    ...(image.id ? { imageID: image.id } : {}),
    template,
    minReservedPods: minReservedPodsOf(party.minReservedPods, replicas),
    ports,
    servicedPorts,
    pods,
    configTemplates: appImage.spec.configTemplates ?? {},
    portAccessDomains: task.spec.parties.length > 1 ? portAccessDomains(task.spec.parties, template.networkPolicy, ports) : {},
    bandwidthLimits: party.bandwidthLimits ?? [],
  };
}
