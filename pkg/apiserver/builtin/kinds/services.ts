/**
 * core/v1 services. ClusterIP allocation is not done here: the registry calls its allocator for
 * services where `serviceNeedsClusterIP` is true and fills spec.clusterIP/clusterIPs,
 * ipFamilies and ipFamilyPolicy before validation.
 */
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from '../validation/names.ts';
import { ensureObject, FieldError, fieldErrors, objectAt, objectsAt, setDefault, validateEnum, validateFormat, validateStricterName, type Obj } from '../validation/fields.ts';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const sessionAffinities = ['ClientIP', 'None'];
const protocols = ['SCTP', 'TCP', 'UDP'];

/** The allocation hook's predicate: headless services and ExternalName services get no cluster IP. */
export function serviceNeedsClusterIP(service: KubeObject): boolean {
  const spec = objectAt(service, 'spec') ?? {};
  if (spec.type === 'ExternalName') return false;
  return spec.clusterIP !== 'None' && !(Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None');
}

export function applyServiceDefaults(service: Obj): void {
  const spec = ensureObject(service, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') {
    const config = ensureObject(spec, 'sessionAffinityConfig');
    setDefault(ensureObject(config, 'clientIP'), 'timeoutSeconds', 10800);
  }
  for (const port of objectsAt(spec, 'ports')) {
    setDefault(port, 'protocol', 'TCP');
    // SetDefaults_Service: targetPort defaults to port (0 counts as unset: intstr zero value).
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (spec.type !== 'ExternalName') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  // A fresh service shows `status: {loadBalancer: {}}` in kube-apiserver.
  setDefault(ensureObject(service, 'status'), 'loadBalancer', {});
}

function validatePorts(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ports = objectsAt(spec, 'ports');
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && spec.type !== 'ExternalName' && !headless) errs.push(fieldErrors.required('spec.ports'));
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((port, i) => {
    const p = `spec.ports[${i}]`;
    const name = typeof port.name === 'string' ? port.name : '';
    if (ports.length > 1 && !name) errs.push(fieldErrors.required(`${p}.name`));
    if (name) {
      errs.push(...validateFormat(`${p}.name`, name, isDNS1123Label));
      if (names.has(name)) errs.push(fieldErrors.duplicate(`${p}.name`, name));
      names.add(name);
    }
    for (const m of isValidPortNum(port.port as number)) errs.push(fieldErrors.invalid(`${p}.port`, port.port, m));
    if (!port.protocol) errs.push(fieldErrors.required(`${p}.protocol`));
    else errs.push(...validateEnum(`${p}.protocol`, port.protocol, protocols));
    const key = `${String(port.port)}/${String(port.protocol)}`;
    if (keys.has(key)) errs.push(fieldErrors.duplicate(p, { port: port.port, protocol: port.protocol }));
    keys.add(key);
    const target = port.targetPort;
    if (typeof target === 'number') for (const m of isValidPortNum(target)) errs.push(fieldErrors.invalid(`${p}.targetPort`, target, m));
    else if (typeof target === 'string') errs.push(...validateFormat(`${p}.targetPort`, target, isValidPortName));
    if (port.nodePort !== undefined && port.nodePort !== 0) {
      if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
        errs.push(fieldErrors.forbidden(`${p}.nodePort`, 'may not be used when `type` is \'ClusterIP\''));
      } else {
        for (const m of isValidPortNum(port.nodePort as number)) errs.push(fieldErrors.invalid(`${p}.nodePort`, port.nodePort, m));
      }
    }
  });
  return errs;
}

function validateService(service: KubeObject): FieldError[] {
  const spec = objectAt(service, 'spec') ?? {};
  const errs = [...validateStricterName(service, isDNS1035Label, isDNS1123Subdomain)];
  errs.push(...validateEnum('spec.type', spec.type, serviceTypes));
  errs.push(...validateEnum('spec.sessionAffinity', spec.sessionAffinity, sessionAffinities));
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(fieldErrors.required('spec.externalName'));
  }
  errs.push(...validatePorts(spec));
  return errs;
}

/** patchAllocatedValues: an update that leaves allocated values empty keeps the old ones. */
function keepAllocatedValues(service: KubeObject, old: KubeObject): void {
  const spec = objectAt(service, 'spec');
  const oldSpec = objectAt(old, 'spec');
  if (!spec || !oldSpec || spec.type === 'ExternalName') return;
  for (const key of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
    if ((spec[key] === undefined || spec[key] === '') && oldSpec[key] !== undefined) spec[key] = oldSpec[key];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const oldPorts = objectsAt(oldSpec, 'ports');
    for (const port of objectsAt(spec, 'ports')) {
      const match = oldPorts.find((o) => o.port === port.port && (o.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
      if (match?.nodePort && !port.nodePort) port.nodePort = match.nodePort;
    }
  }
}

export const serviceStrategy: ResourceStrategy = {
  prepareForUpdate: keepAllocatedValues,
  applyDefaults: applyServiceDefaults,
  validate: validateService,
  validateUpdate(service: KubeObject, old: KubeObject): FieldError[] {
    const errs = validateService(service);
    const spec = objectAt(service, 'spec') ?? {};
    const oldSpec = objectAt(old, 'spec') ?? {};
    // A cluster IP, once allocated, stays (unless the service becomes ExternalName).
    if (oldSpec.clusterIP && spec.type !== 'ExternalName' && spec.clusterIP !== undefined && spec.clusterIP !== oldSpec.clusterIP) {
      errs.push(fieldErrors.invalid('spec.clusterIPs[0]', spec.clusterIP, 'may not change once set'));
    }
    return errs;
  },
};
