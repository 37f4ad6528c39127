/**
 * A pod input that cannot be resolved yet (a ConfigMap or Secret missing, a key absent). The kubelet
 * does not fail the pod: the container waits with `reason` and the message below, and the sync is
 * retried until the object appears. `reason` is CreateContainerConfigError for env references and
 * ContainerCreating for volumes (the kubelet keeps the pod "ContainerCreating" while a mount fails).
 */
export class PodInputError extends Error {
  readonly reason: 'CreateContainerConfigError' | 'ContainerCreating';
  /** The container it concerns; undefined when it is a pod volume (every container waits). */
  readonly container?: string;

  constructor(reason: PodInputError['reason'], message: string, container?: string) {
    super(message);
    this.name = 'PodInputError';
    this.reason = reason;
    this.container = container;
  }
}

/** The kubelet's texts (its object caches answer NotFound for the singular resource name). */
export const InputMessages = {
  configMapNotFound: (name: string) => `configmap "${name}" not found`,
  secretNotFound: (name: string) => `secret "${name}" not found`,
  configMapKeyNotFound: (key: string, namespace: string, name: string) => `couldn't find key ${key} in ConfigMap ${namespace}/${name}`,
  secretKeyNotFound: (key: string, namespace: string, name: string) => `couldn't find key ${key} in Secret ${namespace}/${name}`,
  mountFailed: (volume: string, cause: string) => `MountVolume.SetUp failed for volume "${volume}" : ${cause}`,
} as const;
