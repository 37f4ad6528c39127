import { TypeUrl, type XdsResource } from '../../xds/envoy-protos.ts';

/**
 * Standard Envoy v3 resources for the data plane's tests, in envoy-protos' fromObject shape —
 * written out in full rather than with the control plane's builders, so these tests pin down the
 * Envoy semantics on their own.
 */

export type Body = Record<string, unknown>;

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const ROUTER_FILTER = { name: 'envoy.filters.http.router', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } };

export function rbacFilter(rules?: Body): Body {
  return { name: 'envoy.filters.http.rbac', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC', ...(rules ? { rules } : {}) } };
}

export function listener(name: string, port: number, hcm: Body = {}): XdsResource {
  return {
    typeUrl: TypeUrl.Listener,
    name,
    body: {
      name,
      address: { socketAddress: { address: '127.0.0.1', portValue: port } },
      filterChains: [
        {
          filters: [
            {
              name: 'envoy.filters.network.http_connection_manager',
              typedConfig: {
                '@type': HCM,
                statPrefix: name,
                rds: { routeConfigName: `${name}-route`, configSource: { ads: {}, resourceApiVersion: 'V3' } },
                httpFilters: [ROUTER_FILTER],
                ...hcm,
              },
            },
          ],
        },
      ],
    },
  };
}

export function routeConfig(name: string, virtualHosts: Body[], extra: Body = {}): XdsResource {
  return { typeUrl: TypeUrl.RouteConfiguration, name, body: { name, virtualHosts, ...extra } };
}

export function staticCluster(name: string, endpoints: Array<{ host?: string; port: number }>, extra: Body = {}): XdsResource {
  return {
    typeUrl: TypeUrl.Cluster,
    name,
    body: {
      name,
      type: 'STATIC',
      connectTimeout: { seconds: 1 },
      loadAssignment: {
        clusterName: name,
        endpoints: [{ lbEndpoints: endpoints.map((e) => ({ endpoint: { address: { socketAddress: { address: e.host ?? '127.0.0.1', portValue: e.port } } } })) }],
      },
      ...extra,
    },
  };
}

export function edsCluster(name: string, extra: Body = {}): XdsResource {
  return { typeUrl: TypeUrl.Cluster, name, body: { name, type: 'EDS', edsClusterConfig: { edsConfig: { ads: {}, resourceApiVersion: 'V3' } }, connectTimeout: { seconds: 1 }, ...extra } };
}

export function assignment(clusterName: string, ports: number[]): XdsResource {
  return {
    typeUrl: TypeUrl.ClusterLoadAssignment,
    name: clusterName,
    body: { clusterName, endpoints: [{ lbEndpoints: ports.map((port) => ({ endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: port } } } })) }] },
  };
}

/** Upstream HTTP/2 (for gRPC backends). */
export const HTTP2_UPSTREAM = {
  typedExtensionProtocolOptions: {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
      '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      explicitHttpConfig: { http2ProtocolOptions: {} },
    },
  },
};

export function header(key: string, value: string, appendAction = 'OVERWRITE_IF_EXISTS_OR_ADD'): Body {
  return { header: { key, value }, appendAction };
}

export function exactHeader(name: string, value: string): Body {
  return { header: { name, stringMatch: { exact: value } } };
}
