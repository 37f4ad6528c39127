import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, generateKeyPair, importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startApiServerProcess, type ApiServerProcess } from '../support/apiserver-process.ts';
import { requestAs } from '../support/credential-client.ts';
import { kubectl as runKubectl, type KubectlResult } from '../support/kubectl.ts';
import { writeTokenKubeconfig } from '../support/token-kubeconfig.ts';

/**
 * The issue-3 acceptance walk-through with the real kubectl against `kuscia apiserver`: an admin
 * creates a service account, binds it to `view` in its namespace and mints a token; a kubeconfig
 * holding only that token can read what view allows there and nothing else, `kubectl auth`
 * answers correctly, and forged, expired or missing credentials are turned away with 401.
 */
let server: ApiServerProcess;
let work: string;
let caPem: string;
let botToken: string;

const admin = (args: string[], stdin?: string): Promise<KubectlResult> => runKubectl(server.kubeconfig, join(work, 'admin-cache'), args, stdin);
async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await admin(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** kubectl with a kubeconfig that holds only `token`. */
async function withToken(token: string, args: string[]): Promise<KubectlResult> {
  const kubeconfig = join(work, `token-${Math.random().toString(36).slice(2)}.yaml`);
  await writeTokenKubeconfig(kubeconfig, { server: server.url, caPem, token });
  return runKubectl(kubeconfig, join(work, 'token-cache'), args);
}

const UNAUTHORIZED = 'error: You must be logged in to the server (Unauthorized)';

beforeAll(async () => {
  server = await startApiServerProcess();
  work = await mkdtemp(join(tmpdir(), 'kubectl-rbac-'));
  caPem = await readFile(join(server.dataDir, 'pki', 'ca.crt'), 'utf8');
  await ok(['create', 'namespace', 'alice']);
  await ok(['create', 'namespace', 'bob']);
  const pod = (ns: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${ns}`, namespace: ns }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await ok(['apply', '-f', '-'], pod('alice'));
  await ok(['apply', '-f', '-'], pod('bob'));
  await ok(['create', 'secret', 'generic', 'creds', '-n', 'alice', '--from-literal=password=hunter2']);

  expect(await ok(['create', 'sa', 'bot', '-n', 'alice'])).toBe('serviceaccount/bot created\n');
  expect(await ok(['create', 'rolebinding', 'bot-view', '--clusterrole=view', '--serviceaccount=alice:bot', '-n', 'alice'])).toBe('rolebinding.rbac.authorization.k8s.io/bot-view created\n');
  botToken = (await ok(['create', 'token', 'bot', '-n', 'alice'])).trim();
});

afterAll(async () => {
  await server?.stop();
  if (server) await removeDir(server.dataDir);
  if (work) await removeDir(work);
});

describe('kubectl with a service account token', () => {
  it('kubectl create token mints a bound token; --duration and --audience are honoured, too-short durations refused', async () => {
    const claims = decodeJwt(botToken);
    expect(claims).toMatchObject({ sub: 'system:serviceaccount:alice:bot', iss: 'https://kubernetes.default.svc.cluster.local', 'kubernetes.io': { namespace: 'alice', serviceaccount: { name: 'bot' } } });
    expect(claims.exp! - claims.iat!).toBe(3600);
    const custom = decodeJwt((await ok(['create', 'token', 'bot', '-n', 'alice', '--duration', '2h', '--audience', 'x'])).trim());
    expect(custom.exp! - custom.iat!).toBe(7200);
    expect(custom.aud).toEqual(['x']);
    const short = await admin(['create', 'token', 'bot', '-n', 'alice', '--duration', '1m']);
    expect(short.code).not.toBe(0);
    expect(short.stderr.trim()).toBe(
      'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    const missing = await admin(['create', 'token', 'ghost', '-n', 'alice']);
    expect(missing.stderr).toContain('serviceaccounts "ghost" not found');
  });

  it('lists pods in its namespace and is Forbidden in another namespace and for secrets', async () => {
    const pods = await withToken(botToken, ['get', 'pods', '-n', 'alice']);
    expect(pods.code, pods.stderr).toBe(0);
    expect(pods.stdout).toMatch(/^web-alice\s/m);
    const bob = await withToken(botToken, ['get', 'pods', '-n', 'bob']);
    expect(bob.code).toBe(1);
    expect(bob.stderr.trim()).toBe('Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:alice:bot" cannot list resource "pods" in API group "" in the namespace "bob"');
    const secrets = await withToken(botToken, ['get', 'secrets', '-n', 'alice']);
    expect(secrets.code).toBe(1);
    expect(secrets.stderr.trim()).toBe('Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:alice:bot" cannot list resource "secrets" in API group "" in the namespace "alice"');
    const secret = await withToken(botToken, ['get', 'secret', 'creds', '-n', 'alice']);
    expect(secret.stderr.trim()).toBe('Error from server (Forbidden): secrets "creds" is forbidden: User "system:serviceaccount:alice:bot" cannot get resource "secrets" in API group "" in the namespace "alice"');
    const del = await withToken(botToken, ['delete', 'pod', 'web-alice', '-n', 'alice']);
    expect(del.stderr.trim()).toBe('Error from server (Forbidden): pods "web-alice" is forbidden: User "system:serviceaccount:alice:bot" cannot delete resource "pods" in API group "" in the namespace "alice"');
  });

  it('kubectl auth can-i and whoami answer for the token', async () => {
    const yes = await withToken(botToken, ['auth', 'can-i', 'list', 'pods', '-n', 'alice']);
    expect([yes.code, yes.stdout.trim()]).toEqual([0, 'yes']);
    const no = await withToken(botToken, ['auth', 'can-i', 'list', 'pods', '-n', 'bob']);
    expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
    const secrets = await withToken(botToken, ['auth', 'can-i', 'get', 'secrets', '-n', 'alice']);
    expect(secrets.stdout.trim()).toBe('no');
    const list = await withToken(botToken, ['auth', 'can-i', '--list', '-n', 'alice']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(list.stdout).toMatch(/^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    expect(list.stdout).not.toMatch(/^secrets\s/m);
    const whoami = await withToken(botToken, ['auth', 'whoami']);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout).toMatch(/^Username\s+system:serviceaccount:alice:bot$/m);
    expect(whoami.stdout).toMatch(/^Groups\s+\[system:serviceaccounts system:serviceaccounts:alice system:authenticated\]$/m);
    // The admin's identity comes from its client certificate.
    expect(await ok(['auth', 'whoami'])).toMatch(/^Username\s+admin$/m);
    expect((await admin(['auth', 'can-i', 'delete', 'nodes'])).stdout.trim()).toBe('yes');
  });
});

describe('credentials kubectl is turned away with', () => {
  it('a forged token: changed signature, changed claims, or signed by another key', async () => {
    const [header, payload, signature] = botToken.split('.');
    const flipped = `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const asDefault = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:default' })).toString('base64url')}.${signature}`;
    const { privateKey } = await generateKeyPair('ES256');
    const otherKey = await new SignJWT({ 'kubernetes.io': claims['kubernetes.io'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(String(claims['iss']))
      .setAudience(claims['aud'] as string[])
      .setSubject(String(claims['sub']))
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    for (const token of [flipped, asDefault, otherKey]) {
      const r = await withToken(token, ['get', 'pods', '-n', 'alice']);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(UNAUTHORIZED);
    }
  });

  it('an expired token signed with the server’s own key', async () => {
    const claims = decodeJwt(botToken);
    const key = await importPKCS8(await readFile(join(server.dataDir, 'pki', 'service-account.key'), 'utf8'), 'ES256');
    const nowSeconds = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ 'kubernetes.io': claims['kubernetes.io'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(claims.iss!)
      .setAudience(claims.aud!)
      .setSubject(claims.sub!)
      .setJti('expired')
      .setIssuedAt(nowSeconds - 7200)
      .setNotBefore(nowSeconds - 7200)
      .setExpirationTime(nowSeconds - 3600)
      .sign(key);
    const r = await withToken(expired, ['get', 'pods', '-n', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(UNAUTHORIZED);
  });

  it('no credentials', async () => {
    // kubectl always sends something when it can; Basic auth is no credential for Kubernetes (as here).
    const kubeconfig = join(work, 'nobody.yaml');
    await writeTokenKubeconfig(kubeconfig, { server: server.url, caPem });
    // With the discovery cache warm, kubectl prints the 401 Status; from a cold cache its discovery
    // client words it as on any Kubernetes: "(the server has asked for the client to provide credentials)".
    const r = await runKubectl(kubeconfig, join(work, 'token-cache'), ['get', 'pods', '-n', 'alice', '--username=nobody', '--password=nothing']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(UNAUTHORIZED);
    const cold = await runKubectl(kubeconfig, join(work, 'cold-cache'), ['get', 'pods', '-n', 'alice', '--username=nobody', '--password=nothing']);
    expect(cold.code).toBe(1);
    expect(cold.stderr.trim().split('\n').at(-1)).toBe('error: You must be logged in to the server (the server has asked for the client to provide credentials)');
    const raw = await requestAs(server.url, caPem, {}, 'GET', '/api/v1/namespaces/alice/pods');
    expect(raw.status).toBe(401);
    expect(raw.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  it('a token of a service account that was deleted and recreated', async () => {
    await ok(['delete', 'sa', 'bot', '-n', 'alice']);
    await ok(['create', 'sa', 'bot', '-n', 'alice']);
    const r = await withToken(botToken, ['get', 'pods', '-n', 'alice']);
    expect(r.stderr.trim()).toBe(UNAUTHORIZED);
    const fresh = (await ok(['create', 'token', 'bot', '-n', 'alice'])).trim();
    expect((await withToken(fresh, ['get', 'pods', '-n', 'alice'])).code).toBe(0);
  });
});

describe('kuscia apiserver --token-auth-file', () => {
  it('authenticates the file’s users for kubectl, and a malformed file stops the start with one line', async () => {
    const file = join(work, 'tokens.csv');
    await writeFile(file, 'static-admin-token,dora,uid-dora,"ops,system:masters"\n');
    const withFile = await startApiServerProcess({ extraArgs: ['--token-auth-file', file, '--storage', 'memory'] });
    try {
      const kubeconfig = join(work, 'static.yaml');
      await writeTokenKubeconfig(kubeconfig, { server: withFile.url, caPem: await readFile(join(withFile.dataDir, 'pki', 'ca.crt'), 'utf8'), token: 'static-admin-token' });
      const whoami = await runKubectl(kubeconfig, join(work, 'static-cache'), ['auth', 'whoami']);
      expect(whoami.stdout).toMatch(/^Username\s+dora$/m);
      expect(whoami.stdout).toMatch(/^Groups\s+\[ops system:masters system:authenticated\]$/m);
    } finally {
      await withFile.stop();
      await removeDir(withFile.dataDir);
    }
    await writeFile(file, 'only-two,columns\n');
    const dataDir = await mkdtemp(join(tmpdir(), 'kuscia-badfile-'));
    try {
      const failure = await startApiServerProcess({ dataDir, extraArgs: ['--token-auth-file', file] }).then(
        async (started) => void (await started.stop()),
        (e: Error) => e.message,
      );
      expect(failure).toMatch(/^apiserver exited with 1:/);
      expect(failure!.trim().split('\n').at(-1)).toBe(`kuscia: token file '${file}' must have at least 3 columns (token, user name, user uid), found 2 on line 1`);
    } finally {
      await removeDir(dataDir);
    }
  });
});
