/**
 * Structures shared by several Kuscia kinds (Go: pkg/crd/apis/kuscia/v1alpha1/common.go).
 * JSON field names match the original Kuscia API exactly, because users' manifests and peer
 * control planes (interconn) exchange these objects verbatim.
 */

/** RFC 3339 timestamp as it appears on the wire (metav1.Time). */
export type Time = string;

/** Kubernetes condition status. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A resource quantity: `"500m"`, `"1Gi"`, or a bare number. */
export type Quantity = string | number;

/** core/v1 ResourceRequirements. */
export interface ResourceRequirements {
  limits?: Record<string, Quantity>;
  requests?: Record<string, Quantity>;
  claims?: Array<{ name: string; request?: string }>;
}

export type PortProtocol = 'HTTP' | 'GRPC';
/** Cluster = reachable by other parties (through the gateway), Domain = only inside the own domain, Local = only inside the pod. */
export type PortScope = 'Cluster' | 'Domain' | 'Local';

export interface ContainerPort {
  name: string;
  port?: number;
  /** CRD default `HTTP`. */
  protocol?: PortProtocol;
  /** CRD default `Local`. */
  scope?: PortScope;
}

export interface ConfigVolumeMount {
  mountPath: string;
  subPath?: string;
}

export interface MetricProbe {
  path?: string;
  /** Port number, or the name of one of the container's ports. */
  port?: number | string;
}

/** core/v1 EnvVar; `valueFrom` is kept opaque (it is passed through to the Pod unchanged). */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

/** Kuscia's container description; only these fields reach the generated Pod. */
export interface Container {
  name: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  configVolumeMounts?: ConfigVolumeMount[];
  ports?: ContainerPort[];
  envFrom?: Array<Record<string, unknown>>;
  env?: EnvVar[];
  resources?: ResourceRequirements;
  livenessProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
  metricProbe?: MetricProbe;
  imagePullPolicy?: string;
  /** Only `privileged` is honoured. */
  securityContext?: Record<string, unknown>;
}

/** Kuscia's "PodSpec-lite" used by AppImage deploy templates and party templates. */
export interface PodSpec {
  /** Always | OnFailure | Never; controllers default it to Never. */
  restartPolicy?: string;
  containers?: Container[];
  affinity?: Record<string, unknown>;
}

export interface ScheduleConfig {
  minReservedMembers?: number;
  resourceReservedSeconds?: number;
  lifecycleSeconds?: number;
  retryIntervalSeconds?: number;
}

/** Bandwidth limit from a party towards one destination domain, in KB/s. */
export interface BandwidthLimit {
  destinationID: string;
  limitKBps?: number;
}

/** A generic Kuscia condition (job, task, TRG, TR, CDR all share this shape with minor omissions). */
export interface Condition<TType extends string = string> {
  type: TType;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: Time;
}

/** Allocated real port numbers of one party, keyed `"<podName>/<portName>"`. */
export interface PartyAllocatedPorts {
  domainID: string;
  role?: string;
  namedPort?: Record<string, number>;
}

export type DataPhase = 'Available' | 'Unavailable' | 'Unknown';

export interface DataCondition {
  status: ConditionStatus;
  message?: string;
  reason?: string;
  lastUpdateTime?: Time;
}

/** Status shared by DomainData and DomainDataSource. */
export interface DataStatus {
  phase?: DataPhase;
  conditions?: DataCondition[];
}

export interface IngressFrom {
  roles: string[];
}

export interface NetworkPolicy {
  ingresses: Array<{ from: IngressFrom; ports: Array<{ port: string }> }>;
}

export type InterConnProtocolType = 'kuscia' | 'bfia';
