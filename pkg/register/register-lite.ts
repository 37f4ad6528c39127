import { createPrivateKey, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Agent, request } from 'undici';
import { writeKubeconfig } from '../apiserver/certs/kubeconfig.ts';
import { PUBLIC_FILE_MODE, readOptional, writeFileAtomic, ensurePrivateDir } from '../apiserver/certs/pki-files.ts';
import { REGISTER_PATH, type RegistrationResponse } from './registration-types.ts';

export class RegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationError';
  }
}

export interface LiteRegistrationOptions {
  /** The lite's state directory (`$KUSCIA_HOME/<domain>`): kubeconfig.yaml and ca.crt go there. */
  stateDir: string;
  domainID: string;
  /** The domain's RSA key: the agent's client certificate is issued for its public key. */
  domainKeyPem: string;
  masterEndpoint: string;
  /** Needed only for the first registration: the token is one-time. */
  token?: string;
  log: Logger;
}

export interface LiteCredentials {
  kubeconfigPath: string;
  /** The master API server's CA (PEM): also the CA of the kubelet-client identity reading logs. */
  caPem: string;
  /** True when this call registered; false when stored credentials were reused. */
  registered: boolean;
}

/**
 * The lite's credential for the master: reused from `<stateDir>/kubeconfig.yaml` when a previous
 * start registered, otherwise obtained by redeeming the deploy token at `<masterEndpoint>/register`.
 *
 * The master is trusted on first use: the lite does not have the master's CA before registering,
 * so this first request does not verify the endpoint's certificate (Kuscia's lites sign their
 * request with the domain key but likewise do not pin the master). The answer's CA is verified
 * for every later connection.
 */
export async function ensureLiteCredentials(opts: LiteRegistrationOptions): Promise<LiteCredentials> {
  const kubeconfigPath = join(opts.stateDir, 'kubeconfig.yaml');
  const caPath = join(opts.stateDir, 'ca.crt');
  const [kubeconfig, caPem] = await Promise.all([readOptional(kubeconfigPath), readOptional(caPath)]);
  if (kubeconfig !== undefined && caPem !== undefined) return { kubeconfigPath, caPem, registered: false };
  if (!opts.token) {
    throw new RegistrationError(`not registered with the master yet and no liteDeployToken in kuscia.yaml (get one from the master: kubectl get domain ${opts.domainID} -o jsonpath='{.status.deployTokenStatuses}')`);
  }
  const answer = await postRegistration(opts);
  await ensurePrivateDir(opts.stateDir);
  await writeFileAtomic(caPath, answer.caCertificate, PUBLIC_FILE_MODE);
  await writeKubeconfig(kubeconfigPath, {
    server: answer.apiServer,
    caPem: answer.caCertificate,
    clientCertPem: answer.certificate,
    clientKeyPem: opts.domainKeyPem,
    userName: `lite-${opts.domainID}`,
  });
  opts.log.info({ domain: opts.domainID, apiServer: answer.apiServer }, 'registered with the master');
  return { kubeconfigPath, caPem: answer.caCertificate, registered: true };
}

async function postRegistration(opts: LiteRegistrationOptions): Promise<RegistrationResponse> {
  const url = opts.masterEndpoint.replace(/\/+$/, '') + REGISTER_PATH;
  const publicKey = createPublicKey(createPrivateKey(opts.domainKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domainID: opts.domainID, token: opts.token, publicKey }),
      dispatcher,
    }).catch((err: unknown) => {
      throw new RegistrationError(`cannot reach the master at ${url} (${(err as Error).message})`);
    });
    const text = await res.body.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (res.statusCode !== 200) {
      const message = (body as { message?: string } | undefined)?.message ?? text.slice(0, 200);
      throw new RegistrationError(`the master refused the registration (${res.statusCode}): ${message}`);
    }
    const answer = body as Partial<RegistrationResponse> | undefined;
    if (!answer?.certificate || !answer.caCertificate || !answer.apiServer) throw new RegistrationError(`unexpected answer from ${url}`);
    return answer as RegistrationResponse;
  } finally {
    await dispatcher.close();
  }
}
