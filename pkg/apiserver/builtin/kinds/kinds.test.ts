import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.ts';
import { configMapStrategy, secretStrategy } from './config-data.ts';
import { createCrdStrategy } from './crds.ts';
import { deploymentStrategy } from './deployments.ts';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './events.ts';
import { namespaceStrategy } from './namespaces.ts';
import { clusterRoleBindingStrategy, roleStrategy } from './rbac.ts';
import { serviceNeedsClusterIP, serviceStrategy } from './services.ts';

const obj = (kind: string, rest: Record<string, unknown>, name = 'x'): KubeObject => ({ kind, metadata: { name, namespace: 'ns' }, ...rest });
const strings = (errs: unknown[]) => errs.map(String);

describe('services', () => {
  it('default type, affinity, protocol and targetPort', () => {
    const svc = obj('Service', { spec: { selector: { app: 'a' }, ports: [{ port: 80 }, { name: 'named', port: 81, targetPort: 'http' }] } });
    serviceStrategy.applyDefaults!(svc);
    expect(svc.spec).toEqual({
      selector: { app: 'a' },
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { name: 'named', port: 81, protocol: 'TCP', targetPort: 'http' },
      ],
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
    expect(serviceNeedsClusterIP(svc)).toBe(true);
    expect(serviceNeedsClusterIP(obj('Service', { spec: { clusterIP: 'None' } }))).toBe(false);
  });

  it('require port names when there are several ports, and keep the cluster IP', () => {
    const svc = obj('Service', { spec: { ports: [{ port: 80 }, { port: 81 }] } });
    serviceStrategy.applyDefaults!(svc);
    expect(strings(serviceStrategy.validate!(svc))).toEqual(['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']);
    const old = obj('Service', { spec: { type: 'ClusterIP', clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.5'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] } });
    const next = obj('Service', { spec: { ports: [{ port: 80 }] } });
    serviceStrategy.prepareForUpdate!(next, old);
    serviceStrategy.applyDefaults!(next);
    expect((next.spec as { clusterIP: string }).clusterIP).toBe('10.0.0.5');
    expect(serviceStrategy.validateUpdate!(next, old)).toEqual([]);
  });
});

describe('deployments', () => {
  const deployment = () =>
    obj('Deployment', {
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } } },
    });

  it('default replicas, strategy, history and template', () => {
    const d = deployment();
    deploymentStrategy.applyDefaults!(d);
    const spec = d.spec as Record<string, unknown> & { template: { spec: Record<string, unknown> & { containers: Array<Record<string, unknown>> } } };
    expect(spec.replicas).toBe(1);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(spec.progressDeadlineSeconds).toBe(600);
    expect(spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, securityContext: {} });
    // Admission-only pod defaults do not apply to templates.
    expect(spec.template.spec.serviceAccountName).toBeUndefined();
    expect(spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' });
    expect(deploymentStrategy.validate!(d)).toEqual([]);
  });

  it('require the selector to match the template labels and stay unchanged', () => {
    const d = deployment();
    (d.spec as { selector: unknown }).selector = { matchLabels: { app: 'b' } };
    deploymentStrategy.applyDefaults!(d);
    expect(strings(deploymentStrategy.validate!(d))).toEqual(['spec.template.metadata.labels: Invalid value: {"app":"a"}: `selector` does not match template `labels`']);
    const old = deployment();
    deploymentStrategy.applyDefaults!(old);
    expect(strings(deploymentStrategy.validateUpdate!(d, old))).toContain('spec.selector: Invalid value: {"matchLabels":{"app":"b"}}: field is immutable');
  });
});

describe('secrets and configmaps', () => {
  it('merge stringData into base64 data and default the type', () => {
    const s = obj('Secret', { data: { a: Buffer.from('old').toString('base64'), b: 'Yg==' }, stringData: { a: 'new', c: 'ü' } });
    secretStrategy.applyDefaults!(s);
    expect(s.type).toBe('Opaque');
    expect(s.stringData).toBeUndefined();
    expect(s.data).toEqual({ a: Buffer.from('new').toString('base64'), b: 'Yg==', c: Buffer.from('ü').toString('base64') });
  });

  it('validate keys, required keys per type, and immutability', () => {
    const s = obj('Secret', { type: 'kubernetes.io/tls', data: { 'bad key': 'eA==', 'tls.crt': 'eA==' } });
    expect(strings(secretStrategy.validate!(s))).toEqual([
      "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      'data[tls.key]: Required value',
    ]);
    const old = obj('ConfigMap', { immutable: true, data: { a: '1' } });
    expect(strings(configMapStrategy.validateUpdate!(obj('ConfigMap', { immutable: true, data: { a: '2' } }), old))).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    expect(strings(secretStrategy.validateUpdate!(obj('Secret', { type: 'Opaque' }), obj('Secret', { type: 'kubernetes.io/basic-auth' })))).toEqual([
      'type: Invalid value: "Opaque": field is immutable',
    ]);
  });
});

describe('namespaces', () => {
  it('start Active with the kubernetes finalizer and the name label; finalizers survive plain updates', () => {
    const ns = { kind: 'Namespace', metadata: { name: 'team-a' } } as KubeObject;
    namespaceStrategy.prepareForCreate!(ns);
    namespaceStrategy.applyDefaults!(ns);
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    const next = { kind: 'Namespace', metadata: { name: 'team-a' }, spec: { finalizers: [] } } as KubeObject;
    namespaceStrategy.prepareForUpdate!(next, ns);
    expect(next.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(strings(namespaceStrategy.validate!({ metadata: { name: 'a.b' } }))[0]).toBe('metadata.name: Invalid value: "a.b": must not contain dots');
  });
});

describe('rbac', () => {
  it('validates policy rules', () => {
    const role = obj('Role', { rules: [{ resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }] });
    expect(strings(roleStrategy.validate!(role))).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[1].nonResourceURLs: Invalid value: []interface {}{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
    ]);
  });

  it('defaults subject API groups and keeps roleRef immutable', () => {
    const binding = obj('ClusterRoleBinding', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }],
    });
    clusterRoleBindingStrategy.applyDefaults!(binding);
    expect(binding.subjects).toEqual([
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'sa', namespace: 'ns', apiGroup: '' },
    ]);
    expect(clusterRoleBindingStrategy.validate!(binding)).toEqual([]);
    const changed = { ...binding, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } };
    expect(strings(clusterRoleBindingStrategy.validateUpdate!(changed, binding))[0]).toMatch(/^roleRef: Invalid value: .*: cannot change roleRef$/);
  });
});

describe('customresourcedefinitions', () => {
  const crd = (overrides: Record<string, unknown> = {}) =>
    ({
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
        ...overrides,
      },
    }) as KubeObject;

  it('defaults names and conversion, and accepts a valid definition', () => {
    const strategy = createCrdStrategy();
    const c = crd();
    strategy.prepareForCreate!(c);
    strategy.applyDefaults!(c);
    expect((c.spec as { names: unknown }).names).toEqual({ plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
    expect((c.spec as { conversion: unknown }).conversion).toEqual({ strategy: 'None' });
    expect(c.status).toEqual({ storedVersions: ['v1'] });
    expect(strategy.validate!(c)).toEqual([]);
  });

  it('rejects a wrong name, scope, storage versions; calls the schema hook', () => {
    const seen: string[] = [];
    const strategy = createCrdStrategy({ validateSchema: (_s, path) => (seen.push(path), []) });
    const c = crd({ group: 'other.io', scope: 'Global', versions: [{ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: {} } }] });
    strategy.applyDefaults!(c);
    const errs = strings(strategy.validate!(c));
    expect(errs).toContain('metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group');
    expect(errs).toContain('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"');
    expect(errs.some((e) => e.startsWith('spec.versions: Invalid value: ') && e.endsWith('must have exactly one version marked as storage version'))).toBe(true);
    expect(seen).toEqual(['spec.versions[0].schema.openAPIV3Schema']);
  });
});

describe('events.k8s.io conversion', () => {
  it('maps the renamed fields both ways', () => {
    const core: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'ns' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'ns' },
      message: 'hello',
      reason: 'Started',
      source: { component: 'kubelet' },
      count: 2,
      reportingComponent: 'kubelet',
    };
    const v1 = coreEventToEventsV1(core);
    expect(v1).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'ns' },
      regarding: { kind: 'Pod', name: 'p', namespace: 'ns' },
      note: 'hello',
      reason: 'Started',
      deprecatedSource: { component: 'kubelet' },
      deprecatedCount: 2,
      reportingController: 'kubelet',
    });
    expect(eventsV1ToCoreEvent(v1)).toEqual(core);
  });
});
