import { TypeUrl, type EnvoyProtos, type XdsResource } from '../../envoy-protos.ts';
import type { AnyBytes } from '../discovery-messages.ts';

/** Small Envoy-shaped resources for protocol tests; `tag` changes a resource's bytes without renaming it. */

const ADS = { ads: {}, resourceApiVersion: 'V3' };

export function listener(name: string, routeName = 'route-a', port = 8080): XdsResource {
  const hcm = {
    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    statPrefix: name,
    rds: { routeConfigName: routeName, configSource: ADS },
    httpFilters: [{ name: 'envoy.filters.http.router', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
  };
  return {
    typeUrl: TypeUrl.Listener,
    name,
    body: { name, address: { socketAddress: { address: '0.0.0.0', portValue: port } }, filterChains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typedConfig: hcm }] }] },
  };
}

export function cluster(name: string, tag = 1): XdsResource {
  return { typeUrl: TypeUrl.Cluster, name, body: { name, type: 'EDS', connectTimeout: { seconds: tag }, edsClusterConfig: { edsConfig: ADS } } };
}

export function endpoints(clusterName: string, port = 9000): XdsResource {
  return {
    typeUrl: TypeUrl.ClusterLoadAssignment,
    name: clusterName,
    body: { clusterName, endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: port } } } }] }] },
  };
}

export function route(name: string, clusterName = 'cluster-a', prefix = '/'): XdsResource {
  return {
    typeUrl: TypeUrl.RouteConfiguration,
    name,
    body: { name, virtualHosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix }, route: { cluster: clusterName } }] }] },
  };
}

/** The names of the resources in a response, decoded with the Envoy protos. */
export function namesOf(protos: EnvoyProtos, resources: AnyBytes[]): string[] {
  return resources.map((any) => {
    const body = protos.decode(any.type_url, any.value);
    return String(body.name ?? body.clusterName);
  });
}

/** A resource of a response decoded back into its fromObject shape. */
export function decodeAny(protos: EnvoyProtos, any: AnyBytes): Record<string, unknown> {
  return protos.decode(any.type_url, any.value);
}
