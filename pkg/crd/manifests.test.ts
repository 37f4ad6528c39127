import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrdManifestError, DEFAULT_CRD_DIR, loadCrdManifests, parseCrdManifest } from './manifests.ts';

const CRD_A = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: as.example.com}
spec:
  group: example.com
  names: {kind: A, plural: as}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true}]
`;
const CRD_B = CRD_A.replaceAll('as', 'bs').replace('kind: A', 'kind: B');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crd-manifests-'));
  await writeFile(join(dir, 'b.yaml'), `# comment\n---\n${CRD_B}---\n`);
  await writeFile(join(dir, 'a.yml'), CRD_A);
  await writeFile(join(dir, 'README.md'), 'not a manifest');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadCrdManifests', () => {
  it('defaults to the repository crds/v1alpha1 directory', async () => {
    expect(DEFAULT_CRD_DIR).toMatch(/crds[\\/]v1alpha1[\\/]?$/);
    const crds = await loadCrdManifests();
    expect(crds.length).toBe(18);
    expect(crds.every((c) => c.kind === 'CustomResourceDefinition' && c.spec.group === 'kuscia.secretflow')).toBe(true);
  });

  it('reads only YAML files, in file-name order, skipping empty documents', async () => {
    const crds = await loadCrdManifests(dir);
    expect(crds.map((c) => c.metadata.name)).toEqual(['as.example.com', 'bs.example.com']);
  });

  it('reads every document of a multi-document file', () => {
    const crds = parseCrdManifest('multi.yaml', `${CRD_A}---\n${CRD_B}`);
    expect(crds.map((c) => c.spec.names.kind)).toEqual(['A', 'B']);
  });

  it('rejects documents that are not CustomResourceDefinitions, naming the file', () => {
    expect(() => parseCrdManifest('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')).toThrow(CrdManifestError);
    expect(() => parseCrdManifest('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')).toThrow(
      'cm.yaml: expected apiextensions.k8s.io/v1 CustomResourceDefinition, got v1/ConfigMap',
    );
  });

  it('rejects malformed YAML', () => {
    expect(() => parseCrdManifest('bad.yaml', 'spec: [unclosed')).toThrow(CrdManifestError);
  });
});
