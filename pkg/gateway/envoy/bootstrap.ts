import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The documented template (envoy/envoy.yaml); the renderer fills it, so the two cannot drift. */
export const ENVOY_BOOTSTRAP_TEMPLATE = fileURLToPath(new URL('../../../envoy/envoy.yaml', import.meta.url));

export interface EnvoyBootstrapParams {
  /** xDS node id (`kuscia-gateway-<domain>-<instance>`). */
  nodeId: string;
  /** xDS node cluster. */
  cluster: string;
  /** The xDS server's address: an IP literal (the static cluster does no DNS). */
  xdsHost: string;
  xdsPort: number;
  /** Envoy's admin port on 127.0.0.1. */
  adminPort: number;
}

/** A parameter the bootstrap cannot be rendered with. */
export class EnvoyBootstrapError extends Error {
  override readonly name = 'EnvoyBootstrapError';
}

/**
 * The bootstrap YAML for one Envoy (the template with its placeholders replaced). Strings are
 * inserted as JSON strings, which are YAML double-quoted scalars, so no value can change the
 * document's structure.
 */
export function renderEnvoyBootstrap(params: EnvoyBootstrapParams, template = readFileSync(ENVOY_BOOTSTRAP_TEMPLATE, 'utf8')): string {
  const values: Record<string, string> = {
    NODE_ID: JSON.stringify(nonEmpty('nodeId', params.nodeId)),
    NODE_CLUSTER: JSON.stringify(nonEmpty('cluster', params.cluster)),
    XDS_HOST: JSON.stringify(ipLiteral(params.xdsHost)),
    XDS_PORT: String(port('xdsPort', params.xdsPort)),
    ADMIN_PORT: String(port('adminPort', params.adminPort)),
  };
  // Only placeholders outside comments are replaced: the header documents them by name.
  const rendered = template
    .split('\n')
    .map((line) => {
      const hash = line.indexOf('#');
      const code = hash === -1 ? line : line.slice(0, hash);
      const replaced = code.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) throw new EnvoyBootstrapError(`envoy bootstrap template: unknown placeholder ${whole}`);
        return value;
      });
      return hash === -1 ? replaced : replaced + line.slice(hash);
    })
    .join('\n');
  // A template edit that breaks the YAML fails here, not in Envoy.
  parse(rendered);
  return rendered;
}

function nonEmpty(field: string, value: string): string {
  if (value.length === 0) throw new EnvoyBootstrapError(`envoy bootstrap: ${field} must not be empty`);
  return value;
}

function ipLiteral(host: string): string {
  if (isIP(host) === 0) throw new EnvoyBootstrapError(`envoy bootstrap: xdsHost ${JSON.stringify(host)} is not an IP address`);
  return host;
}

function port(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new EnvoyBootstrapError(`envoy bootstrap: ${field} ${value} is not a port (1-65535)`);
  return value;
}
