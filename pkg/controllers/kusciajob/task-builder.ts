/**
 * The KusciaTask a job creates for one of its tasks (Go: buildWillStartKusciaTask, createTaskSpec,
 * buildPartyTemplate). Pure: the AppImages and the participation flag are looked up by the caller.
 */
import {
  API_VERSION,
  Annotations,
  ControllerName,
  CROSS_DOMAIN_NAMESPACE,
  Labels,
  type AppImage,
  type KusciaJob,
  type KusciaTask,
  type KusciaTaskTemplate,
  type Party,
  type PartyInfo,
  type PartyTemplate,
} from '../../crd/index.ts';
import { kusciaOwnerReference } from '../common/resources.ts';
import { selectDeployTemplate } from '../common/deploy-template.ts';
import { isInterConnJob } from './interconn.ts';
import { containerInstancesOf, splitPartyResources } from './resource-split.ts';

export const KUSCIA_JOB_KIND = 'KusciaJob';

/** Annotations and labels of the job that interconnected tasks carry over (Go: isIcJob branch). */
const INTERCONN_ANNOTATIONS = [
  Annotations.InterConnBFIAParties,
  Annotations.InterConnKusciaParties,
  Annotations.InterConnSelfParties,
  Annotations.PartyMasterDomain,
  Annotations.SelfClusterAsInitiator,
] as const;

export interface TaskBuildInput {
  job: KusciaJob;
  template: KusciaTaskTemplate;
  /** Whether any party of the task is run by this control plane (annotation self-cluster-as-participant). */
  selfClusterAsParticipant: boolean;
  /** The party's template, by index in template.parties (undefined: the AppImage's own stays). */
  partyTemplates: ReadonlyArray<PartyTemplate | undefined>;
}

export function buildKusciaTask({ job, template, selfClusterAsParticipant, partyTemplates }: TaskBuildInput): KusciaTask {
  const annotations: Record<string, string> = {
    [Annotations.JobID]: job.metadata.name ?? '',
    [Annotations.TaskAlias]: template.alias,
    [Annotations.SelfClusterAsParticipant]: String(selfClusterAsParticipant),
    [Annotations.Initiator]: job.spec.initiator,
  };
  const labels: Record<string, string> = {
    [Labels.Controller]: ControllerName.KusciaJob,
    [Labels.JobUID]: job.metadata.uid ?? '',
  };
  if (isInterConnJob(job.metadata)) {
    const jobAnnotations = job.metadata.annotations ?? {};
    for (const key of INTERCONN_ANNOTATIONS) {
      const value = jobAnnotations[key];
      if (value !== undefined && value !== '') annotations[key] = value;
    }
    const protocol = job.metadata.labels?.[Labels.InterConnProtocolType];
    if (protocol) labels[Labels.InterConnProtocolType] = protocol;
    // BFIA tasks are driven by the BFIA interconnection, not scheduled here.
    if (protocol === 'bfia') labels[Labels.TaskUnschedulable] = 'true';
  }
  return {
    apiVersion: API_VERSION,
    kind: 'KusciaTask',
    metadata: {
      name: template.taskID ?? '',
      namespace: CROSS_DOMAIN_NAMESPACE,
      labels,
      annotations,
      ownerReferences: [kusciaOwnerReference(KUSCIA_JOB_KIND, job)],
    },
    spec: {
      initiator: job.spec.initiator,
      taskInputConfig: template.taskInputConfig,
      ...(template.scheduleConfig ? { scheduleConfig: structuredClone(template.scheduleConfig) } : {}),
      parties: template.parties.map((party, i) => partyInfo(template, party, partyTemplates[i])),
    },
  };
}

function partyInfo(template: KusciaTaskTemplate, party: Party, partyTemplate: PartyTemplate | undefined): PartyInfo {
  return {
    domainID: party.domainID,
    appImageRef: template.appImage,
    ...(party.role !== undefined ? { role: party.role } : {}),
    ...(party.bandwidthLimits ? { bandwidthLimits: structuredClone(party.bandwidthLimits) } : {}),
    ...(partyTemplate ? { template: partyTemplate } : {}),
  };
}

/**
 * The party template that carries a party's `resources`: its total divided over containers ×
 * replicas of the AppImage deploy template chosen by role, put on each container. Undefined when
 * the party asks for no resources (the deploy template's own stay). Containers carry only name and
 * resources: the KusciaTask controller merges them into the deploy template by index, and a full
 * copy (as Kuscia writes) would append the template's env to itself.
 * Throws DeployTemplateNotFoundError / ResourceSplitError like the selection and split do.
 */
export function partyTemplateFor(party: Party, appImage: AppImage): PartyTemplate | undefined {
  const deployTemplate = selectDeployTemplate(appImage, party.role);
  const resources = splitPartyResources(party.resources, containerInstancesOf(deployTemplate));
  if (resources === undefined) return undefined;
  return {
    spec: {
      containers: (deployTemplate.spec.containers ?? []).map((c) => ({ name: c.name, resources: structuredClone(resources) })),
    },
  };
}
