/**
 * Manifests shaped like the ones in Kuscia's documentation and scripts must validate against our
 * CRDs and lose no field to pruning: users apply them unchanged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Schema } from '../apiserver/schema/types.ts';
import { loadCrdManifests } from './manifests.ts';
import { prunedFields, validate } from './testing/schema-checks.ts';

const SAMPLES: Record<string, string> = {
  AppImage: `
apiVersion: kuscia.secretflow/v1alpha1
kind: AppImage
metadata:
  name: secretflow-image
spec:
  configTemplates:
    task-config.conf: |
      {"task_id": "{{.TASK_ID}}", "task_input_config": "{{.TASK_INPUT_CONFIG}}"}
  deployTemplates:
    - name: secretflow
      replicas: 1
      spec:
        containers:
          - command: [sh, -c, python -m secretflow.kuscia.entry ./kuscia/task-config.conf]
            configVolumeMounts:
              - mountPath: /work/kuscia/task-config.conf
                subPath: task-config.conf
            name: secretflow
            ports:
              - {name: spu, port: 20000, protocol: GRPC, scope: Cluster}
              - {name: fed, port: 8080, protocol: GRPC, scope: Cluster}
              - {name: global, port: 8081, protocol: GRPC, scope: Domain}
              - {name: node-manager, port: 8082, protocol: GRPC, scope: Local}
            metricProbe: {path: /metrics, port: node-manager}
            env:
              - {name: LOG_LEVEL, value: info}
              - name: POD_NAME
                valueFrom: {fieldRef: {fieldPath: metadata.name}}
            resources: {requests: {cpu: 100m, memory: 100Mi}, limits: {cpu: 2, memory: 4Gi}}
            readinessProbe: {httpGet: {path: /health, port: global}, periodSeconds: 10}
            securityContext: {privileged: false}
            workingDir: /work
        restartPolicy: Never
        affinity:
          podAntiAffinity:
            preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 100
                podAffinityTerm: {topologyKey: kubernetes.io/hostname}
  image:
    id: sha256:f1c20d8cb5c4c69d3997527e4912e794ba3cd7fa26bfaf6afa1383697c80ea9a
    name: secretflow/secretflow-lite-anolis8
    sign: abc
    tag: 1.11.0b1
`,
  KusciaJob: `
apiVersion: kuscia.secretflow/v1alpha1
kind: KusciaJob
metadata:
  name: job-best-effort-linear
  namespace: cross-domain
spec:
  initiator: alice
  scheduleMode: BestEffort
  maxParallelism: 2
  tasks:
    - taskID: job-psi
      alias: job-psi
      priority: 100
      taskInputConfig: '{"sf_datasource_config":{}}'
      appImage: secretflow-image
      parties:
        - domainID: alice
        - domainID: bob
    - taskID: job-split
      alias: job-split
      priority: 100
      dependencies: ['job-psi']
      tolerable: true
      taskInputConfig: '{}'
      appImage: secretflow-image
      scheduleConfig: {minReservedMembers: 2, lifecycleSeconds: 300}
      parties:
        - domainID: alice
          role: host
          resources: {limits: {cpu: 2, memory: 2Gi}}
          bandwidthLimits: [{destinationID: bob, limitKBps: 10240}]
        - domainID: bob
`,
  KusciaDeployment: `
apiVersion: kuscia.secretflow/v1alpha1
kind: KusciaDeployment
metadata:
  labels: {kuscia.secretflow/app-type: serving}
  name: secretflow-serving
  namespace: cross-domain
spec:
  initiator: alice
  inputConfig: '{"partyConfigs":{}}'
  parties:
    - appImageRef: secretflow-serving-image
      domainID: alice
      serviceNamePrefix: serving-alice
    - appImageRef: secretflow-serving-image
      domainID: bob
      template:
        replicas: 2
        strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
        spec:
          containers:
            - name: secretflow
              resources: {requests: {cpu: 100m}}
`,
  ClusterDomainRoute: `
apiVersion: kuscia.secretflow/v1alpha1
kind: ClusterDomainRoute
metadata:
  name: alice-bob
spec:
  authenticationType: Token
  source: alice
  destination: bob
  interConnProtocol: kuscia
  endpoint:
    host: 1.1.1.1
    ports:
      - {name: http, port: 1080, protocol: HTTP, isTLS: true, pathPrefix: /foo}
  transit: {transitMethod: REVERSE-TUNNEL}
  bodyEncryption: {algorithm: AES}
  requestHeadersToAdd: {Authorization: Bearer abc}
  tokenConfig:
    destinationPublicKey: ZGVzdA==
    rollingUpdatePeriod: 86400
    sourcePublicKey: c3Jj
    tokenGenMethod: RSA-GEN
`,
  Domain: `
apiVersion: kuscia.secretflow/v1alpha1
kind: Domain
metadata:
  name: bob
spec:
  cert: LS0tLS1CRUdJTg==
  role: partner
  master: bob
  interConnProtocols: [kuscia]
  authCenter: {authenticationType: Token, tokenGenMethod: UID-RSA-GEN}
  resourceQuota: {podMaxCount: 10}
`,
  DomainData: `
apiVersion: kuscia.secretflow/v1alpha1
kind: DomainData
metadata:
  labels: {kuscia.secretflow/domaindata-type: table, kuscia.secretflow/domaindata-vendor: manual}
  name: alice-table
  namespace: alice
spec:
  attributes: {description: alice demo data}
  author: alice
  columns:
    - {comment: '', name: id1, type: str}
    - {name: age, type: float, notNullable: true}
  dataSource: default-data-source
  name: alice.csv
  relativeURI: alice.csv
  type: table
  vendor: manual
  fileFormat: csv
`,
  DomainDataSource: `
apiVersion: kuscia.secretflow/v1alpha1
kind: DomainDataSource
metadata:
  name: default-data-source
  namespace: alice
spec:
  accessDirectly: true
  data: {encryptedInfo: abc}
  name: default-data-source
  type: localfs
  uri: /home/kuscia/var/storage/data
`,
  DomainDataGrant: `
apiVersion: kuscia.secretflow/v1alpha1
kind: DomainDataGrant
metadata:
  name: alice-grant-bob
  namespace: alice
spec:
  author: alice
  domainDataID: alice-table
  grantDomain: bob
  description: {purpose: demo}
  limit:
    expirationTime: '2030-01-01T00:00:00Z'
    grantMode: [normal, metadata]
    useCount: 10
    components: [psi]
`,
  InteropConfig: `
apiVersion: kuscia.secretflow/v1alpha1
kind: InteropConfig
metadata:
  name: alice-2-bob
spec:
  host: bob
  members: [alice]
`,
};

let schemas: Map<string, Schema>;
beforeAll(async () => {
  schemas = new Map((await loadCrdManifests()).map((c) => [c.spec.names.kind, c.spec.versions[0].schema!.openAPIV3Schema]));
});

describe.each(Object.entries(SAMPLES))('%s sample manifest', (kind, text) => {
  it('validates and keeps every field', () => {
    const manifest: unknown = parse(text);
    const schema = schemas.get(kind)!;
    expect(validate(schema, manifest)).toEqual([]);
    expect(prunedFields(schema, manifest)).toEqual([]);
  });
});

describe('the manifests shipped in deploy/examples', () => {
  it('validate against the CRDs and keep every field', async () => {
    const dir = join(import.meta.dirname, '../../deploy/examples');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
        const manifest = doc.toJS() as { kind: string };
        const schema = schemas.get(manifest.kind);
        expect(schema, `${file}: kind ${manifest.kind}`).toBeDefined();
        expect(validate(schema!, manifest), file).toEqual([]);
        expect(prunedFields(schema!, manifest), file).toEqual([]);
      }
    }
  });
});

describe('sample checks (self-test)', () => {
  it('would notice a misspelled field and a wrong enum value', () => {
    const manifest = parse(SAMPLES.KusciaJob) as { spec: Record<string, unknown> };
    manifest.spec.maxParalelism = 3;
    manifest.spec.scheduleMode = 'Best';
    const schema = schemas.get('KusciaJob')!;
    expect(prunedFields(schema, manifest)).toEqual(['.spec.maxParalelism']);
    expect(validate(schema, manifest)).toEqual(['.spec.scheduleMode: "Best" not in enum ["Strict","BestEffort"]']);
  });
});
