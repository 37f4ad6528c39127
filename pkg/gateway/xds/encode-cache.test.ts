import { describe, expect, it } from 'vitest';
import { EncodeCache } from './encode-cache.ts';
import { loadEnvoyProtos, TypeUrl, type EnvoyProtos, type XdsResource } from './envoy-protos.ts';

describe('EncodeCache', () => {
  it('encodes a resource once while its content stays, and again when it changes', async () => {
    const protos = await loadEnvoyProtos();
    let encodes = 0;
    const counting: EnvoyProtos = { ...protos, encode: (r) => (encodes++, protos.encode(r)) };
    const cache = new EncodeCache();
    const route = (token: string): XdsResource => ({ typeUrl: TypeUrl.RouteConfiguration, name: 'internal-route', body: { name: 'internal-route', requestHeadersToAdd: [{ header: { key: 'Kuscia-Token', value: token } }] } });
    const first = cache.encode(counting, route('a'));
    cache.sweep();
    const again = cache.encode(counting, route('a'));
    cache.sweep();
    expect(encodes).toBe(1);
    expect(again.value).toBe(first.value);
    const changed = cache.encode(counting, route('b'));
    expect(encodes).toBe(2);
    expect(protos.decode(TypeUrl.RouteConfiguration, changed.value)).toEqual(route('b').body);
  });
});
