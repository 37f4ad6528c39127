import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureLiteCredentials } from '../../pkg/register/register-lite.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { kubectl, type KubectlResult } from '../support/kubectl.ts';
import { unusedDeployToken as unusedDeployTokenOf } from '../support/center-network.ts';
import { runKuscia, spawnKuscia, writeInitConfig, type SpawnedKuscia } from '../support/kuscia-process.ts';

/**
 * `kuscia init` + `kuscia start -c` in master mode as a user runs them, checked with the real
 * kubectl: the CRDs, cross-domain and the self Domain exist, a lite registers with its Domain's
 * deploy token once, and the credential it gets works in its own domain only.
 */
let work: string;
let master: SpawnedKuscia;
let adminKubeconfig: string;
let registrationUrl: string;

const admin = (args: string[], stdin?: string): Promise<KubectlResult> => kubectl(adminKubeconfig, join(work, 'kube-cache'), args, stdin);
async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await admin(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** `kuscia init` for a node with this test's state root. */
const initConfig = (file: string, initArgs: string[], extra: Record<string, unknown>) => writeInitConfig(work, file, initArgs, { home: join(work, 'home'), ...extra });
const unusedDeployToken = (domain: string) => unusedDeployTokenOf(ok, domain);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kuscia-start-'));
  const configPath = await initConfig('kuscia.yaml', ['--mode', 'Master', '-d', 'kuscia-system'], { apiserver: { port: 0 }, registration: { port: 0 }, gateway: { externalPort: 0 } });
  master = await spawnKuscia(['start', '-c', configPath], /registration endpoint: (https:\/\/\S+)/);
  registrationUrl = master.ready;
  adminKubeconfig = join(work, 'home', 'master', 'kubeconfig.yaml');
}, 40_000);

afterAll(async () => {
  if (master) expect(await master.stop('SIGTERM')).toBe(0);
  if (work) await removeDir(work);
});

describe('kuscia start (master)', () => {
  it('applies the CRDs, creates cross-domain and the self Domain with its certificate', async () => {
    const crds = (await ok(['get', 'crd', '-o', 'name'])).trim().split('\n').filter((n) => n.endsWith('.kuscia.secretflow'));
    expect(crds).toHaveLength(18);
    expect(await ok(['get', 'namespace', 'cross-domain', '-o', 'jsonpath={.status.phase}'])).toBe('Active');
    const cert = Buffer.from(await ok(['get', 'domain', 'kuscia-system', '-o', 'jsonpath={.spec.cert}']), 'base64').toString('utf8');
    expect(cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    // The Domain controller (a child module) took it from there: its namespace exists.
    expect(await ok(['get', 'namespace', 'kuscia-system', '-o', 'name'])).toBe('namespace/kuscia-system\n');
  });

  it('registers a lite once with its deploy token; the credential reaches its own domain only', async () => {
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'Domain', metadata: { name: 'alice' }, spec: {} }));
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'Domain', metadata: { name: 'bob' }, spec: {} }));
    const token = await unusedDeployToken('alice');

    // A lite with a wrong token: `kuscia start` ends with one line and exit 1.
    const litePath = await initConfig('lite-alice.yaml', ['--mode', 'lite', '-d', 'alice', '-m', registrationUrl, '-t', 'wrong-token'], {});
    const refused = await runKuscia(['start', '-c', litePath]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('kuscia start: module register failed to start: the master refused the registration (401): invalid deploy token for domain alice');

    const liteKey = parse(await (await import('node:fs/promises')).readFile(litePath, 'utf8')) as { domainKeyData: string };
    const domainKeyPem = Buffer.from(liteKey.domainKeyData, 'base64').toString('utf8');
    const log = pino({ level: 'silent' });
    const creds = await ensureLiteCredentials({ stateDir: join(work, 'home', 'alice'), domainID: 'alice', domainKeyPem, masterEndpoint: registrationUrl, token, log });
    expect(creds.registered).toBe(true);
    // The master keeps the lite's certificate in its Domain: the gateways' handshake takes the key from there.
    const storedCert = Buffer.from(await ok(['get', 'domain', 'alice', '-o', 'jsonpath={.spec.cert}']), 'base64').toString('utf8');
    expect(new X509Certificate(storedCert).publicKey.export({ type: 'spki', format: 'pem' })).toBe(createPublicKey(domainKeyPem).export({ type: 'spki', format: 'pem' }));
    // The token is one-time: another registration with it is refused.
    await expect(ensureLiteCredentials({ stateDir: join(work, 'other'), domainID: 'alice', domainKeyPem, masterEndpoint: registrationUrl, token, log })).rejects.toThrow(
      'the master refused the registration (403): the deploy token for domain alice has already been used',
    );
    expect(await ok(['get', 'domain', 'alice', '-o', 'jsonpath={.status.deployTokenStatuses[?(@.token=="' + token + '")].state}'])).toBe('used');
    // A restart reuses what was stored, without a token.
    expect((await ensureLiteCredentials({ stateDir: join(work, 'home', 'alice'), domainID: 'alice', domainKeyPem, masterEndpoint: registrationUrl, log })).registered).toBe(false);

    const lite = (args: string[]) => kubectl(creds.kubeconfigPath, join(work, 'lite-cache'), args);
    expect((await lite(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'])).stdout).toBe('kuscia:lite:alice');
    expect((await lite(['get', 'pods', '-n', 'alice'])).code).toBe(0);
    expect((await lite(['auth', 'can-i', 'update', 'pods', '--subresource=status', '-n', 'alice'])).stdout.trim()).toBe('yes');
    expect((await lite(['auth', 'can-i', 'create', 'nodes'])).stdout.trim()).toBe('yes');
    expect((await lite(['auth', 'can-i', 'update', 'leases', '-n', 'kube-node-lease'])).stdout.trim()).toBe('yes');
    const other = await lite(['get', 'pods', '-n', 'bob']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "kuscia:lite:alice" cannot list resource "pods" in API group "" in the namespace "bob"');
    expect((await lite(['auth', 'can-i', 'create', 'pods', '-n', 'alice'])).stdout.trim()).toBe('no');
    expect((await lite(['auth', 'can-i', 'get', 'secrets', '-n', 'kuscia-system'])).stdout.trim()).toBe('no');
  });

  it('refuses an invalid kuscia.yaml with one line naming the field', async () => {
    const path = await initConfig('kuscia.yaml', ['--mode', 'autonomy', '-d', 'alice'], {});
    const text = (await (await import('node:fs/promises')).readFile(path, 'utf8')).replace('"domainID":"alice"', '"domainID":"Alice_1"');
    await writeFile(path, text);
    const r = await runKuscia(['start', '-c', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('kuscia.yaml: domainID: "Alice_1" is not a valid RFC 1123 label (lower-case letters, digits and \'-\', at most 63)\n');
  });
});
