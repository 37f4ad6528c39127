import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors.ts';
import type { KubeObject } from '../../api/object.ts';
import { RestStorage } from '../../registry/rest-storage.ts';
import type { WriteOptions } from '../../registry/write-options.ts';
import { createMemoryStore } from '../../storage/index.ts';
import { builtinResourceTypes } from '../resource-types.ts';
import { isSloppyIP } from './pod-status-validation.ts';

/** pods/status writes as kube-apiserver's podStatusStrategy takes them: ValidatePodStatusUpdate, not the spec checks. */
const opts = (): WriteOptions => ({ dryRun: false, fieldManager: 'agent', fieldValidation: 'Warn', warnings: [] });
const pods = builtinResourceTypes().find((rt) => rt.resource === 'pods' && rt.group === '')!;
type Pod = KubeObject & Record<string, any>;

function setup(spec: Record<string, unknown> = {}) {
  const rest = new RestStorage({ store: createMemoryStore(), now: () => new Date('2024-01-01T00:00:00Z'), namespaceLifecycle: { admitCreate: () => {}, admitDelete: () => {} } });
  rest.create(pods, 'ns', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } }, opts());
  const patchStatus = (status: Record<string, unknown>): Pod => JSON.parse(rest.patch(pods, 'ns', 'p', 'status', 'merge', { status }, { ...opts(), force: false }).body) as Pod;
  const putStatus = (status: Record<string, unknown> | undefined): Pod => {
    const current = JSON.parse(rest.get(pods, 'ns', 'p').value) as Pod;
    return JSON.parse(rest.update(pods, 'ns', 'p', 'status', { ...current, status }, opts()).body) as Pod;
  };
  return { rest, patchStatus, putStatus };
}

/** The 422's message, or '' when the write went through. */
function rejection(write: () => unknown): string {
  try {
    write();
    return '';
  } catch (e) {
    if (e instanceof ApiError && e.code === 422) return e.message;
    throw e;
  }
}

describe('pods/status validation', () => {
  it('takes what a kubelet writes: phase, IPs, start time, conditions, container states', () => {
    const { patchStatus } = setup();
    const got = patchStatus({
      phase: 'Running',
      hostIP: '192.168.1.10',
      podIP: '10.42.0.7',
      podIPs: [{ ip: '10.42.0.7' }, { ip: 'fd00::7' }],
      startTime: '2024-01-01T00:00:00Z',
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'example.com/gate', status: 'True' }],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }],
    });
    expect(got.status).toMatchObject({ phase: 'Running', podIP: '10.42.0.7', qosClass: 'BestEffort' });
  });

  it('does not check condition statuses, as kube-apiserver does not', () => {
    const { patchStatus } = setup();
    expect(patchStatus({ conditions: [{ type: 'Ready', status: 'Maybe' }] }).status.conditions).toEqual([{ type: 'Ready', status: 'Maybe' }]);
  });

  it('refuses a custom condition type that is not a qualified name, under kube-apiserver’s path', () => {
    const { patchStatus } = setup();
    expect(rejection(() => patchStatus({ conditions: [{ type: 'Ready', status: 'True' }, { type: 'not valid!', status: 'True' }] }))).toBe(
      'Pod "p" is invalid: metadata.conditions[1].Type: Invalid value: "not valid!": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
    );
  });

  it('refuses bad pod and host IPs', () => {
    const { patchStatus } = setup();
    expect(rejection(() => patchStatus({ podIP: '10.42.0.300' }))).toBe(
      'Pod "p" is invalid: status.podIPs[0]: Invalid value: "10.42.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    );
    expect(rejection(() => patchStatus({ podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }))).toBe(
      'Pod "p" is invalid: status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.2"}}: may specify no more than one IP for each IP family',
    );
    expect(rejection(() => patchStatus({ hostIPs: [{ ip: '192.168.1.10' }] }))).toBe(
      'Pod "p" is invalid: status.hostIPs[0].ip: Invalid value: "192.168.1.10": must be equal to `hostIP`',
    );
    expect(rejection(() => patchStatus({ hostIP: 'node-1' }))).toBe(
      'Pod "p" is invalid: status.hostIPs[0]: Invalid value: "node-1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    );
  });

  it('keeps the QoS class: backfilled when a status leaves it out, refused when changed', () => {
    const { patchStatus, putStatus } = setup();
    expect(putStatus({ phase: 'Running' }).status).toEqual({ phase: 'Running', qosClass: 'BestEffort' });
    expect(rejection(() => patchStatus({ qosClass: 'Guaranteed' }))).toBe('Pod "p" is invalid: status.qosClass: Invalid value: "Guaranteed": field is immutable');
  });

  it('refuses a nominated node name that is not a DNS subdomain', () => {
    const { patchStatus } = setup();
    expect(rejection(() => patchStatus({ nominatedNodeName: 'Node_1' }))).toMatch(/^Pod "p" is invalid: status\.nominatedNodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain/);
  });

  it('keeps a terminated container terminated unless the restart policy restarts it', () => {
    const terminated = { name: 'c', state: { terminated: { exitCode: 1 } } };
    const running = { name: 'c', state: { running: {} } };
    const never = setup({ restartPolicy: 'Never' });
    never.patchStatus({ containerStatuses: [terminated] });
    expect(rejection(() => never.patchStatus({ containerStatuses: [running] }))).toBe(
      'Pod "p" is invalid: status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
    );
    const onFailure = setup({ restartPolicy: 'OnFailure' });
    onFailure.patchStatus({ containerStatuses: [terminated] });
    expect(onFailure.patchStatus({ containerStatuses: [running] }).status.containerStatuses).toEqual([running]);
  });

  it('does not re-validate the stored spec, and discards spec changes sent to /status', () => {
    const { rest, putStatus } = setup();
    // A stored spec the current spec validation would refuse (stored before a stricter rule).
    rest.mutate(pods, 'ns', 'p', false, (obj) => ((obj['spec'] as Record<string, unknown>)['dnsPolicy'] = 'Sometimes'));
    const current = JSON.parse(rest.get(pods, 'ns', 'p').value) as Pod;
    const got = JSON.parse(rest.update(pods, 'ns', 'p', 'status', { ...current, spec: { ...current.spec, activeDeadlineSeconds: 5 }, status: { phase: 'Running' } }, opts()).body) as Pod;
    expect(got.status.phase).toBe('Running');
    expect(got.spec.activeDeadlineSeconds).toBeUndefined();
    expect(putStatus({ phase: 'Running', podIP: '10.0.0.1' }).spec.dnsPolicy).toBe('Sometimes');
  });
});

describe('isSloppyIP (netutils.ParseIPSloppy)', () => {
  it.each([
    ['10.0.0.1', true],
    ['010.000.0.01', true],
    ['2001:db8::ffff', true],
    ['::ffff:10.0.0.1', true],
    ['256.0.0.1', false],
    ['10.0.0', false],
    ['fe80::1%eth0', false],
    ['', false],
    ['node-1', false],
  ])('%s → %s', (ip, valid) => expect(isSloppyIP(ip)).toBe(valid));
});
