/**
 * What gateway tests and benchmarks set up around their gateways: Domains with RSA keys and
 * certificates (as registration leaves them), the route controllers, pods standing for task pods
 * with their Services, and token-authenticated ClusterDomainRoutes.
 */
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { newClusterDomainRouteController } from '../../pkg/controllers/clusterdomainroute/index.ts';
import { newDomainRouteController } from '../../pkg/controllers/domainroute/index.ts';
import { Annotations, Labels, type ClusterDomainRoute } from '../../pkg/crd/index.ts';
import { startGateway, type DataPlaneLauncher, type RunningGateway } from '../../pkg/gateway/gateway.ts';
import { ResourceClient } from '../../pkg/kube/resource-client.ts';
import { CoreResources } from '../../pkg/kube/resources.ts';
import type { Pod, Service } from '../../pkg/kube/wire.ts';
import { ensureDomainCert } from '../../pkg/modules/master/domain-cert.ts';
import type { ControllerTestEnv } from './controller-env.ts';

const API_VERSION = 'kuscia.secretflow/v1alpha1';

/**
 * Namespaces and Domains (spec.cert from a fresh RSA key each) for `domains`, and the
 * ClusterDomainRoute and DomainRoute controllers; returns each domain's private key (PEM).
 */
export async function setUpGatewayDomains(env: ControllerTestEnv, work: string, domains: readonly string[], syncIntervalMs = 500): Promise<Record<string, string>> {
  await env.createNamespaces(...domains);
  const keys: Record<string, string> = {};
  for (const domain of domains) {
    keys[domain] = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const cert = await ensureDomainCert(join(work, domain), domain, keys[domain]);
    await env.clients.domains.create({ apiVersion: API_VERSION, kind: 'Domain', metadata: { name: domain }, spec: { cert: Buffer.from(cert).toString('base64') } });
  }
  const ctx = env.context();
  await env.startControllers(ctx, [newClusterDomainRouteController(ctx, { statusSyncIntervalMs: syncIntervalMs }), newDomainRouteController(ctx, { resyncIntervalMs: syncIntervalMs })]);
  return keys;
}

export interface ServedPort {
  /** The Service's name (a task Service is `<pod>-<port>`). */
  service: string;
  scope: 'Cluster' | 'Domain';
  protocol: 'HTTP' | 'GRPC';
  /** `kuscia.secretflow/access-domain`; absent = any peer. */
  accessDomains?: string;
}

/**
 * A Running pod on 127.0.0.1 whose container port `serve` is `port` (a server of the test's), and
 * one Service per entry of `services` selecting it, as the KusciaTask controller makes them.
 */
export async function registerServedPod(env: ControllerTestEnv, namespace: string, podName: string, port: number, services: readonly ServedPort[]): Promise<void> {
  const pods = new ResourceClient<Pod>(env.clients.api, CoreResources.pods);
  const pod = await pods.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName, namespace, labels: { [Labels.PodIdentity]: podName } },
    spec: { containers: [{ name: 'main', image: 'x', ports: [{ name: 'serve', containerPort: port }] }] },
  });
  await pods.replaceStatus({ ...pod, status: { phase: 'Running', podIP: '127.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } });
  const client = new ResourceClient<Service>(env.clients.api, CoreResources.services);
  for (const s of services) {
    await client.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: s.service,
        namespace,
        labels: { [Labels.PortScope]: s.scope },
        annotations: { [Annotations.Protocol]: s.protocol, ...(s.accessDomains ? { [Annotations.AccessDomain]: s.accessDomains } : {}) },
      },
      spec: { clusterIP: 'None', selector: { [Labels.PodIdentity]: podName }, ports: [{ name: 'serve', port: 8080, targetPort: 'serve' }], publishNotReadyAddresses: true },
    });
  }
}

/** A token-authenticated (RSA-GEN) ClusterDomainRoute to the destination gateway's external port on 127.0.0.1. */
export function tokenRoute(source: string, destination: string, port: number, rollingUpdatePeriod = 0): ClusterDomainRoute {
  return {
    apiVersion: API_VERSION,
    kind: 'ClusterDomainRoute',
    metadata: { name: `${source}-${destination}` },
    spec: {
      source,
      destination,
      interConnProtocol: 'kuscia',
      endpoint: { host: '127.0.0.1', ports: [{ name: 'http', port, protocol: 'HTTP', isTLS: false }] },
      authenticationType: 'Token',
      tokenConfig: { tokenGenMethod: 'RSA-GEN', rollingUpdatePeriod },
    },
  } as ClusterDomainRoute;
}

/** A gateway instance `gw-<domain>` on 127.0.0.1 with the given ports, as the gateway tests run them. */
export function startTestGateway(
  env: ControllerTestEnv,
  domain: string,
  domainKeyPem: string,
  ports: { internal: number; external: number },
  options: { dataPlane: DataPlaneLauncher; gatewayHeartbeatMs: number; log: Logger },
): Promise<RunningGateway> {
  return startGateway({
    kubeConfig: env.kubeConfig,
    domain,
    instance: `gw-${domain}`,
    domainKeyPem,
    ports: { ...ports, handshake: 0 },
    listenAddress: '127.0.0.1',
    advertiseAddress: '127.0.0.1',
    version: 'test',
    dataPlane: options.dataPlane,
    log: options.log,
    timings: { handshakeRetryMs: 500, gatewayHeartbeatMs: options.gatewayHeartbeatMs },
  });
}
