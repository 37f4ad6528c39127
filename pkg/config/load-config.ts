import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { isDNS1123Label, isDNS1123Subdomain } from '../apiserver/validation/name-validators.ts';
import { ConfigError } from './config-error.ts';
import { decodeDomainKey } from './domain-key.ts';
import { FieldReader } from './field-readers.ts';
import type { GatewayConfig, KusciaConfig, KusciaMode, KusciaProtocol, LogLevel } from './kuscia-config.ts';
import { readResourceAmounts } from './resource-amounts.ts';

/** `.kuscia` in the checkout: the default state root when neither kuscia.yaml nor KUSCIA_HOME names one. */
export const DEFAULT_KUSCIA_HOME = fileURLToPath(new URL('../../.kuscia', import.meta.url));

export const DEFAULT_APISERVER_PORT = 6443;
/** The port Kuscia's docs use for a lite's masterEndpoint (`https://<master>:18080`). */
export const DEFAULT_REGISTRATION_PORT = 18080;
/** The kubelet's node Lease duration and the node lifecycle controller's grace period. */
const DEFAULT_LEASE_SECONDS = 40;

/**
 * Domain IDs that would collide with a namespace Kuscia or Kubernetes owns. `master` is refused by
 * Kuscia itself at start; the others are reserved in its docs.
 */
const RESERVED_DOMAIN_IDS = ['master', 'default', 'kube-system', 'kube-public', 'kube-node-lease', 'cross-domain'];

const MODES: readonly KusciaMode[] = ['master', 'lite', 'autonomy'];
const PROTOCOLS: readonly KusciaProtocol[] = ['NOTLS', 'TLS', 'MTLS'];
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const RUNTIMES = ['runp', 'runc', 'runk'] as const;
const DATA_PLANES = ['builtin', 'envoy'] as const;

export interface LoadContext {
  /** Where the text came from: error lines start with its base name. */
  path: string;
  /** KUSCIA_HOME and friends (process.env by default). */
  env?: NodeJS.ProcessEnv;
}

/** Reads and validates kuscia.yaml; every problem is a ConfigError naming the field. */
export async function loadKusciaConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<KusciaConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(basename(path), '', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseKusciaConfig(text, { path: resolve(path), env });
}

export function parseKusciaConfig(text: string, ctx: LoadContext): KusciaConfig {
  const file = basename(ctx.path);
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError(file, '', `not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(file, '', 'must be a YAML mapping of settings');
  const top = new FieldReader(file, doc as Record<string, unknown>);

  const mode = top.choice('mode', MODES);
  if (mode === undefined) throw top.fail('mode', 'required (master, lite or autonomy)');
  const domainID = readDomainId(top);
  const keyData = top.string('domainKeyData');
  if (keyData === undefined || keyData === '') throw top.fail('domainKeyData', 'required (`kuscia init` generates one)');
  const key = decodeDomainKey(keyData);
  if ('problem' in key) throw top.fail('domainKeyData', key.problem);

  const masterEndpoint = readMasterEndpoint(top, mode);
  const agent = top.mapping('agent');
  const logServer = agent.mapping('logServer');
  const apiserver = top.mapping('apiserver');
  const registration = top.mapping('registration');
  const env = ctx.env ?? process.env;
  const configuredHome = top.string('home');
  const home =
    configuredHome !== undefined && configuredHome !== ''
      ? resolve(dirname(ctx.path), configuredHome)
      : env['KUSCIA_HOME']
        ? resolve(env['KUSCIA_HOME'])
        : DEFAULT_KUSCIA_HOME;
  const kubeconfigFile = apiserver.string('kubeconfigFile');

  return {
    mode,
    domainID,
    domainKeyPem: key.pem,
    logLevel: top.choice('logLevel', LOG_LEVELS) ?? 'info',
    protocol: top.choice('protocol', PROTOCOLS) ?? 'MTLS',
    runtime: top.choice('runtime', RUNTIMES) ?? 'runp',
    capacity: readResourceAmounts(top.mapping('capacity'), ['cpu', 'memory', 'pods', 'storage', 'ephemeralStorage', 'bandwidth']),
    reservedResources: readResourceAmounts(top.mapping('reservedResources'), ['cpu', 'memory', 'bandwidth']),
    masterEndpoint,
    liteDeployToken: emptyToUndefined(top.string('liteDeployToken')),
    datastoreEndpoint: top.string('datastoreEndpoint') ?? '',
    agent: {
      nodeName: readNodeName(agent, mode, domainID),
      keepNodeOnExit: agent.boolean('keepNodeOnExit') ?? false,
      leaseDurationSeconds: agent.seconds('leaseDurationSeconds', 4) ?? DEFAULT_LEASE_SECONDS,
      logServer: { address: logServer.string('address') ?? '127.0.0.1', port: logServer.port('port') ?? 0 },
    },
    home,
    apiserver: {
      port: apiserver.port('port') ?? DEFAULT_APISERVER_PORT,
      bind: apiserver.string('bind') ?? '127.0.0.1',
      kubeconfigFile: kubeconfigFile ? resolve(dirname(ctx.path), kubeconfigFile) : undefined,
    },
    registration: { port: registration.port('port') ?? DEFAULT_REGISTRATION_PORT, bind: registration.string('bind') ?? '127.0.0.1' },
    gateway: readGateway(top.mapping('gateway')),
    controllers: { nodeMonitorGracePeriodSeconds: top.mapping('controllers').seconds('nodeMonitorGracePeriodSeconds', 1) ?? DEFAULT_LEASE_SECONDS },
  };
}

/** Kuscia's external gateway port. */
export const DEFAULT_GATEWAY_EXTERNAL_PORT = 1080;

function readGateway(gateway: FieldReader): GatewayConfig {
  const advertise = emptyToUndefined(gateway.string('advertiseAddress'));
  const envoyPath = emptyToUndefined(gateway.string('envoyPath'));
  return {
    // Every node runs one, as Kuscia's: lites and autonomy nodes for their domain, a master for its own
    // (its lites' routes to it end there).
    enabled: gateway.boolean('enabled') ?? true,
    externalPort: gateway.port('externalPort') ?? DEFAULT_GATEWAY_EXTERNAL_PORT,
    internalPort: gateway.port('internalPort') ?? 0,
    listenAddress: gateway.string('listenAddress') ?? '0.0.0.0',
    ...(advertise ? { advertiseAddress: advertise } : {}),
    dataPlane: gateway.choice('dataPlane', DATA_PLANES) ?? 'builtin',
    ...(envoyPath ? { envoyPath } : {}),
    envoyAdminPort: gateway.port('envoyAdminPort') ?? 0,
  };
}

function readDomainId(top: FieldReader): string {
  const id = top.string('domainID');
  if (id === undefined || id === '') throw top.fail('domainID', 'required');
  if (isDNS1123Label(id).length > 0) throw top.fail('domainID', `${JSON.stringify(id)} is not a valid RFC 1123 label (lower-case letters, digits and '-', at most 63)`);
  if (RESERVED_DOMAIN_IDS.includes(id)) throw top.fail('domainID', `${JSON.stringify(id)} is reserved`);
  return id;
}

function readMasterEndpoint(top: FieldReader, mode: KusciaMode): string | undefined {
  const raw = emptyToUndefined(top.string('masterEndpoint'));
  if (raw === undefined) {
    if (mode === 'lite') throw top.fail('masterEndpoint', 'required in lite mode (the master\'s address, e.g. https://master:18080)');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw top.fail('masterEndpoint', `${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'https:') throw top.fail('masterEndpoint', `${JSON.stringify(raw)} must be an https:// URL`);
  return raw;
}

/**
 * Kuscia names the node after the host; several nodes of one host (the quickstart's master and
 * lites) would collide, so ours default to `kuscia-<mode>-<domainID>`, Kuscia's container names.
 */
function readNodeName(agent: FieldReader, mode: KusciaMode, domainID: string): string {
  const name = emptyToUndefined(agent.string('nodeName')) ?? `kuscia-${mode}-${domainID}`;
  if (isDNS1123Subdomain(name).length > 0) throw agent.fail('nodeName', `${JSON.stringify(name)} is not a valid RFC 1123 subdomain`);
  return name;
}

function emptyToUndefined(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

