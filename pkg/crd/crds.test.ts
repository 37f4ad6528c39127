import { beforeAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { KUSCIA_KINDS } from './kinds.ts';
import { loadCrdManifestFiles, type LoadedCrd } from './manifests.ts';
import { resolveJsonPath, structuralViolations } from './testing/schema-checks.ts';

// The inventory of reference/kuscia.md §1.1, written out independently of kinds.ts so that a drift
// in either the YAML or the TypeScript table fails here.
const INVENTORY: Array<[kind: string, plural: string, scope: 'Namespaced' | 'Cluster', shortNames: string[], status: boolean]> = [
  ['AppImage', 'appimages', 'Cluster', ['aimg'], false],
  ['DomainAppImage', 'domainappimages', 'Namespaced', ['daimg'], false],
  ['ClusterDomainRoute', 'clusterdomainroutes', 'Cluster', ['cdr'], true],
  ['DomainRoute', 'domainroutes', 'Namespaced', ['dr'], true],
  ['Domain', 'domains', 'Cluster', [], true],
  ['DomainData', 'domaindatas', 'Namespaced', ['kdd'], true],
  ['DomainDataGrant', 'domaindatagrants', 'Namespaced', ['ddg'], true],
  ['DomainDataSource', 'domaindatasources', 'Namespaced', ['dds'], true],
  ['Gateway', 'gateways', 'Namespaced', ['gw'], true],
  ['InteropConfig', 'interopconfigs', 'Cluster', ['interop'], false],
  ['KusciaDeployment', 'kusciadeployments', 'Namespaced', ['kd'], true],
  ['KusciaDeploymentSummary', 'kusciadeploymentsummaries', 'Namespaced', ['kds'], false],
  ['KusciaJob', 'kusciajobs', 'Namespaced', ['kj'], true],
  ['KusciaJobSummary', 'kusciajobsummaries', 'Namespaced', ['kjs'], false],
  ['KusciaTask', 'kusciatasks', 'Namespaced', ['kt'], true],
  ['KusciaTaskSummary', 'kusciatasksummaries', 'Namespaced', ['kts'], false],
  ['TaskResourceGroup', 'taskresourcegroups', 'Cluster', ['trg'], true],
  ['TaskResource', 'taskresources', 'Namespaced', ['tr'], false],
];

// Printer columns kubectl shows for each kind (name and JSONPath), as in the original CRDs.
const PRINTER_COLUMNS: Record<string, Array<[string, string]>> = {
  KusciaJob: [
    ['StartTime', '.status.startTime'],
    ['CompletionTime', '.status.completionTime'],
    ['LastReconcileTime', '.status.lastReconcileTime'],
    ['Phase', '.status.phase'],
  ],
  KusciaTask: [
    ['StartTime', '.status.startTime'],
    ['CompletionTime', '.status.completionTime'],
    ['LastReconcileTime', '.status.lastReconcileTime'],
    ['Phase', '.status.phase'],
  ],
  TaskResourceGroup: [
    ['MinReservedMembers', '.spec.minReservedMembers'],
    ['Phase', '.status.phase'],
    ['StartTime', '.status.startTime'],
    ['CompletionTime', '.status.completionTime'],
    ['LastTransitionTime', '.status.lastTransitionTime'],
  ],
  TaskResource: [
    ['MinReservedPods', '.spec.minReservedPods'],
    ['Phase', '.status.phase'],
    ['StartTime', '.status.startTime'],
    ['CompletionTime', '.status.completionTime'],
    ['LastTransitionTime', '.status.lastTransitionTime'],
  ],
  DomainRoute: [
    ['Source', '.spec.source'],
    ['Destination', '.spec.destination'],
    ['Host', '.spec.endpoint.host'],
    ['Authentication', '.spec.authenticationType'],
  ],
  ClusterDomainRoute: [
    ['Source', '.spec.source'],
    ['Destination', '.spec.destination'],
    ['Host', '.spec.endpoint.host'],
    ['Authentication', '.spec.authenticationType'],
    ['Ready', '.status.conditions[?(@.type=="Ready")].status'],
  ],
  Gateway: [
    ['CreationTime', '.metadata.creationTimestamp'],
    ['UpTime', '.status.uptime'],
    ['HeartbeatTime', '.status.heartbeatTime'],
    ['Address', '.status.address'],
    ['Version', '.status.version'],
  ],
  KusciaDeployment: [
    ['TotalParties', '.status.totalParties'],
    ['AvailableParties', '.status.availableParties'],
    ['Phase', '.status.phase'],
    ['Age', '.metadata.creationTimestamp'],
  ],
};

let loaded: LoadedCrd[];
beforeAll(async () => {
  loaded = await loadCrdManifestFiles();
});

function crdOf(kind: string) {
  const found = loaded.find((l) => l.crd.spec.names.kind === kind);
  if (!found) throw new Error(`no CRD for ${kind}`);
  return found;
}

describe('Kuscia CRD manifests', () => {
  it('contain exactly the 18 Kuscia kinds, one file each', () => {
    expect(loaded).toHaveLength(18);
    expect(new Set(loaded.map((l) => l.file)).size).toBe(18);
    expect(loaded.map((l) => l.crd.spec.names.kind).sort()).toEqual(INVENTORY.map(([kind]) => kind).sort());
  });

  it('TypeScript inventory (kinds.ts) agrees with the reference inventory', () => {
    expect(
      KUSCIA_KINDS.map((k) => [k.kind, k.plural, k.scope, k.shortNames, k.statusSubresource]).sort(),
    ).toEqual([...INVENTORY].sort());
  });

  describe.each(INVENTORY)('%s', (kind, plural, scope, shortNames, status) => {
    it('has the names, scope and file name of the original', () => {
      const { file, crd } = crdOf(kind);
      expect(basename(file)).toBe(`kuscia.secretflow_${plural}.yaml`);
      expect(crd.metadata.name).toBe(`${plural}.kuscia.secretflow`);
      expect(crd.spec.group).toBe('kuscia.secretflow');
      expect(crd.spec.names).toMatchObject({ kind, plural, listKind: `${kind}List`, singular: kind.toLowerCase() });
      expect(crd.spec.names.shortNames ?? []).toEqual(shortNames);
      expect(crd.spec.scope).toBe(scope);
    });

    it('serves and stores v1alpha1 only', () => {
      const { versions } = crdOf(kind).crd.spec;
      expect(versions.map((v) => [v.name, v.served, v.storage])).toEqual([['v1alpha1', true, true]]);
    });

    it(status ? 'declares the status subresource' : 'has no status subresource', () => {
      const [version] = crdOf(kind).crd.spec.versions;
      if (status) expect(version.subresources).toEqual({ status: {} });
      else expect(version.subresources?.status).toBeUndefined();
    });

    it('has a structural schema', () => {
      const schema = crdOf(kind).crd.spec.versions[0].schema?.openAPIV3Schema;
      expect(schema).toBeDefined();
      expect(structuralViolations(schema!)).toEqual([]);
      // Only Domain restricts metadata (its name: an RFC 1123 label, not a reserved ID); the rest leave it open.
      const { properties: metaProperties, ...meta } = schema!.properties?.metadata ?? {};
      expect(meta).toEqual({ type: 'object' });
      expect(Object.keys(metaProperties ?? {})).toEqual(kind === 'Domain' ? ['name'] : []);
    });

    it('has printer columns whose JSONPaths exist in the schema', () => {
      const [version] = crdOf(kind).crd.spec.versions;
      const columns = version.additionalPrinterColumns ?? [];
      for (const column of columns) {
        const resolved = resolveJsonPath(version.schema!.openAPIV3Schema, column.jsonPath);
        expect(resolved.error, `${kind} column ${column.name}`).toBeUndefined();
        if (column.type === 'date') expect(resolved.schema?.type).toBe('string');
        if (column.type === 'integer') expect(resolved.schema?.type).toBe('integer');
      }
      if (PRINTER_COLUMNS[kind]) expect(columns.map((c) => [c.name, c.jsonPath])).toEqual(PRINTER_COLUMNS[kind]);
    });
  });
});

describe('structural checker (self-test)', () => {
  it('flags untyped nodes, arrays without items and invalid defaults', () => {
    const violations = structuralViolations({
      type: 'object',
      properties: {
        untyped: { description: 'no type' },
        list: { type: 'array' },
        mode: { type: 'string', enum: ['A'], default: 'B' },
        ok: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      },
    });
    expect(violations).toEqual([
      '.untyped: type must be set',
      '.list: array needs items',
      'default does not validate: .mode(default): "B" not in enum ["A"]',
    ]);
  });

  it('rejects printer paths to fields that do not exist', () => {
    const schema = { type: 'object' as const, properties: { status: { type: 'object' as const, properties: { phase: { type: 'string' as const } } } } };
    expect(resolveJsonPath(schema, '.status.phase').error).toBeUndefined();
    expect(resolveJsonPath(schema, '.status.phases').error).toMatch(/no field phases/);
  });
});
