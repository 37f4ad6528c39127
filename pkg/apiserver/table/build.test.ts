import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import { buildTable } from './build.ts';
import { builtinTableFor } from './builtin.ts';

const now = new Date('2024-01-01T00:05:00Z');
const cm = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', resourceVersion: '7', creationTimestamp: '2024-01-01T00:00:00Z', labels: { a: 'b' } },
  data: { x: '1', y: '2' },
});

describe('buildTable', () => {
  const configmaps = builtinTableFor('', 'configmaps');

  it('returns a meta.k8s.io/v1 Table with PartialObjectMetadata rows by default', () => {
    const table = buildTable(configmaps, [cm('a'), cm('b')], { now, resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.metadata).toEqual({ resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
    expect(table.columnDefinitions?.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0].cells).toEqual(['a', 2, '5m']);
    expect(table.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm('a').metadata });
    // Round-trips as plain JSON.
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
  });

  it('honours includeObject and noHeaders', () => {
    expect(buildTable(configmaps, [cm('a')], { now, includeObject: 'Object' }).rows[0].object).toEqual(cm('a'));
    expect(buildTable(configmaps, [cm('a')], { now, includeObject: 'None' }).rows[0].object).toBeNull();
    const noHeaders = buildTable(configmaps, [cm('a')], { now, noHeaders: true });
    expect(noHeaders.columnDefinitions).toBeNull();
    expect(noHeaders.metadata).toEqual({});
    expect(buildTable(configmaps, [], { now }).rows).toEqual([]);
  });

  it('rejects an unknown includeObject with 400', () => {
    try {
      buildTable(configmaps, [cm('a')], { now, includeObject: 'All' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).message).toBe('unrecognized includeObject value: "All"');
    }
  });

  it('serves the v1beta1 flavour on request', () => {
    const t = buildTable(configmaps, [cm('a')], { now, version: 'v1beta1' });
    expect(t.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect((t.rows[0].object as { apiVersion: string }).apiVersion).toBe('meta.k8s.io/v1beta1');
  });
});

describe('builtinTableFor', () => {
  const names = (group: string, resource: string) => builtinTableFor(group, resource).columns.filter((c) => c.priority === 0).map((c) => c.name.toUpperCase());

  it('matches the headers kubectl shows for the kinds Kuscia uses', () => {
    expect(names('', 'pods')).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(names('', 'nodes')).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(names('', 'namespaces')).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(names('', 'services')).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(names('', 'endpoints')).toEqual(['NAME', 'ENDPOINTS', 'AGE']);
    expect(names('', 'configmaps')).toEqual(['NAME', 'DATA', 'AGE']);
    expect(names('', 'secrets')).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(names('', 'events')).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(names('', 'serviceaccounts')).toEqual(['NAME', 'SECRETS', 'AGE']);
    expect(names('', 'resourcequotas')).toEqual(['NAME', 'AGE', 'REQUEST', 'LIMIT']);
    expect(names('coordination.k8s.io', 'leases')).toEqual(['NAME', 'HOLDER', 'AGE']);
    expect(names('apps', 'deployments')).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(names('rbac.authorization.k8s.io', 'rolebindings')).toEqual(['NAME', 'ROLE', 'AGE']);
    expect(names('rbac.authorization.k8s.io', 'roles')).toEqual(['NAME', 'CREATED AT']);
    expect(names('apiextensions.k8s.io', 'customresourcedefinitions')).toEqual(['NAME', 'CREATED AT']);
  });

  it('prints the default table with the raw RFC 3339 creation time', () => {
    const role: KubeObject = { metadata: { name: 'r', creationTimestamp: '2024-01-01T00:00:00Z' } };
    const t = builtinTableFor('rbac.authorization.k8s.io', 'roles');
    expect(t.columns[1]).toMatchObject({ name: 'Created At', type: 'date' });
    expect(t.cells(role, now)).toEqual(['r', '2024-01-01T00:00:00Z']);
  });

  it('renders service, node, event, deployment, rolebinding and quota rows', () => {
    const svc: KubeObject = {
      metadata: { name: 'web', creationTimestamp: '2024-01-01T00:00:00Z' },
      spec: { type: 'NodePort', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] },
    };
    expect(builtinTableFor('', 'services').cells(svc, now)).toEqual(['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '5m', 'app=web']);

    const node: KubeObject = {
      metadata: { name: 'n1', creationTimestamp: '2024-01-01T00:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'agent' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.28.0' }, addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] },
    };
    expect(builtinTableFor('', 'nodes').cells(node, now)).toEqual([
      'n1',
      'Ready,SchedulingDisabled',
      'agent,control-plane',
      '5m',
      'v1.28.0',
      '172.18.0.2',
      '<none>',
      '<unknown>',
      '<unknown>',
      '<unknown>',
    ]);

    const ev: KubeObject = {
      metadata: { name: 'p.123', namespace: 'ns' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'Scheduled',
      type: 'Normal',
      message: ' assigned \n',
      firstTimestamp: '2024-01-01T00:01:00Z',
      lastTimestamp: '2024-01-01T00:04:00Z',
      count: 2,
      source: { component: 'scheduler' },
    };
    expect(builtinTableFor('', 'events').cells(ev, now)).toEqual(['60s', 'Normal', 'Scheduled', 'pod/p', '', 'scheduler', 'assigned', '4m', 2, 'p.123']);

    const deploy: KubeObject = {
      metadata: { name: 'd', creationTimestamp: '2024-01-01T00:00:00Z' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'd' } }, template: { spec: { containers: [{ name: 'c', image: 'img:1' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(builtinTableFor('apps', 'deployments').cells(deploy, now)).toEqual(['d', '2/3', 3, 2, '5m', 'c', 'img:1', 'app=d']);

    const rb: KubeObject = {
      metadata: { name: 'rb', creationTimestamp: '2024-01-01T00:00:00Z' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }],
    };
    expect(builtinTableFor('rbac.authorization.k8s.io', 'rolebindings').cells(rb, now)).toEqual(['rb', 'ClusterRole/view', '5m', 'u', '', 'ns/sa']);

    const quota: KubeObject = {
      metadata: { name: 'q', creationTimestamp: '2024-01-01T00:00:00Z' },
      status: { hard: { 'limits.cpu': '4', 'requests.cpu': '2', pods: '10' }, used: { 'requests.cpu': '1', pods: '3' } },
    };
    expect(builtinTableFor('', 'resourcequotas').cells(quota, now)).toEqual(['q', '5m', 'pods: 3/10, requests.cpu: 1/2', 'limits.cpu: 0/4']);
  });
});
