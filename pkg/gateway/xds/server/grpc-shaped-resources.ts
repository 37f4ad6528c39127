import { TypeUrl, type XdsResource } from '../envoy-protos.ts';

export interface GrpcBackend {
  host: string;
  port: number;
}

export interface GrpcShapedOptions {
  /** The name a gRPC client dials as `xds:///<listenerName>`. */
  listenerName: string;
  backends: GrpcBackend[];
  /** Default `<listenerName>-cluster`. */
  clusterName?: string;
  /** Default `<listenerName>-route`. */
  routeConfigName?: string;
  /** Put the RouteConfiguration inside the listener instead of serving it over RDS. */
  inlineRoute?: boolean;
}

const ADS_CONFIG_SOURCE = { ads: {}, resourceApiVersion: 'V3' };
const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';

/**
 * Resources in the shape a proxyless gRPC client (@grpc/grpc-js-xds, anchors §3.5) accepts, as
 * opposed to the Envoy-shaped listeners of the gateway: an `api_listener` whose
 * HttpConnectionManager ends with the router filter, a route to an EDS cluster, and the
 * cluster's endpoints. Used to check the control plane with an independent xDS client, and by
 * benchmarks.
 */
export function grpcShapedResources(options: GrpcShapedOptions): XdsResource[] {
  const clusterName = options.clusterName ?? `${options.listenerName}-cluster`;
  const routeConfigName = options.routeConfigName ?? `${options.listenerName}-route`;
  const routeConfiguration = {
    name: routeConfigName,
    virtualHosts: [{ name: options.listenerName, domains: ['*'], routes: [{ match: { prefix: '' }, route: { cluster: clusterName } }] }],
  };
  const hcm = {
    '@type': HCM_TYPE,
    ...(options.inlineRoute ? { routeConfig: routeConfiguration } : { rds: { routeConfigName, configSource: ADS_CONFIG_SOURCE } }),
    // gRPC requires the router to be the last HTTP filter (and NACKs unknown required ones).
    httpFilters: [{ name: 'envoy.filters.http.router', typedConfig: { '@type': ROUTER_TYPE } }],
  };
  const resources: XdsResource[] = [
    { typeUrl: TypeUrl.Listener, name: options.listenerName, body: { name: options.listenerName, apiListener: { apiListener: hcm } } },
    { typeUrl: TypeUrl.Cluster, name: clusterName, body: { name: clusterName, type: 'EDS', edsClusterConfig: { edsConfig: ADS_CONFIG_SOURCE }, lbPolicy: 'ROUND_ROBIN' } },
    {
      typeUrl: TypeUrl.ClusterLoadAssignment,
      name: clusterName,
      body: {
        clusterName,
        endpoints: [
          {
            // gRPC requires a locality and drops localities without a weight.
            locality: {},
            loadBalancingWeight: { value: 1 },
            lbEndpoints: options.backends.map((b) => ({ endpoint: { address: { socketAddress: { address: b.host, portValue: b.port } } } })),
          },
        ],
      },
    },
  ];
  if (!options.inlineRoute) resources.push({ typeUrl: TypeUrl.RouteConfiguration, name: routeConfigName, body: routeConfiguration });
  return resources;
}
