import { describe, expect, it } from 'vitest';
import { apiErrors } from '../../api/errors.ts';
import type { FieldError } from '../../api/field-error.ts';
import type { KubeObject } from '../../api/object.ts';
import { podStrategy } from './pods.ts';

function pod(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec };
}

function created(spec: Record<string, unknown>): KubeObject {
  const p = pod(spec);
  podStrategy.prepareForCreate!(p);
  podStrategy.applyDefaults!(p);
  return p;
}

/** The message kube-apiserver would answer with. */
function message(errs: FieldError[]): string {
  return apiErrors.invalid({ group: '', resource: 'pods', kind: 'Pod' }, 'p', errs).message;
}

describe('pod defaulting', () => {
  it('fills the defaults kube-apiserver gives a new pod', () => {
    const p = created({ containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] });
    expect(p.spec).toEqual({
      containers: [
        {
          name: 'app',
          image: 'nginx',
          imagePullPolicy: 'Always',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    });
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('pulls tagged images only if not present, and keeps explicit values', () => {
    const p = created({
      restartPolicy: 'Never',
      serviceAccountName: 'worker',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
      containers: [
        { name: 'a', image: 'registry:5000/app:1.2' },
        { name: 'b', image: 'app@sha256:abc' },
        { name: 'c', image: 'app:latest' },
        { name: 'd', image: 'app:1.0', imagePullPolicy: 'Never' },
      ],
    });
    const spec = p.spec as { containers: Array<{ imagePullPolicy: string }>; restartPolicy: string; serviceAccount: string; tolerations: unknown[] };
    expect(spec.containers.map((c) => c.imagePullPolicy)).toEqual(['IfNotPresent', 'IfNotPresent', 'Always', 'Never']);
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.serviceAccount).toBe('worker');
    expect(spec.tolerations).toHaveLength(2);
  });

  it('defaults requests to limits and derives the QoS class', () => {
    const p = created({ containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }] });
    expect((p.spec as { containers: Array<{ resources: unknown }> }).containers[0].resources).toEqual({
      limits: { cpu: '1', memory: '1Gi' },
      requests: { cpu: '1', memory: '1Gi' },
    });
    expect((p.status as { qosClass: string }).qosClass).toBe('Guaranteed');
    const burstable = created({ containers: [{ name: 'a', image: 'x:1', resources: { requests: { cpu: '100m' } } }] });
    expect((burstable.status as { qosClass: string }).qosClass).toBe('Burstable');
  });
});

describe('pod validation', () => {
  it('requires containers', () => {
    expect(message(podStrategy.validate!(created({})))).toBe('Pod "p" is invalid: spec.containers: Required value');
  });

  it('reports container problems like Kubernetes', () => {
    const p = created({
      restartPolicy: 'Sometimes',
      containers: [
        { name: 'app', image: '', ports: [{ containerPort: 70000 }] },
        { name: 'app', image: 'x', env: [{ name: 'A=B', value: '1' }] },
      ],
    });
    expect(message(podStrategy.validate!(p))).toBe(
      'Pod "p" is invalid: [' +
        'spec.containers[0].image: Required value, ' +
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, ' +
        'spec.containers[1].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\', ' +
        'spec.containers[1].name: Duplicate value: "app", ' +
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]',
    );
  });

  it('checks container names, mounts and dnsPolicy', () => {
    const p = created({ dnsPolicy: 'Cluster', containers: [{ name: 'App', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] });
    const errs = podStrategy.validate!(p).map(String);
    expect(errs).toContain('spec.containers[0].volumeMounts[0].name: Not found: "data"');
    expect(errs).toContain('spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"');
    expect(errs.some((e) => e.startsWith('spec.containers[0].name: Invalid value: "App": a lowercase RFC 1123 label'))).toBe(true);
  });
});

describe('pod update', () => {
  const old = created({ containers: [{ name: 'a', image: 'x:1' }] });

  it('allows image changes and added tolerations', () => {
    const next = structuredClone(old);
    const spec = next.spec as { containers: Array<{ image: string }>; tolerations: unknown[] };
    spec.containers[0].image = 'x:2';
    spec.tolerations.push({ key: 'k', operator: 'Exists' });
    expect(podStrategy.validateUpdate!(next, old)).toEqual([]);
  });

  it('forbids other spec changes', () => {
    const next = structuredClone(old);
    (next.spec as { restartPolicy: string }).restartPolicy = 'Never';
    const errs = podStrategy.validateUpdate!(next, old);
    expect(errs.map(String)).toEqual([
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    ]);
    const removed = structuredClone(old);
    (removed.spec as { tolerations: unknown[] }).tolerations.pop();
    expect(podStrategy.validateUpdate!(removed, old)).toHaveLength(1);
  });
});
