/**
 * A stand-in for a real Envoy that does what the bootstrap tells it, as far as it can: it follows
 * `dynamic_resources.ads_config` to its static cluster and endpoint, connects there as the
 * bootstrap's node and proxies with the configuration it gets — through the built-in data plane,
 * the only xDS consumer this machine has. Its admin API answers `/ready` (200 once the first CDS
 * and LDS responses arrived, or after Envoy's 15 s initial fetch timeout) and
 * `/clusters?format=json` in Envoy's shape, from the data plane's cluster health. It exits on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { parse } from 'yaml';
import { startDataPlane } from '../../dataplane/dataplane.ts';
import { loadEnvoyProtos, TypeUrl } from '../../xds/envoy-protos.ts';

/** Envoy's default `initial_fetch_timeout` for CDS and LDS. */
const INITIAL_FETCH_TIMEOUT_MS = 15_000;

interface SocketAddress {
  address: string;
  port_value: number;
}
interface Bootstrap {
  node: { id: string; cluster: string };
  admin: { address: { socket_address: SocketAddress } };
  dynamic_resources: { ads_config: { grpc_services: Array<{ envoy_grpc: { cluster_name: string } }> } };
  static_resources: { clusters: Array<{ name: string; load_assignment: { endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: SocketAddress } } }> }> } }> };
}

const args = process.argv.slice(2);
const bootstrap = parse(readFileSync(args[args.indexOf('-c') + 1] ?? '', 'utf8')) as Bootstrap;
const adsCluster = bootstrap.dynamic_resources.ads_config.grpc_services[0]!.envoy_grpc.cluster_name;
const xds = bootstrap.static_resources.clusters.find((c) => c.name === adsCluster)!.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address;

const log = pino({ level: process.env.FAKE_ENVOY_LOG_LEVEL ?? 'warn' }, pino.destination(2));
const startedAt = Date.now();
const dataPlane = await startDataPlane({ adsAddress: `${xds.address}:${xds.port_value}`, nodeId: bootstrap.node.id, nodeCluster: bootstrap.node.cluster, protos: await loadEnvoyProtos(), log });

const isLive = (): boolean => {
  const versions = dataPlane.stats().xds?.versions ?? {};
  return (versions[TypeUrl.Cluster] !== undefined && versions[TypeUrl.Listener] !== undefined) || Date.now() - startedAt >= INITIAL_FETCH_TIMEOUT_MS;
};

const clustersJson = () => ({
  cluster_statuses: dataPlane.stats().clusters.map((c) => ({
    name: c.name,
    added_via_api: true,
    host_statuses: c.hosts.map((h) => {
      const colon = h.address.lastIndexOf(':');
      return {
        address: { socket_address: { address: h.address.slice(0, colon), port_value: Number(h.address.slice(colon + 1)) } },
        health_status: h.healthy ? { eds_health_status: 'HEALTHY' } : { failed_active_health_check: true, ...(h.pendingFirstCheck ? { pending_active_hc: true } : {}), eds_health_status: 'HEALTHY' },
        weight: 1,
      };
    }),
  })),
});

const admin = createServer((req, res) => {
  if (req.url === '/ready') {
    const live = isLive();
    res.writeHead(live ? 200 : 503, { 'content-type': 'text/plain' }).end(live ? 'LIVE\n' : 'INITIALIZING\n');
  } else if (req.url === '/clusters?format=json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(clustersJson()));
  } else {
    res.writeHead(404).end();
  }
});
admin.listen(bootstrap.admin.address.socket_address.port_value, bootstrap.admin.address.socket_address.address);
process.on('SIGTERM', () => {
  admin.close();
  void dataPlane.stop().finally(() => process.exit(0));
});
