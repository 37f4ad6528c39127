import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definitionsPath, generateBuiltinDefinitions, renderDefinitionsJson } from '../../../../scripts/gen-builtin-openapi.ts';
import type { Schema } from '../../schema/types.ts';
import { loadBuiltinDefinitions, resolveSchema } from './load.ts';

const core = 'io.k8s.api.core.v1';
const apiext = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

describe('generated built-in definitions', () => {
  it('are up to date (run `node scripts/gen-builtin-openapi.ts` after changing the tables)', () => {
    expect(renderDefinitionsJson(generateBuiltinDefinitions())).toBe(readFileSync(definitionsPath, 'utf8'));
  });

  const defs = loadBuiltinDefinitions();

  it('carry strategic-merge and list-map metadata for pod containers', () => {
    const containers = defs[`${core}.PodSpec`].properties!.containers;
    expect(containers).toMatchObject({
      type: 'array',
      items: { $ref: `#/components/schemas/${core}.Container` },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    expect(defs[`${core}.PodSpec`].required).toEqual(['containers']);
    expect(defs[`${core}.Container`].properties!.ports['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties!.ownerReferences['x-kubernetes-patch-merge-key']).toBe('uid');
  });

  it('name top-level kinds with their group/version/kind', () => {
    expect(defs[`${core}.Pod`]['x-kubernetes-group-version-kind']).toEqual([{ group: '', version: 'v1', kind: 'Pod' }]);
    expect(defs['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', version: 'v1', kind: 'DeploymentList' }]);
    expect(defs['io.k8s.api.events.v1.Event']['x-kubernetes-group-version-kind']).toEqual([{ group: 'events.k8s.io', version: 'v1', kind: 'Event' }]);
    expect(defs[`${core}.PodSpec`]['x-kubernetes-group-version-kind']).toBeUndefined();
  });

  it('use Kubernetes formats, Quantity, IntOrString and Time', () => {
    const limits = defs[`${core}.ResourceRequirements`].properties!.limits;
    expect(limits.additionalProperties).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    expect(defs[`${core}.ServicePort`].properties!.targetPort.$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    expect(defs[`${core}.ServicePort`].properties!.port).toMatchObject({ type: 'integer', format: 'int32' });
    expect(defs[`${core}.Secret`].properties!.data.additionalProperties).toEqual({ type: 'string', format: 'byte' });
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties!.creationTimestamp.$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time');
    expect(defs['io.k8s.api.coordination.v1.LeaseSpec'].properties!.renewTime.$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime');
    expect(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']['x-kubernetes-int-or-string']).toBe(true);
    expect(defs[`${core}.Pod`].description).toMatch(/^Pod is a collection of containers/);
    expect(defs[`${core}.Pod`].properties!.metadata.description).toMatch(/^Standard object's metadata/);
  });
});

describe('resolveSchema', () => {
  it('replaces $refs with shared schemas', () => {
    const pod = resolveSchema(`${core}.Pod`);
    const container = pod.properties!.spec.properties!.containers.items!;
    expect(container.properties!.image.type).toBe('string');
    expect(JSON.stringify(pod)).not.toContain('$ref');
    expect(resolveSchema(`${core}.Container`)).toBe(container);
    expect(pod.properties!.metadata).toBe(resolveSchema('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'));
  });

  it('turns recursive definitions into cycles and freezes them', () => {
    const crd = resolveSchema(`${apiext}.CustomResourceDefinition`);
    const versionSchema = crd.properties!.spec.properties!.versions.items!.properties!.schema.properties!.openAPIV3Schema;
    const props = versionSchema.properties!.properties.additionalProperties as Schema;
    expect(props).toBe(versionSchema);
    expect(Object.isFrozen(versionSchema)).toBe(true);
    expect(() => resolveSchema('io.k8s.api.core.v1.NoSuchThing')).toThrow(/unknown built-in OpenAPI definition/);
  });
});
