import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadEnvoyProtos, type EnvoyProtos } from '../xds/envoy-protos.ts';
import { ENVOY_BOOTSTRAP_TEMPLATE, EnvoyBootstrapError, renderEnvoyBootstrap } from './bootstrap.ts';
import { fromProtoJson, ProtoJsonError } from './testing/proto-json.ts';

const BOOTSTRAP = 'type.googleapis.com/envoy.config.bootstrap.v3.Bootstrap';
const params = { nodeId: 'kuscia-gateway-alice-node1', cluster: 'kuscia-gateway-alice', xdsHost: '127.0.0.1', xdsPort: 10001, adminPort: 10000 };

describe('renderEnvoyBootstrap', () => {
  let protos: EnvoyProtos;
  beforeAll(async () => {
    protos = await loadEnvoyProtos();
    // Bootstrap is not part of the gateway's xDS schema: load it into this test's copy only.
    await protos.root.load('envoy/config/bootstrap/v3/bootstrap.proto', { keepCase: false });
    protos.root.resolveAll();
  });

  /** Encode → decode, as the xDS resources are checked (pkg/gateway/xds/envoy-protos.ts). */
  const roundTrip = (body: Record<string, unknown>): Record<string, unknown> => {
    const type = protos.type(BOOTSTRAP);
    return protos.decode(BOOTSTRAP, type.encode(type.fromObject(body)).finish());
  };

  it('is a valid Envoy v3 Bootstrap: every field exists and survives an encode/decode round trip', () => {
    const yaml = parse(renderEnvoyBootstrap(params)) as unknown;
    const body = fromProtoJson(protos.type(BOOTSTRAP), yaml);
    expect(roundTrip(body)).toEqual(body);
  });

  it('configures the node, the loopback admin port and ADS to xds-cluster over HTTP/2', () => {
    const body = fromProtoJson(protos.type(BOOTSTRAP), parse(renderEnvoyBootstrap({ ...params, xdsHost: '10.0.0.7', xdsPort: 12345, adminPort: 23456 })));
    const decoded = roundTrip(body) as Record<string, any>;
    expect(decoded.node).toEqual({ id: 'kuscia-gateway-alice-node1', cluster: 'kuscia-gateway-alice' });
    expect(decoded.admin.address).toEqual({ socketAddress: { address: '127.0.0.1', portValue: 23456 } });
    expect(decoded.dynamicResources.adsConfig).toMatchObject({ apiType: 'GRPC', transportApiVersion: 'V3', grpcServices: [{ envoyGrpc: { clusterName: 'xds-cluster' } }] });
    expect(decoded.dynamicResources.cdsConfig).toEqual({ ads: {}, resourceApiVersion: 'V3' });
    expect(decoded.dynamicResources.ldsConfig).toEqual({ ads: {}, resourceApiVersion: 'V3' });
    const [xds, ...others] = decoded.staticResources.clusters;
    expect(others).toEqual([]);
    expect(xds.name).toBe('xds-cluster');
    expect(xds.loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress).toEqual({ address: '10.0.0.7', portValue: 12345 });
    expect(xds.typedExtensionProtocolOptions['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].explicitHttpConfig).toEqual({ http2ProtocolOptions: {} });
    expect(decoded.layeredRuntime.layers[0].staticLayer.fields.overload.structValue.fields.global_downstream_max_connections).toEqual({ numberValue: 32768 });
  });

  it('the checker refuses what Envoy would refuse (so the round trip above means something)', () => {
    const type = protos.type(BOOTSTRAP);
    expect(() => fromProtoJson(type, { admin: { adress: {} } })).toThrow(ProtoJsonError);
    expect(() => fromProtoJson(type, { dynamic_resources: { ads_config: { api_type: 'GRCP' } } })).toThrow(/not a value of/);
    expect(() => fromProtoJson(type, { static_resources: { clusters: [{ name: 'x', connect_timeout: '1 second' }] } })).toThrow(/not a duration/);
  });

  it('quotes values, so a node id cannot change the document', () => {
    const rendered = renderEnvoyBootstrap({ ...params, nodeId: 'a: b\n  admin: {}' });
    expect((parse(rendered) as { node: { id: string } }).node.id).toBe('a: b\n  admin: {}');
  });

  it('refuses parameters Envoy could not use', () => {
    expect(() => renderEnvoyBootstrap({ ...params, xdsHost: 'localhost' })).toThrow(EnvoyBootstrapError);
    expect(() => renderEnvoyBootstrap({ ...params, adminPort: 0 })).toThrow(/adminPort 0 is not a port/);
    expect(() => renderEnvoyBootstrap({ ...params, nodeId: '' })).toThrow(/nodeId must not be empty/);
    expect(() => renderEnvoyBootstrap(params, 'node: {id: ${NODE_NAME}}')).toThrow(/unknown placeholder \$\{NODE_NAME\}/);
  });

  it('the template documents every placeholder it uses', () => {
    const template = readFileSync(ENVOY_BOOTSTRAP_TEMPLATE, 'utf8');
    const code = template.split('\n').map((l) => l.replace(/#.*/, '')).join('\n');
    for (const name of new Set([...code.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]))) expect(template).toMatch(new RegExp(`#\\s+\\$\\{${name}\\}`));
  });
});
