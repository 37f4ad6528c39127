import { describe, expect, it } from 'vitest';
import { loadEnvoyProtos, TypeUrl } from '../../xds/envoy-protos.ts';
import { firstFieldString, lazyResource } from './lazy-resource.ts';

describe('lazyResource', () => {
  it('names a resource from its first field and decodes its body only when asked', async () => {
    const protos = await loadEnvoyProtos();
    const bytes = protos.encode({ typeUrl: TypeUrl.RouteConfiguration, body: { name: 'external-route', virtualHosts: [{ name: 'vh', domains: ['*'] }] } });
    expect(firstFieldString(bytes)).toBe('external-route');
    let decodes = 0;
    const resource = lazyResource(bytes, () => {
      decodes++;
      return protos.decode(TypeUrl.RouteConfiguration, bytes);
    });
    expect(resource.name).toBe('external-route');
    expect(decodes).toBe(0);
    expect(resource.body).toMatchObject({ name: 'external-route' });
    expect(resource.body).toMatchObject({ virtualHosts: [{ name: 'vh' }] });
    expect(decodes).toBe(1);
  });

  it('gives no name when field 1 is not first', () => {
    expect(firstFieldString(new Uint8Array([0x12, 0x01, 0x61]))).toBeUndefined();
    expect(firstFieldString(new Uint8Array([]))).toBeUndefined();
  });
});
