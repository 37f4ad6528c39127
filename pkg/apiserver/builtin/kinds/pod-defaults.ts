/**
 * Pod defaulting: SetDefaults_PodSpec / SetDefaults_Container / SetDefaults_Volume / SetDefaults_Probe
 * (applied to pods and to every pod template), SetDefaults_Pod (pods only), and what the default
 * admission plugins add to a pod on its way in (ServiceAccount, DefaultTolerationSeconds, Priority).
 */
import { ensureObject, isPlainObject, objectAt, objectsAt, setDefault, type Obj } from '../validation/fields.ts';

/** Octal 0644: the defaultMode Kubernetes gives secret, configMap, downwardAPI and projected volumes. */
const defaultFileMode = 0o644;

/** Tag of an image reference (`repo[:tag][@digest]`); 'latest' when neither tag nor digest is given. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > lastSlash) return withoutDigest.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function applyProbeDefaults(probe: Obj | undefined): void {
  if (!probe) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  const httpGet = objectAt(probe, 'httpGet');
  if (httpGet) {
    setDefault(httpGet, 'path', '/');
    setDefault(httpGet, 'scheme', 'HTTP');
  }
}

function applyLifecycleHandlerDefaults(handler: Obj | undefined): void {
  const httpGet = objectAt(handler, 'httpGet');
  if (httpGet) {
    setDefault(httpGet, 'path', '/');
    setDefault(httpGet, 'scheme', 'HTTP');
  }
}

export function applyContainerDefaults(container: Obj): void {
  if (!container.imagePullPolicy && typeof container.image === 'string') {
    container.imagePullPolicy = imageTag(container.image) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'resources', {});
  for (const port of objectsAt(container, 'ports')) setDefault(port, 'protocol', 'TCP');
  for (const env of objectsAt(container, 'env')) {
    const fieldRef = objectAt(objectAt(env, 'valueFrom'), 'fieldRef');
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
  applyProbeDefaults(objectAt(container, 'livenessProbe'));
  applyProbeDefaults(objectAt(container, 'readinessProbe'));
  applyProbeDefaults(objectAt(container, 'startupProbe'));
  const lifecycle = objectAt(container, 'lifecycle');
  applyLifecycleHandlerDefaults(objectAt(lifecycle, 'postStart'));
  applyLifecycleHandlerDefaults(objectAt(lifecycle, 'preStop'));
}

const volumeSources = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];

export function applyVolumeDefaults(volume: Obj): void {
  if (!volumeSources.some((s) => volume[s] !== undefined && volume[s] !== null)) volume.emptyDir = {};
  for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const v = objectAt(volume, source);
    if (v) setDefault(v, 'defaultMode', defaultFileMode);
  }
  const hostPath = objectAt(volume, 'hostPath');
  if (hostPath) setDefault(hostPath, 'type', '');
  for (const item of objectsAt(objectAt(volume, 'downwardAPI'), 'items')) {
    const fieldRef = objectAt(item, 'fieldRef');
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
}

/** SetDefaults_PodSpec and everything below it: used for pods and pod templates alike. */
export function applyPodSpecDefaults(spec: Obj): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const c of objectsAt(spec, 'initContainers')) applyContainerDefaults(c);
  for (const c of objectsAt(spec, 'containers')) applyContainerDefaults(c);
  for (const c of objectsAt(spec, 'ephemeralContainers')) applyContainerDefaults(c);
  for (const v of objectsAt(spec, 'volumes')) applyVolumeDefaults(v);
  if (spec.hostNetwork === true) {
    for (const c of [...objectsAt(spec, 'initContainers'), ...objectsAt(spec, 'containers')]) {
      for (const port of objectsAt(c, 'ports')) setDefault(port, 'hostPort', port.containerPort);
    }
  }
}

/** SetDefaults_Pod: requests default to limits; service links on. */
function applyPodOnlyDefaults(spec: Obj): void {
  for (const c of [...objectsAt(spec, 'initContainers'), ...objectsAt(spec, 'containers')]) {
    const resources = objectAt(c, 'resources');
    const limits = objectAt(resources, 'limits');
    if (resources && limits && Object.keys(limits).length) {
      const requests = ensureObject(resources, 'requests');
      for (const [k, v] of Object.entries(limits)) setDefault(requests, k, v);
    }
  }
  setDefault(spec, 'enableServiceLinks', true);
}

const notReadyTaint = 'node.kubernetes.io/not-ready';
const unreachableTaint = 'node.kubernetes.io/unreachable';

/** DefaultTolerationSeconds admission: tolerate not-ready/unreachable NoExecute for 300s unless already tolerated. */
function addDefaultTolerations(spec: Obj): void {
  const existing = objectsAt(spec, 'tolerations');
  const tolerates = (key: string) =>
    existing.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
  const added: Obj[] = [];
  for (const key of [notReadyTaint, unreachableTaint]) {
    if (!tolerates(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  if (added.length) spec.tolerations = [...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...added];
}

/** All defaults a pod gets on the way into kube-apiserver (defaulting + default admission plugins). */
export function applyPodDefaults(pod: Obj): void {
  const spec = ensureObject(pod, 'spec');
  applyPodSpecDefaults(spec);
  applyPodOnlyDefaults(spec);
  // ServiceAccount admission; the deprecated `serviceAccount` mirrors `serviceAccountName` both ways.
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (!spec.serviceAccountName) spec.serviceAccountName = 'default';
  // Written only when it differs: an update shares the stored spec it does not change (read-only).
  if (spec.serviceAccount !== spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  addDefaultTolerations(spec);
  // Priority admission without PriorityClasses: everything runs at priority 0.
  setDefault(spec, 'priority', 0);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
}

export { isPlainObject };
