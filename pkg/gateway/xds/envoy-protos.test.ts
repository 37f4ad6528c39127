import { describe, expect, it } from 'vitest';
import { loadEnvoyProtos, TypeUrl } from './envoy-protos.ts';

describe('Envoy protos', () => {
  it('round-trips a listener whose HCM is an Any', async () => {
    const protos = await loadEnvoyProtos();
    const body = {
      name: 'internal-listener',
      address: { socketAddress: { address: '0.0.0.0', portValue: 80 } },
      filterChains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', statPrefix: 'internal_http', rds: { routeConfigName: 'internal-route', configSource: { ads: {}, resourceApiVersion: 'V3' } } } }] }],
    };
    const any = protos.toAny({ typeUrl: TypeUrl.Listener, body });
    expect(any.typeUrl).toBe(TypeUrl.Listener);
    expect(protos.decode(TypeUrl.Listener, any.value)).toEqual(body);
  });
});
