import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { ApiError, apiErrors } from './api/errors.ts';
import { builtinResourceTypes } from './builtin/resource-types.ts';
import { loadBuiltinDefinitions } from './builtin/openapi/load.ts';
import { validateStructuralSchema } from './schema/structural.ts';
import { ensurePki, writeKubeconfig, type Pki } from './certs/index.ts';
import { CrdController } from './crd/crd-controller.ts';
import { GarbageCollector } from './gc/garbage-collector.ts';
import { NamespaceController } from './namespace/namespace-controller.ts';
import { NamespaceLifecycleAdmission } from './namespace/lifecycle-admission.ts';
import { handleNonResourceRequest } from './http/non-resource-handler.ts';
import { OpenApiHandler } from './http/openapi-handler.ts';
import type { OpenApiSchema } from './openapi/index.ts';
import { parseRequestInfo, type RequestInfo } from './http/request-info.ts';
import type { UserInfo } from './auth/user-info.ts';
import { AccessControl, loadAccessControlFiles, type AccessControlOptions } from './auth/access-control.ts';
import { anonymousUser } from './auth/well-known-identities.ts';
import { handleResourceRequest, type ResourceHandlerDeps } from './http/resource-handler.ts';
import { sendError } from './http/respond.ts';
import { bootstrapNamespaces } from './registry/bootstrap.ts';
import { ResourceRegistry } from './registry/resource-registry.ts';
import { RestStorage } from './registry/rest-storage.ts';
import { resourcePrefix } from './registry/storage-keys.ts';
import { ClusterIpAllocator } from './registry/cluster-ip-allocator.ts';
import { createMemoryStore, createSqliteStore, startCompactor, type Compactor, type Store } from './storage/index.ts';
import { WatchTracker } from './watch/serve-watch.ts';
import { RequestAccounting } from './accounting/request-accounting.ts';
import { secureDatabaseCompanions, secureDataDir } from './datadir/secure-data-dir.ts';
import { EventTtlController } from './events/event-ttl.ts';
import { ApiServerMetrics } from './metrics/apiserver-metrics.ts';
import { storageStats } from './metrics/storage-stats.ts';

export interface ApiServerOptions {
  /** Holds the PKI, the kubeconfig and (for SQLite) the database. Created 0700 if missing. */
  dataDir: string;
  /** 'sqlite' (default, like K3s's kine) or 'memory' (tests). */
  storage?: 'sqlite' | 'memory';
  /** 6443 by default; 0 picks a free port. */
  port?: number;
  bindAddress?: string;
  /** Extra names/IPs for the serving certificate. */
  extraSans?: string[];
  /** Service cluster IP range (default 10.43.0.0/16, K3s's). */
  serviceCidr?: string;
  logger?: Logger;
  /** History compaction (defaults: every 60 s, keep 5 min and at least 1000 events). */
  compaction?: { intervalMs?: number; retainMs?: number; minRetainEvents?: number };
  /** Seconds between watch BOOKMARK events for clients that allow them (Kubernetes: ~60 s). */
  bookmarkIntervalSeconds?: number;
  /** Events are deleted this long after their last write (kube-apiserver --event-ttl; default 3600, 0 = never). */
  eventTtlSeconds?: number;
  /** Static bearer tokens, service-account issuer and API audiences (kube-apiserver's flags of the same names). */
  authentication?: AccessControlOptions;
}

export interface RunningApiServer {
  /** https://host:port */
  url: string;
  port: number;
  kubeconfigPath: string;
  pki: Pki;
  store: Store;
  registry: ResourceRegistry;
  /** Closes every open watch; clients reconnect from the last resourceVersion they saw. */
  closeAllWatches(): void;
  /** Compacts history up to the current revision now (tests of 410 handling). */
  compactNow(): number;
  stop(): Promise<void>;
}

/**
 * Starts the embedded Kubernetes API server in this process: PKI + kubeconfig in `dataDir`,
 * storage, built-in resources, the CRD controller, then HTTPS. `kuscia apiserver` and
 * `kuscia start` both call this.
 */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  // Controllers name their own component on the base logger (a child of `log` would carry two).
  const baseLog = options.logger ?? pino({ level: 'info' });
  const log = baseLog.child({ component: 'apiserver' });
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const sqlite = options.storage !== 'memory';
  for (const fixed of await secureDataDir(options.dataDir, { sqlite })) {
    log.warn({ path: fixed.path, mode: fixed.was, now: fixed.now }, 'private file or directory was accessible to other users; permissions narrowed');
  }
  const pki = await ensurePki(join(options.dataDir, 'pki'), { bindAddress, extraSans: options.extraSans });
  for (const what of pki.generated) log.info({ pki: what }, 'generated certificate');
  const accessFiles = await loadAccessControlFiles(pki.dir, options.authentication ?? {}, log);

  const onWatcherError = (err: unknown, _event: unknown, prefix: string) => log.error({ err, prefix }, 'watcher failed on an event');
  const store: Store =
    options.storage === 'memory' ? createMemoryStore({ onWatcherError }) : createSqliteStore({ path: join(options.dataDir, 'state.db'), onWatcherError });
  if (sqlite) await secureDatabaseCompanions(options.dataDir);
  const now = () => new Date();
  const registry = new ResourceRegistry();
  for (const rt of builtinResourceTypes({ crd: { validateSchema: validateStructuralSchema } })) registry.add(rt);
  const namespaces = registry.get('', 'v1', 'namespaces');
  if (!namespaces) throw new Error('built-in namespaces resource missing');
  const services = registry.get('', 'v1', 'services');
  if (!services) throw new Error('built-in services resource missing');
  const clusterIps = new ClusterIpAllocator(store, resourcePrefix(services), options.serviceCidr);
  const rest = new RestStorage({
    store,
    now,
    namespaceLifecycle: new NamespaceLifecycleAdmission({ store, namespaces }),
    admitCreate: (rt, obj) => {
      if (rt === services) clusterIps.allocate(obj);
    },
  });
  bootstrapNamespaces(rest, namespaces);
  const crds = new CrdController({ store, registry, now, log });
  crds.start();
  // After the CRD controller, so custom resource types are known when their objects are indexed.
  const gc = new GarbageCollector({ store, registry, rest, log: baseLog });
  gc.start();
  const namespaceController = new NamespaceController({ store, registry, rest, namespaces, now, log: baseLog });
  namespaceController.start();
  const access = new AccessControl({ store, registry, rest, files: accessFiles, options: options.authentication ?? {}, now, log: baseLog });
  const compaction = options.compaction ?? {};
  const compactor: Compactor = startCompactor(store, {
    intervalMs: compaction.intervalMs,
    retainMs: compaction.retainMs,
    minRetainEvents: compaction.minRetainEvents,
    onError: (err) => log.error({ err }, 'compaction failed'),
  });
  const eventTtlSeconds = options.eventTtlSeconds ?? 3600;
  const coreEvents = registry.get('', 'v1', 'events');
  if (!coreEvents) throw new Error('built-in events resource missing');
  const eventTtl = eventTtlSeconds > 0 ? new EventTtlController({ store, prefix: resourcePrefix(coreEvents), ttlMs: eventTtlSeconds * 1000, log }) : undefined;
  eventTtl?.start();
  const metrics = new ApiServerMetrics({
    storage: storageStats({ store, registry, backend: sqlite ? 'sqlite' : 'memory', databasePath: sqlite ? join(options.dataDir, 'state.db') : undefined }),
  });
  const accounting = new RequestAccounting({
    metrics,
    log,
    isServed: (info) => {
      const rt = registry.get(info.group, info.version, info.resource);
      return rt !== undefined && (info.subresource === '' || rt.subresources.includes(info.subresource));
    },
  });

  // The built-in definitions are Schema objects with $ref; OpenAPI publishes them as they are.
  const openapi = new OpenApiHandler(registry, () => loadBuiltinDefinitions() as Record<string, OpenApiSchema>);
  const watches = new WatchTracker();
  const deps: ResourceHandlerDeps = {
    registry,
    rest,
    now,
    watches,
    watch: {
      store,
      now,
      bookmarkIntervalMs: (options.bookmarkIntervalSeconds ?? 60) * 1000,
      maxBufferedBytes: 64 * 1024 * 1024,
      defaultTimeoutSeconds: () => 1800 + randomInt(1800),
    },
    virtual: access.virtual,
    forUser: (rt, requester) => access.forUser(rt, requester),
    podLog: { rest, nodes: requireType(registry, 'nodes'), kubeletClient: pki.kubeletClient },
  };

  const server: Server = createServer(
    {
      key: pki.serving.keyPem,
      cert: pki.serving.certPem,
      ca: pki.ca.certPem,
      // Client certificates are verified per request, so a client with a bearer token (or with
      // nothing) gets a Kubernetes answer rather than a TLS handshake failure.
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      void serve(req, res);
    },
  );
  server.keepAliveTimeout = 90_000;
  server.headersTimeout = 95_000;
  server.requestTimeout = 0; // watches stream for up to an hour

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'https://localhost');
    // Known once parsed/authenticated; the request accounting in `finally` reports them.
    let info: RequestInfo | undefined;
    let user: UserInfo | undefined;
    accounting.begin(req);
    try {
      info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      // Authentication.
      const open = isPublicPath(url.pathname);
      user = await access.authenticate(req);
      if (!user && !open) throw apiErrors.unauthorized();
      user ??= anonymousUser();
      // Authorization.
      if (!open) access.authorize(user, info, url.searchParams);
      if (info.isResourceRequest) await handleResourceRequest(deps, req, res, info, url.searchParams, user);
      else await handleNonResourceRequest({ registry, openapi, metrics }, req, res, info, url.searchParams);
    } catch (e) {
      const err = e instanceof ApiError ? e : apiErrors.internal((e as Error).message);
      if (!(e instanceof ApiError)) log.error({ err: e, method: req.method, path: url.pathname }, 'request failed');
      // A request whose body was not read to the end cannot share its connection with the next one.
      if (!req.complete && !res.headersSent) res.setHeader('Connection', 'close');
      sendError(res, err);
    } finally {
      // Request accounting (log line, metrics); a watch is accounted for when its stream ends.
      accounting.finish(req, res, url, info, user, started);
    }
  }

  /** The controllers and timers started above, stopped on a failed listen and on stop(). */
  function stopBackgroundWork(): void {
    compactor.stop();
    crds.stop();
    gc.stop();
    namespaceController.stop();
    access.stop();
    eventTtl?.stop();
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 6443, bindAddress, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    // Release the database (and its lock) so the caller can retry or another process can start.
    stopBackgroundWork();
    store.close();
    throw new Error(`cannot listen on ${bindAddress}:${options.port ?? 6443}: ${(err as Error).message}`);
  }
  const port = (server.address() as AddressInfo).port;
  const host = bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress;
  const url = `https://${host}:${port}`;
  const kubeconfigPath = join(options.dataDir, 'kubeconfig.yaml');
  await writeKubeconfig(kubeconfigPath, { server: url, caPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem });
  log.info({ url, kubeconfig: kubeconfigPath, storage: options.storage ?? 'sqlite', revision: store.revision }, 'API server listening');

  let stopped = false;
  return {
    url,
    port,
    kubeconfigPath,
    pki,
    store,
    registry,
    closeAllWatches: () => watches.closeAll(),
    compactNow: () => {
      store.compact(store.revision);
      return store.compactedRevision;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      stopBackgroundWork();
      watches.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Give in-flight requests a moment, then cut what is left (e.g. an upload nobody reads).
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      store.close();
      log.info('API server stopped');
    },
  };
}

/** Readable without credentials, as on Kubernetes (probes and version discovery). */
function isPublicPath(path: string): boolean {
  for (const open of ['/healthz', '/livez', '/readyz', '/version']) if (path === open || path.startsWith(`${open}/`)) return true;
  return false;
}

function requireType(registry: ResourceRegistry, resource: string) {
  const rt = registry.get('', 'v1', resource);
  if (!rt) throw new Error(`built-in ${resource} resource missing`);
  return rt;
}
