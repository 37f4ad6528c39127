import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE, ProtobufDecodeError } from './index.ts';
import type { JsonObject } from './json-value.ts';
import { kubernetesSchemas } from './schema-root.ts';
import { encodeKubernetesProtobuf } from './test-support.ts';

// Each fixture is the JSON Go's encoding/json produces for the object (what kubectl sends as
// application/json): non-pointer structs present even when empty ("status": {}), zero times null.
const FIXTURES: Record<string, JsonObject> = {
  namespace: {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'demo', labels: { team: 'a' }, creationTimestamp: null },
    spec: { finalizers: ['kubernetes'] },
    status: {},
  },
  configMap: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'default', creationTimestamp: null },
    data: { a: 'b', 'app.conf': 'x=1\ny=2\n' },
    binaryData: { 'blob.bin': Buffer.from([0, 1, 2, 255]).toString('base64') },
    // A pointer bool set to false is on the wire and must survive.
    immutable: false,
  },
  secret: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'default', annotations: { note: 'x' }, creationTimestamp: null },
    type: 'Opaque',
    data: { password: Buffer.from('hunter2').toString('base64'), empty: '' },
  },
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: null },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 },
        { name: 'grpc', protocol: 'TCP', port: 9090, targetPort: 'grpc' },
      ],
    },
    status: { loadBalancer: {} },
  },
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: null },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, creationTimestamp: null },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: {} }] },
      },
      strategy: {},
    },
    status: {},
  },
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      uid: '6f1c1b0e-0000-4000-8000-000000000001',
      resourceVersion: '42',
      generation: 3,
      labels: { app: 'p' },
      creationTimestamp: '2026-01-02T03:04:05Z',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-1', controller: true }],
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          command: ['sleep', '3600'],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'A', value: '1' },
            { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'c', key: 'a', optional: false } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
          ],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi', 'nvidia.com/gpu': '1' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
          volumeMounts: [{ name: 'cfg', mountPath: '/etc/app', readOnly: true }],
        },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'c', defaultMode: 420 } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
    },
    status: {},
  },
  roleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'rb', namespace: 'default', creationTimestamp: null },
    subjects: [
      { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
    ],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  },
  tokenRequest: {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { creationTimestamp: null },
    spec: {
      audiences: ['https://kuscia.example'],
      expirationSeconds: 3600,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u-2' },
    },
    status: { expirationTimestamp: null },
  },
  lease: {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'leader', namespace: 'kube-system', creationTimestamp: null },
    spec: {
      holderIdentity: 'node-a',
      leaseDurationSeconds: 15,
      renewTime: '2026-01-02T03:04:05.123456Z',
      leaseTransitions: 0,
    },
  },
  event: {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'p.1', namespace: 'default', creationTimestamp: null },
    eventTime: '2026-01-02T03:04:05.000001Z',
    reportingController: 'kuscia/controller',
    reportingInstance: 'kuscia-1',
    action: 'Scheduling',
    reason: 'Scheduled',
    regarding: { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' },
    note: 'assigned',
    type: 'Normal',
    deprecatedSource: {},
    deprecatedFirstTimestamp: null,
    deprecatedLastTimestamp: null,
  },
  customResourceDefinition: {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'domains.kuscia.secretflow', creationTimestamp: null },
    spec: {
      group: 'kuscia.secretflow',
      names: { plural: 'domains', singular: 'domain', kind: 'Domain', listKind: 'DomainList' },
      scope: 'Cluster',
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: false,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                spec: {
                  type: 'object',
                  'x-kubernetes-preserve-unknown-fields': true,
                  properties: {
                    port: { 'x-kubernetes-int-or-string': true, default: 80 },
                    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, 'x-kubernetes-list-type': 'set' },
                    labels: { type: 'object', additionalProperties: { type: 'string' } },
                  },
                },
              },
            },
          },
          subresources: { status: {} },
          additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
        },
      ],
    },
    // Go would print the non-omitempty `plural: ""` and `kind: ""`; zero non-pointer strings are
    // indistinguishable from unset on the gogo wire and are dropped (see KEEP_ZERO_FIELDS).
    status: { acceptedNames: {} },
  },
};

describe('decodeKubernetesProtobuf', () => {
  it('exports the Kubernetes protobuf media type', () => {
    expect(PROTOBUF_CONTENT_TYPE).toBe('application/vnd.kubernetes.protobuf');
  });

  for (const [name, fixture] of Object.entries(FIXTURES)) {
    it(`decodes a gogo-encoded ${fixture.kind as string} back to its Kubernetes JSON (${name})`, () => {
      expect(decodeKubernetesProtobuf(encodeKubernetesProtobuf(fixture))).toEqual(fixture);
    });
  }

  it('keeps pointer fields that are zero but drops non-pointer zero scalars gogo always writes', () => {
    const decoded = decodeKubernetesProtobuf(encodeKubernetesProtobuf(FIXTURES.deployment)) as any;
    expect(decoded.spec.replicas).toBe(0);
    // ObjectMeta.uid/resourceVersion/generation and DeploymentSpec.minReadySeconds were on the wire as ""/0.
    expect(decoded.metadata).toEqual({ name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: null });
    expect(decoded.spec).not.toHaveProperty('minReadySeconds');
    expect(decoded.spec).not.toHaveProperty('paused');
  });

  it('renders int-or-string, quantities, times and bytes in their JSON forms', () => {
    const pod = decodeKubernetesProtobuf(encodeKubernetesProtobuf(FIXTURES.pod)) as any;
    expect(pod.metadata.creationTimestamp).toBe('2026-01-02T03:04:05Z');
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: '100m', memory: '64Mi' });
    expect(pod.spec.containers[0].readinessProbe.httpGet.port).toBe('http');
    // json:",inline" embedded structs are flattened (Volume.volumeSource, ConfigMapKeySelector.localObjectReference).
    expect(pod.spec.volumes[0]).toEqual({ name: 'cfg', configMap: { name: 'c', defaultMode: 420 } });
    expect(pod.spec.containers[0].env[1].valueFrom.configMapKeyRef).toEqual({ name: 'c', key: 'a', optional: false });
    const service = decodeKubernetesProtobuf(encodeKubernetesProtobuf(FIXTURES.service)) as any;
    expect(service.spec.ports.map((p: { targetPort: unknown }) => p.targetPort)).toEqual([8080, 'grpc']);
    const lease = decodeKubernetesProtobuf(encodeKubernetesProtobuf(FIXTURES.lease)) as any;
    expect(lease.spec.renewTime).toBe('2026-01-02T03:04:05.123456Z');
    const configMap = decodeKubernetesProtobuf(encodeKubernetesProtobuf(FIXTURES.configMap)) as any;
    expect(Buffer.from(configMap.binaryData['blob.bin'], 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('decodes protobuf-encoded objects nested in a RawExtension (v1 List)', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      metadata: {},
      items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'json-item' } }],
    };
    const body = encodeKubernetesProtobuf(list);
    expect(decodeKubernetesProtobuf(body)).toEqual(list);

    // Replace the JSON item with a protobuf-encoded Namespace.
    const schemas = kubernetesSchemas();
    const listType = schemas.lookupType('k8s.io.api.core.v1.List');
    const unknown = schemas.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
    const nested = encodeKubernetesProtobuf(FIXTURES.namespace);
    const raw = listType.encode(listType.fromObject({ metadata: {}, items: [{ raw: nested }] })).finish();
    const outer = Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown.encode({ typeMeta: { apiVersion: 'v1', kind: 'List' }, raw }).finish()]);
    expect(decodeKubernetesProtobuf(outer)).toEqual({ apiVersion: 'v1', kind: 'List', metadata: {}, items: [FIXTURES.namespace] });
  });
});

describe('decodeKubernetesProtobuf errors', () => {
  const envelope = (typeMeta: { apiVersion?: string; kind?: string }, raw: Uint8Array = new Uint8Array()) => {
    const unknown = kubernetesSchemas().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
    return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown.encode({ typeMeta, raw }).finish()]);
  };
  const decodeError = (body: Uint8Array): ProtobufDecodeError => {
    try {
      decodeKubernetesProtobuf(body);
    } catch (err) {
      expect(err).toBeInstanceOf(ProtobufDecodeError);
      return err as ProtobufDecodeError;
    }
    throw new Error('expected a ProtobufDecodeError');
  };

  it('rejects a kind it has no schema for, naming it', () => {
    const err = decodeError(envelope({ apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'Domain' }));
    expect(err.reason).toBe('unsupported-kind');
    expect(err.message).toContain('kuscia.secretflow/v1alpha1, Kind=Domain');
    expect(decodeError(envelope({ apiVersion: 'v1', kind: 'NoSuchKind' })).reason).toBe('unsupported-kind');
    // A proto message that is not a kind's name-shape (lowercase) is not looked up at all.
    expect(decodeError(envelope({ apiVersion: 'v1', kind: 'pod' })).reason).toBe('unsupported-kind');
  });

  it('rejects bodies that are not Kubernetes protobuf with kube-apiserver wording', () => {
    expect(decodeError(Buffer.alloc(0)).message).toBe('empty data');
    expect(decodeError(Buffer.from('{"kind":"Pod"}')).message).toBe(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
    expect(decodeError(Buffer.from('k8s\0', 'latin1')).message).toBe('empty body');
    expect(decodeError(envelope({ apiVersion: 'v1' })).message).toMatch(/Object 'Kind' is missing/);
    expect(decodeError(envelope({ kind: 'Pod' })).message).toMatch(/Object 'apiVersion' is missing/);
  });

  it('reports a truncated typed object as malformed', () => {
    const good = encodeKubernetesProtobuf(FIXTURES.pod);
    const schemas = kubernetesSchemas();
    const unknown = schemas.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
    const { raw } = unknown.decode(good.subarray(4)) as unknown as { raw: Uint8Array };
    const err = decodeError(envelope({ apiVersion: 'v1', kind: 'Pod' }, raw.subarray(0, raw.length - 3)));
    expect(err.reason).toBe('malformed');
    expect(err.message).toContain('v1, Kind=Pod');
    expect(decodeError(Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0xff])])).reason).toBe('malformed');
  });
});

describe('bodies captured from kubectl 1.33', () => {
  const testdata = (file: string) => readFileSync(new URL(`./testdata/${file}`, import.meta.url));
  // Each .json is the same command run with --dry-run=client -o json: the object kubectl would have
  // posted as JSON. scripts/capture-kubectl-bodies.ts records both.
  const captured = ['namespace', 'configmap', 'secret', 'service', 'deployment', 'serviceaccount', 'role', 'rolebinding', 'quota'];

  for (const name of captured) {
    it(`decodes kubectl's ${name} body to the JSON kubectl would have sent`, () => {
      const expected = JSON.parse(testdata(`${name}.json`).toString('utf8'));
      expect(decodeKubernetesProtobuf(testdata(`${name}.pb`))).toEqual(expected);
    });
  }

  it('decodes `kubectl create namespace demo` and `create configmap c --from-literal=a=b`', () => {
    expect(decodeKubernetesProtobuf(testdata('namespace.pb'))).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'demo', creationTimestamp: null },
      spec: {},
      status: {},
    });
    expect(decodeKubernetesProtobuf(testdata('configmap.pb'))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default', creationTimestamp: null },
      data: { a: 'b' },
    });
  });

  it('decodes the TokenRequest of `kubectl create token sa --duration=1h`', () => {
    expect(decodeKubernetesProtobuf(testdata('token.pb'))).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { creationTimestamp: null },
      spec: { expirationSeconds: 3600 },
      status: { expirationTimestamp: null },
    });
  });
});
