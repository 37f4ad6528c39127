import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensurePki, type Pki } from './ensure-pki.ts';
import { renderKubeconfig, writeKubeconfig } from './kubeconfig.ts';
import { PkiError } from './errors.ts';
import { startHttpsServer } from './test-support.ts';

let dir: string;
let pki: Pki;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeconfig-'));
  pki = await ensurePki(join(dir, 'pki'), { bindAddress: '127.0.0.1' });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const versionInfo = { major: '1', minor: '32', gitVersion: 'v1.32.4-kuscia', platform: 'linux/amd64' };

describe('writeKubeconfig', () => {
  it('round-trips through @kubernetes/client-node and authenticates with the admin certificate', async () => {
    const file = join(dir, 'nested', 'admin.kubeconfig');
    await writeKubeconfig(file, {
      server: 'https://127.0.0.1:1',
      caPem: pki.ca.certPem,
      clientCertPem: pki.admin.certPem,
      clientKeyPem: pki.admin.keyPem,
      clusterName: 'kuscia-master',
      userName: 'kuscia-admin',
      contextName: 'kuscia',
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).not.toMatch(/insecure/);

    const kc = new KubeConfig();
    kc.loadFromFile(file);
    expect(kc.getCurrentContext()).toBe('kuscia');
    const cluster = kc.getCurrentCluster()!;
    expect(cluster).toMatchObject({ name: 'kuscia-master', server: 'https://127.0.0.1:1', skipTLSVerify: false });
    expect(Buffer.from(cluster.caData!, 'base64').toString()).toBe(pki.ca.certPem);
    expect(Buffer.from(kc.getCurrentUser()!.certData!, 'base64').toString()).toBe(pki.admin.certPem);

    // The options client-node derives from the file complete a mutually authenticated request.
    const srv = await startHttpsServer(pki, (_q, res, peer) => res.end(JSON.stringify(peer)));
    try {
      const opts: import('node:https').RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ ...opts, host: '127.0.0.1', port: srv.port, path: '/version' }, (res) => {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () => resolve(b));
        });
        req.on('error', reject);
        req.end();
      });
      expect(JSON.parse(body)).toMatchObject({ authorized: true, subject: { CN: 'admin', O: 'system:masters' } });
    } finally {
      await srv.close();
    }
  });

  it('refuses a plain-http server address', () => {
    expect(() =>
      renderKubeconfig({ server: 'http://127.0.0.1:6443', caPem: '', clientCertPem: '', clientKeyPem: '' }),
    ).toThrow(PkiError);
  });

  it.skipIf(!existsSync('/usr/bin/kubectl'))('is accepted by kubectl, which verifies the server and presents the admin certificate', async () => {
    const seen: Array<{ path?: string; cn?: unknown }> = [];
    const srv = await startHttpsServer(pki, (req, res, peer) => {
      seen.push({ path: req.url, cn: peer.authorized ? peer.subject?.CN : undefined });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(versionInfo));
    });
    try {
      const file = join(dir, 'kubectl.kubeconfig');
      await writeKubeconfig(file, {
        server: `https://localhost:${srv.port}`,
        caPem: pki.ca.certPem,
        clientCertPem: pki.admin.certPem,
        clientKeyPem: pki.admin.keyPem,
      });
      const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', file, 'version', '-o', 'json'], {
        env: { ...process.env, KUBECACHEDIR: join(dir, 'cache'), HOME: dir },
      });
      expect(JSON.parse(stdout).serverVersion.gitVersion).toBe('v1.32.4-kuscia');
      expect(seen.some((s) => s.path?.startsWith('/version') && s.cn === 'admin')).toBe(true);
    } finally {
      await srv.close();
    }
  }, 30_000);
});
