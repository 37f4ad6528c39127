/**
 * The label / annotation / environment contract of Kuscia (Go: pkg/common/constants.go and the CRD
 * package). These strings are shared with peer control planes, apps and existing tooling, so they
 * must never be renamed — including the historical misspellings kept below.
 */

export const GROUP = 'kuscia.secretflow';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** Namespace holding cross-party objects (KusciaJob, KusciaTask, KusciaDeployment). */
export const CROSS_DOMAIN_NAMESPACE = 'cross-domain';

const PREFIX = `${GROUP}/`;

export const Labels = {
  PortScope: `${PREFIX}port-scope`,
  PortName: `${PREFIX}port-name`,
  /** Values: {@link ControllerName}. */
  Controller: `${PREFIX}controller`,
  /** Value `domainroute`: the Service is exposed through Envoy. */
  LoadBalancer: `${PREFIX}loadbalancer`,
  CommunicationRoleServer: `${PREFIX}communication-role-server`,
  CommunicationRoleClient: `${PREFIX}communication-role-client`,
  DomainName: `${PREFIX}domain-name`,
  /** Value `completed`. */
  DomainAuth: `${PREFIX}domain-auth`,
  /** On a Node: the domain it serves; also the Pod nodeSelector. */
  NodeNamespace: `${PREFIX}namespace`,
  DomainDeleted: `${PREFIX}deleted`,
  DomainRole: `${PREFIX}role`,
  InterConnProtocols: `${PREFIX}interconn-protocols`,
  InterConnProtocolType: `${PREFIX}interconn-protocol-type`,
  JobUID: `${PREFIX}job-uid`,
  TaskUID: `${PREFIX}task-uid`,
  TaskResourceGroupUID: `${PREFIX}task-resource-group-uid`,
  TaskResourceUID: `${PREFIX}task-resource-uid`,
  JobStage: `${PREFIX}job-stage`,
  JobStageTrigger: `${PREFIX}job-stage-trigger`,
  JobStageVersion: `${PREFIX}job-stage-version`,
  JobAutoApproval: `${PREFIX}job-auto-approval`,
  TaskUnschedulable: `${PREFIX}task-unschedulable`,
  PodHasSynced: `${PREFIX}has-synced`,
  DomainDataType: `${PREFIX}domaindata-type`,
  DomainDataID: `${PREFIX}domaindata-id`,
  DomainDataVendor: `${PREFIX}domaindata-vendor`,
  DomainDataSourceType: `${PREFIX}domaindatasource-type`,
  DomainDataGrantVendor: `${PREFIX}domaindatagrant-vendor`,
  DomainDataGrantDomain: `${PREFIX}domaindatagrant-domain`,
  /** Values `serving` | `scql`. */
  AppType: `${PREFIX}app-type`,
  KusciaDeploymentUID: `${PREFIX}kd-uid`,
  KusciaDeploymentName: `${PREFIX}kd-name`,
  DeploymentName: `${PREFIX}deployment-name`,
  OwnerNamespace: `${PREFIX}owner_namespace`,
  Node: `${PREFIX}node`,
  PodUID: `${PREFIX}pod-uid`,
  OwnerReferences: `${PREFIX}owner-references`,
  PodIdentity: `${PREFIX}pod-identity`,
  PodRole: `${PREFIX}pod-role`,
  Runtime: `${PREFIX}runtime`,
  GrpcDegrade: `${PREFIX}grpc-degrade`,
  ClusterDomainRouteSource: `${PREFIX}clusterdomainroute-source`,
  ClusterDomainRouteDestination: `${PREFIX}clusterdomainroute-destination`,
  /** Misspelled ("secertflow") in the original; kept for compatibility. */
  DomainRoutePartner: 'kuscia.secertflow/domainroute-partner',
} as const;

/** Prefix of labels that carry user-defined job fields. */
export const JOB_CUSTOM_FIELDS_LABEL_PREFIX = 'kuscia.job.custom-fields/';

export const Annotations = {
  Initiator: `${PREFIX}initiator`,
  SelfClusterAsInitiator: `${PREFIX}self-cluster-as-initiator`,
  SelfClusterAsParticipant: `${PREFIX}self-cluster-as-participant`,
  /** Domain IDs joined by `_`. */
  InterConnKusciaParties: `${PREFIX}interconn-kuscia-parties`,
  InterConnBFIAParties: `${PREFIX}interconn-bfia-parties`,
  InterConnSelfParties: `${PREFIX}interconn-self-parties`,
  InitiatorMasterDomain: `${PREFIX}initiator-master-domain`,
  PartyMasterDomain: `${PREFIX}party-master-domain`,
  JobID: `${PREFIX}job-id`,
  TaskID: `${PREFIX}task-id`,
  TaskAlias: `${PREFIX}task-alias`,
  TaskResourceGroup: `${PREFIX}task-resource-group`,
  TaskResource: `${PREFIX}task-resource`,
  TaskSummaryResourceVersion: `${PREFIX}tasksummary-resource-version`,
  MetricPath: `${PREFIX}metric_path`,
  MetricPort: `${PREFIX}metric_port`,
  ShouldBeScraped: `${PREFIX}should_be_scraped`,
  /** Comma-separated domains allowed to call a Service. */
  AccessDomain: `${PREFIX}access-domain`,
  Protocol: `${PREFIX}protocol`,
  ReadyTime: `${PREFIX}ready-time`,
  ConfigTemplateVolumes: `${PREFIX}config-template-volumes`,
  ConfigTemplateValueConfigMapName: `${PREFIX}config-template-value-cm-name`,
  ConfigValueCompressFieldsName: `${PREFIX}config-value-compress-fields-name`,
  TaskResourceReservingTimestamp: `${PREFIX}taskresource-reserving-timestamp`,
  ComponentSpec: `${PREFIX}component-spec`,
  AllocatedPorts: `${PREFIX}allocated-ports`,
  ImageID: `${PREFIX}image-id`,
  /** Values {@link AffinityMode}. */
  AffinityMode: `${PREFIX}affinity-mode`,
  StickySessionCookie: `${PREFIX}sticky-session-cookie`,
  StickySessionTTL: `${PREFIX}sticky-session-ttl`,
} as const;

/** `kuscia.secretflow/bandwidth-limit-<destDomain>` annotation on Services, value in KB/s. */
export function bandwidthLimitAnnotation(destinationDomain: string): string {
  return `${PREFIX}bandwidth-limit-${destinationDomain}`;
}

export const ControllerName = {
  KusciaJob: 'kuscia-job',
  KusciaTask: 'kusciatask',
} as const;

export const LOAD_BALANCER_DOMAIN_ROUTE = 'domainroute';
export const DOMAIN_AUTH_COMPLETED = 'completed';

export const AffinityMode = {
  None: 'none',
  Affinity: 'affinity',
  AntiAffinity: 'anti-affinity',
} as const;

/** Environment variables / template variables handed to apps. */
export const Env = {
  TaskID: 'TASK_ID',
  ServingID: 'SERVING_ID',
  InputConfig: 'INPUT_CONFIG',
  ClusterDefine: 'CLUSTER_DEFINE',
  TaskInputConfig: 'TASK_INPUT_CONFIG',
  TaskClusterDefine: 'TASK_CLUSTER_DEFINE',
  AllocatedPorts: 'ALLOCATED_PORTS',
  DomainID: 'KUSCIA_DOMAIN_ID',
  ServerCertFile: 'SERVER_CERT_FILE',
  ServerPrivateKeyFile: 'SERVER_PRIVATE_KEY_FILE',
  ClientCertFile: 'CLIENT_CERT_FILE',
  ClientPrivateKeyFile: 'CLIENT_PRIVATE_KEY_FILE',
  TrustedCAFile: 'TRUSTED_CA_FILE',
  KusciaAPIProtocol: 'KUSCIA_API_PROTOCOL',
  KusciaAPIToken: 'KUSCIA_API_TOKEN',
  DomainKeyData: 'KUSCIA_DOMAIN_KEY_DATA',
} as const;

/** `KUSCIA_PORT_<NAME>_NUMBER`: port name upper-cased, `-` replaced by `_`. */
export function portNumberEnvName(portName: string): string {
  return `KUSCIA_PORT_${portName.toUpperCase().replaceAll('-', '_')}_NUMBER`;
}

export const KUSCIA_SCHEDULER_NAME = 'kuscia-scheduler';

/** Pods of partner namespaces get this scheduler name, so the local scheduler ignores them. */
export function partnerSchedulerName(domainID: string): string {
  return `${domainID}-${KUSCIA_SCHEDULER_NAME}`;
}

/** Taint on agent nodes; task pods tolerate it (Exists, NoSchedule). */
export const AgentTaint = {
  key: `${PREFIX}agent`,
  value: 'v1',
  effect: 'NoSchedule',
} as const;

/** Extended resource for network bandwidth. */
export const BANDWIDTH_RESOURCE = 'kuscia.io/bandwidth';

export const CONTROLLER_MANAGER_LEASE = 'kuscia-controller-manager';

/** Named-port pool per namespace: [start, end). */
export const PORT_POOL = { start: 20000, end: 32767 } as const;

export const STICKY_SESSION_COOKIE = 'KUSCIA_SESSION';
export const STICKY_SESSION_TTL_SECONDS = 86400;

export const DEFAULT_DATA_SOURCE_ID = 'default-data-source';
export const DEFAULT_DP_DATA_SOURCE_ID = 'default-dp-data-source';
export const DEFAULT_DOMAIN_DATA_VENDOR = 'manual';

/** Layout under the Kuscia home directory (container root `/home/kuscia`). */
export const KusciaPaths = {
  home: '/home/kuscia',
  certs: 'var/certs',
  logs: 'var/logs',
  stdout: 'var/stdout',
  tmp: 'var/tmp',
  conf: 'etc/conf',
  storageData: 'var/storage/data',
} as const;
