import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { PkiError } from './errors.ts';
import { PRIVATE_FILE_MODE, writeFileAtomic } from './pki-files.ts';

export interface KubeconfigOptions {
  /** `https://host:port` of the API server. */
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  clusterName?: string;
  userName?: string;
  contextName?: string;
}

const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/**
 * A self-contained kubeconfig: the CA, client certificate and key are embedded (`*-data`) so the
 * file keeps working when copied elsewhere, and TLS is always verified against that CA.
 */
export function renderKubeconfig(opts: KubeconfigOptions): string {
  let url: URL;
  try {
    url = new URL(opts.server);
  } catch {
    throw new PkiError(`kubeconfig server is not a URL: ${opts.server}`);
  }
  if (url.protocol !== 'https:') throw new PkiError(`kubeconfig server must use https: ${opts.server}`);
  const cluster = opts.clusterName ?? 'kuscia';
  const user = opts.userName ?? 'admin';
  const context = opts.contextName ?? cluster;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caPem) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(opts.clientCertPem), 'client-key-data': b64(opts.clientKeyPem) } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
  });
}

/** Writes the kubeconfig owner-only (0600): it carries a client private key. */
export async function writeKubeconfig(path: string, opts: KubeconfigOptions): Promise<void> {
  const content = renderKubeconfig(opts);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, content, PRIVATE_FILE_MODE);
}
