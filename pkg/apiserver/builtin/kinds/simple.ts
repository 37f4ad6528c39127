/** Strategies of kinds with little to check: leases, service accounts, resource quotas, endpoints. */
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import { quantityValue } from './pod-qos.ts';
import { isDNS1123Label, isValidPortNum } from '../validation/names.ts';
import { FieldError, fieldErrors, objectAt, objectsAt, setDefault, validateEnum, validateFormat, validateNonnegative } from '../validation/fields.ts';

function validateLease(lease: KubeObject): FieldError[] {
  const spec = objectAt(lease, 'spec') ?? {};
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(fieldErrors.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  errs.push(...validateNonnegative('spec.leaseTransitions', spec.leaseTransitions));
  return errs;
}

export const leaseStrategy: ResourceStrategy = { validate: validateLease, validateUpdate: validateLease };

export const serviceAccountStrategy: ResourceStrategy = {};

function validateResourceQuota(quota: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(objectAt(objectAt(quota, 'spec'), 'hard') ?? {})) {
    const n = quantityValue(value);
    if (Number.isNaN(n)) errs.push(fieldErrors.invalid(`spec.hard[${name}]`, value, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
    else if (n < 0) errs.push(fieldErrors.invalid(`spec.hard[${name}]`, value, 'must be greater than or equal to 0'));
  }
  return errs;
}

export const resourceQuotaStrategy: ResourceStrategy = { validate: validateResourceQuota, validateUpdate: validateResourceQuota };

const protocols = ['SCTP', 'TCP', 'UDP'];

function validateEndpoints(endpoints: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objectsAt(endpoints, 'subsets').forEach((subset, i) => {
    const p = `subsets[${i}]`;
    for (const list of ['addresses', 'notReadyAddresses']) {
      objectsAt(subset, list).forEach((address, j) => {
        if (typeof address.ip !== 'string' || !address.ip) errs.push(fieldErrors.required(`${p}.${list}[${j}].ip`));
      });
    }
    const ports = objectsAt(subset, 'ports');
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (ports.length > 1 && !port.name) errs.push(fieldErrors.required(`${pp}.name`));
      if (typeof port.name === 'string' && port.name) errs.push(...validateFormat(`${pp}.name`, port.name, isDNS1123Label));
      for (const m of isValidPortNum(port.port as number)) errs.push(fieldErrors.invalid(`${pp}.port`, port.port, m));
      errs.push(...validateEnum(`${pp}.protocol`, port.protocol, protocols));
    });
  });
  return errs;
}

export const endpointsStrategy: ResourceStrategy = {
  applyDefaults(endpoints: KubeObject): void {
    for (const subset of objectsAt(endpoints, 'subsets')) for (const port of objectsAt(subset, 'ports')) setDefault(port, 'protocol', 'TCP');
  },
  validate: validateEndpoints,
  validateUpdate: validateEndpoints,
};
