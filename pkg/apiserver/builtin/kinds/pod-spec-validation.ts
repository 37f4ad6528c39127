/**
 * ValidatePodSpec for the fields Kuscia and kubectl users touch: containers (names, images, ports,
 * env, mounts, resources), volumes, and the enum-valued policies. Shared by pods and pod templates.
 */
import { isEnvVarName, isDNS1123Label, isValidPortName, isValidPortNum } from '../validation/names.ts';
import { FieldError, fieldErrors, objectAt, objectsAt, validateEnum, validateFormat, type Obj } from '../validation/fields.ts';
import { quantityValue } from './pod-qos.ts';

export const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const portProtocols = ['SCTP', 'TCP', 'UDP'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];

function validatePorts(ports: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `${path}[${i}]`;
    if (typeof port.name === 'string' && port.name) {
      errs.push(...validateFormat(`${p}.name`, port.name, isValidPortName));
      if (names.has(port.name)) errs.push(fieldErrors.duplicate(`${p}.name`, port.name));
      names.add(port.name);
    }
    if (port.containerPort === undefined || port.containerPort === 0) errs.push(fieldErrors.required(`${p}.containerPort`));
    else for (const m of isValidPortNum(port.containerPort as number)) errs.push(fieldErrors.invalid(`${p}.containerPort`, port.containerPort, m));
    if (port.hostPort !== undefined && port.hostPort !== 0) {
      for (const m of isValidPortNum(port.hostPort as number)) errs.push(fieldErrors.invalid(`${p}.hostPort`, port.hostPort, m));
    }
    if (!port.protocol) errs.push(fieldErrors.required(`${p}.protocol`));
    else errs.push(...validateEnum(`${p}.protocol`, port.protocol, portProtocols));
  });
  return errs;
}

function validateEnv(env: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (typeof e.name !== 'string' || !e.name) errs.push(fieldErrors.required(`${p}.name`));
    else errs.push(...validateFormat(`${p}.name`, e.name, isEnvVarName));
    if (e.valueFrom != null && typeof e.value === 'string' && e.value !== '') {
      errs.push(fieldErrors.invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
  });
  return errs;
}

function validateResources(resources: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = objectAt(resources, 'limits') ?? {};
  const requests = objectAt(resources, 'requests') ?? {};
  for (const [name, req] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit !== undefined && quantityValue(req) > quantityValue(limit)) {
      errs.push(fieldErrors.invalid(`${path}.requests`, req, `must be less than or equal to ${name} limit of ${String(limit)}`));
    }
  }
  return errs;
}

function validateContainer(c: Obj, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof c.name !== 'string' || !c.name) errs.push(fieldErrors.required(`${path}.name`));
  else errs.push(...validateFormat(`${path}.name`, c.name, isDNS1123Label));
  if (typeof c.image !== 'string' || !c.image) errs.push(fieldErrors.required(`${path}.image`));
  else if (c.image.trim() !== c.image) errs.push(fieldErrors.invalid(`${path}.image`, c.image, 'must not have leading or trailing whitespace'));
  errs.push(...validateEnum(`${path}.imagePullPolicy`, c.imagePullPolicy, pullPolicies));
  errs.push(...validateEnum(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, terminationMessagePolicies));
  errs.push(...validatePorts(objectsAt(c, 'ports'), `${path}.ports`));
  errs.push(...validateEnv(objectsAt(c, 'env'), `${path}.env`));
  objectsAt(c, 'volumeMounts').forEach((m, i) => {
    const p = `${path}.volumeMounts[${i}]`;
    if (typeof m.name !== 'string' || !m.name) errs.push(fieldErrors.required(`${p}.name`));
    else if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(`${p}.name`, m.name));
    if (typeof m.mountPath !== 'string' || !m.mountPath) errs.push(fieldErrors.required(`${p}.mountPath`));
  });
  errs.push(...validateResources(objectAt(c, 'resources'), `${path}.resources`));
  return errs;
}

function validateVolumes(volumes: Obj[], path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const p = `${path}[${i}]`;
    if (typeof v.name !== 'string' || !v.name) {
      errs.push(fieldErrors.required(`${p}.name`));
      return;
    }
    errs.push(...validateFormat(`${p}.name`, v.name, isDNS1123Label));
    if (names.has(v.name)) errs.push(fieldErrors.duplicate(`${p}.name`, v.name));
    names.add(v.name);
  });
  return { errs, names };
}

/** ValidatePodSpec (subset). `path` is `spec` for pods, `spec.template.spec` for templates. */
export function validatePodSpec(spec: Obj | undefined, path: string): FieldError[] {
  if (!spec) return [fieldErrors.required(path)];
  const { errs, names: volumeNames } = validateVolumes(objectsAt(spec, 'volumes'), `${path}.volumes`);
  const containers = objectsAt(spec, 'containers');
  if (containers.length === 0) errs.push(fieldErrors.required(`${path}.containers`));
  const seen = new Set<string>();
  const checkAll = (list: Obj[], listPath: string) =>
    list.forEach((c, i) => {
      const p = `${listPath}[${i}]`;
      errs.push(...validateContainer(c, p, volumeNames));
      if (typeof c.name === 'string' && c.name) {
        if (seen.has(c.name)) errs.push(fieldErrors.duplicate(`${p}.name`, c.name));
        seen.add(c.name);
      }
    });
  checkAll(objectsAt(spec, 'initContainers'), `${path}.initContainers`);
  checkAll(containers, `${path}.containers`);
  if (!spec.restartPolicy) errs.push(fieldErrors.required(`${path}.restartPolicy`));
  else errs.push(...validateEnum(`${path}.restartPolicy`, spec.restartPolicy, restartPolicies));
  if (!spec.dnsPolicy) errs.push(fieldErrors.required(`${path}.dnsPolicy`));
  else errs.push(...validateEnum(`${path}.dnsPolicy`, spec.dnsPolicy, dnsPolicies));
  if (spec.dnsPolicy === 'None' && spec.dnsConfig == null) {
    errs.push(fieldErrors.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  if (typeof spec.activeDeadlineSeconds === 'number' && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > 2147483647)) {
    errs.push(fieldErrors.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  return errs;
}
