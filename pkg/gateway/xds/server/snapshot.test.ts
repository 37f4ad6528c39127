import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnvoyProtos, TypeUrl, type EnvoyProtos } from '../envoy-protos.ts';
import { buildSnapshot, typeSnapshot, XdsSnapshotError } from './snapshot.ts';
import { cluster, listener } from './testing/fixtures.ts';

let protos: EnvoyProtos;
beforeAll(async () => {
  protos = await loadEnvoyProtos();
});

describe('buildSnapshot', () => {
  it('gives a type the same version for the same bytes, whatever the order, and a new one when a resource changes', () => {
    const a = buildSnapshot(protos, [cluster('c1'), cluster('c2'), listener('l1')]);
    const b = buildSnapshot(protos, [listener('l1'), cluster('c2'), cluster('c1')]);
    const c = buildSnapshot(protos, [cluster('c1'), cluster('c2', 5), listener('l1')]);
    expect(typeSnapshot(a, TypeUrl.Cluster).version).toBe(typeSnapshot(b, TypeUrl.Cluster).version);
    expect(typeSnapshot(c, TypeUrl.Cluster).version).not.toBe(typeSnapshot(a, TypeUrl.Cluster).version);
    expect(typeSnapshot(c, TypeUrl.Listener).version).toBe(typeSnapshot(a, TypeUrl.Listener).version);
    expect(typeSnapshot(c, TypeUrl.Cluster).resources.get('c1')!.version).toBe(typeSnapshot(a, TypeUrl.Cluster).resources.get('c1')!.version);
    expect(typeSnapshot(a, TypeUrl.RouteConfiguration).resources.size).toBe(0);
  });

  it('takes resources already encoded as they are', () => {
    const value = protos.encode(cluster('c1'));
    const s = buildSnapshot(protos, [{ typeUrl: TypeUrl.Cluster, name: 'c1', value }]);
    expect(typeSnapshot(s, TypeUrl.Cluster).version).toBe(typeSnapshot(buildSnapshot(protos, [cluster('c1')]), TypeUrl.Cluster).version);
  });

  it('refuses two resources of a type with the same name', () => {
    expect(() => buildSnapshot(protos, [cluster('c1'), cluster('c1', 2)])).toThrow(XdsSnapshotError);
  });
});
