/**
 * ValidatePodStatusUpdate: what a pods/status write is checked for. The spec is the stored one (a
 * status write cannot change it), so none of the spec validation runs again: only the status
 * fields that kube-apiserver checks — custom condition types, nominatedNodeName, the immutable
 * qosClass, container state transitions, resource claim statuses and the pod/host IPs.
 */
import { isIPv6 } from 'node:net';
import { FieldError, fieldErrors } from '../../api/field-error.ts';
import { isDNS1123Subdomain, isQualifiedName } from '../../validation/name-validators.ts';
import { objectAt, objectsAt, stringAt, validateImmutable, type Obj } from '../validation/fields.ts';

/** Conditions the kubelet owns; any other type must be a qualified name. */
const systemConditions = new Set(['PodScheduled', 'Ready', 'Initialized']);

export function validatePodStatusUpdate(spec: Obj | undefined, status: Obj | undefined, oldStatus: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  // kube-apiserver builds this path from "metadata" (a quirk kept for identical messages).
  objectsAt(status, 'conditions').forEach((c, i) => {
    const type = stringAt(c, 'type') ?? '';
    if (systemConditions.has(type)) return;
    for (const msg of isQualifiedName(type)) errs.push(fieldErrors.invalid(`metadata.conditions[${i}].Type`, type, msg));
  });
  const nominated = stringAt(status, 'nominatedNodeName') ?? '';
  if (nominated && nominated !== (stringAt(oldStatus, 'nominatedNodeName') ?? '')) {
    for (const msg of isDNS1123Subdomain(nominated)) errs.push(fieldErrors.invalid('status.nominatedNodeName', nominated, msg));
  }
  errs.push(...validateImmutable('status.qosClass', stringAt(status, 'qosClass') ?? '', stringAt(oldStatus, 'qosClass') ?? ''));
  const restartPolicy = stringAt(spec, 'restartPolicy') ?? '';
  errs.push(...stateTransitions(status, oldStatus, 'containerStatuses', (old) => mayLeaveTerminated(restartPolicy, old)));
  const restartableInit = new Set(objectsAt(spec, 'initContainers').filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  errs.push(...stateTransitions(status, oldStatus, 'initContainerStatuses', (old) => mayLeaveTerminated(restartPolicy, old) || restartableInit.has(old.name)));
  // The kubelet never restarts ephemeral containers: as if their restart policy were Never.
  errs.push(...stateTransitions(status, oldStatus, 'ephemeralContainerStatuses', (old) => mayLeaveTerminated('Never', old)));
  errs.push(...resourceClaimStatuses(spec, status));
  errs.push(...podIPs(status));
  errs.push(...hostIPs(status));
  return errs;
}

function mayLeaveTerminated(restartPolicy: string, oldStatus: Obj): boolean {
  if (restartPolicy === 'Always') return true;
  const exitCode = objectAt(objectAt(oldStatus, 'state'), 'terminated')?.exitCode;
  return restartPolicy === 'OnFailure' && typeof exitCode === 'number' && exitCode !== 0;
}

/** ValidateContainerStateTransition: a terminated container that will not restart stays terminated. */
function stateTransitions(status: Obj | undefined, oldStatus: Obj | undefined, key: string, mayRestart: (old: Obj) => boolean): FieldError[] {
  const errs: FieldError[] = [];
  const next = objectsAt(status, key);
  objectsAt(oldStatus, key).forEach((old, i) => {
    if (!objectAt(objectAt(old, 'state'), 'terminated') || mayRestart(old)) return;
    for (const n of next) {
      if (n.name === old.name && !objectAt(objectAt(n, 'state'), 'terminated')) {
        errs.push(fieldErrors.forbidden(`status.${key}[${i}].state`, 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errs;
}

function resourceClaimStatuses(spec: Obj | undefined, status: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const claims = new Set(objectsAt(spec, 'resourceClaims').map((c) => c.name));
  const seen = new Set<unknown>();
  objectsAt(status, 'resourceClaimStatuses').forEach((s, i) => {
    const path = `status.resourceClaimStatuses[${i}].name`;
    const name = s.name ?? '';
    if (!claims.has(name)) errs.push(fieldErrors.invalid(path, name, 'must match the name of an entry in `spec.resourceClaims`'));
    if (seen.has(name)) errs.push(fieldErrors.duplicate(path, name));
    seen.add(name);
    const claimName = stringAt(s, 'resourceClaimName');
    // kube-apiserver reports the claim name's errors under `name` too.
    if (claimName !== undefined) for (const msg of isDNS1123Subdomain(claimName)) errs.push(fieldErrors.invalid(path, claimName, msg));
  });
  return errs;
}

/**
 * The IPs as the v1 → internal conversion leaves them: the singular field wins when it disagrees
 * with the list, and stands in for an empty list.
 */
function effectiveIPs(status: Obj | undefined, singularKey: string, listKey: string): string[] {
  const singular = stringAt(status, singularKey) ?? '';
  const list = objectsAt(status, listKey).map((e) => stringAt(e, 'ip') ?? '');
  if (singular && (list.length === 0 || list[0] !== singular)) return [singular];
  return list;
}

const invalidIPMessage = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function podIPs(status: Obj | undefined): FieldError[] {
  const ips = effectiveIPs(status, 'podIP', 'podIPs');
  const errs = ips.flatMap((ip, i) => (isSloppyIP(ip) ? [] : [fieldErrors.invalid(`status.podIPs[${i}]`, ip, invalidIPMessage)]));
  if (ips.length > 1) {
    errs.push(...familyErrors('status.podIPs', ips, 'PodIP'));
    ips.forEach((ip, i) => {
      if (ips.indexOf(ip) < i) errs.push(goStructDuplicate(`status.podIPs[${i}]`, 'PodIP', ip));
    });
  }
  return errs;
}

function hostIPs(status: Obj | undefined): FieldError[] {
  const ips = effectiveIPs(status, 'hostIP', 'hostIPs');
  if (ips.length === 0) return [];
  const errs: FieldError[] = [];
  if ((stringAt(status, 'hostIP') ?? '') !== ips[0]) errs.push(fieldErrors.invalid('status.hostIPs[0].ip', ips[0], 'must be equal to `hostIP`'));
  ips.forEach((ip, i) => {
    if (!isSloppyIP(ip)) errs.push(fieldErrors.invalid(`status.hostIPs[${i}]`, ip, invalidIPMessage));
  });
  if (ips.length > 1) {
    ips.forEach((ip, i) => {
      if (ips.indexOf(ip) < i) errs.push(goStructDuplicate(`status.hostIPs[${i}]`, 'HostIP', ip));
    });
    errs.push(...familyErrors('status.hostIPs', ips, 'HostIP'));
  }
  return errs;
}

/** At most one IP of each family (so at most two IPs, one IPv4 and one IPv6). */
function familyErrors(path: string, ips: string[], goType: string): FieldError[] {
  if (!ips.every(isSloppyIP)) {
    return [new FieldError('InternalError', path, undefined, 'failed to check for dual stack with error:failed to parse IP')];
  }
  const v6 = ips.filter(isIPv6).length;
  if (ips.length <= 2 && v6 === 1) return [];
  const rendered = `[]core.${goType}{${ips.map((ip) => goStruct(goType, ip)).join(', ')}}`;
  return [new FieldError('FieldValueInvalid', path, ips, `${rendered}: may specify no more than one IP for each IP family`, false)];
}

/** How Go prints the core.PodIP / core.HostIP struct a field error holds (`%#v`). */
function goStruct(goType: string, ip: string): string {
  return `core.${goType}{IP:${JSON.stringify(ip)}}`;
}

function goStructDuplicate(path: string, goType: string, ip: string): FieldError {
  return new FieldError('FieldValueDuplicate', path, { ip }, goStruct(goType, ip), false);
}

/**
 * netutils.ParseIPSloppy: Go's IP parser from before 1.17, which also takes IPv4 octets with
 * leading zeros. Zones (`fe80::1%eth0`) are not IP addresses there.
 */
export function isSloppyIP(s: string): boolean {
  if (s.includes('%')) return false;
  const octets = s.split('.');
  if (octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o.replace(/^0+(?=\d)/, '')) && Number(o) <= 255)) return true;
  return isIPv6(s);
}
