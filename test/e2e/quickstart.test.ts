import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../support/apiserver-process.ts';
import { freePort } from '../support/free-port.ts';
import { kubectl } from '../support/kubectl.ts';
import { repoRoot } from '../support/kuscia-process.ts';

/**
 * The README's first command as a user runs it, in a fresh checkout: the files git tracks copied
 * to a new directory (with their timestamps, as a clone has them), node_modules linked to this
 * checkout's so the test does not download the dependencies again. Its own ports, so it can run
 * beside other tests; state in the checkout's `.kuscia`, as the default.
 */
let checkout: string;

function quickstart(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['scripts/quickstart.sh', ...args], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Each node runs in its own process group (setsid): the group outlives the node if a module does. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  checkout = await mkdtemp(join(tmpdir(), 'kuscia-checkout-'));
  const { stdout } = await promisify(execFile)('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repoRoot, maxBuffer: 64 << 20 });
  for (const file of stdout.split('\0').filter((f) => f !== '')) {
    // A tracked file deleted in the working tree is not part of the checkout.
    await cp(join(repoRoot, file), join(checkout, file), { preserveTimestamps: true, recursive: false }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  await symlink(join(repoRoot, 'node_modules'), join(checkout, 'node_modules'));
  const { KUSCIA_HOME: _ignored, ...rest } = process.env;
  env = {
    ...rest,
    KUSCIA_API_PORT: String(await freePort()),
    KUSCIA_REGISTRATION_PORT: String(await freePort()),
    KUSCIA_GATEWAY_PORT_MASTER: String(await freePort()),
    KUSCIA_GATEWAY_PORT_ALICE: String(await freePort()),
    KUSCIA_GATEWAY_PORT_BOB: String(await freePort()),
  };
}, 60_000);

afterAll(async () => {
  if (!checkout) return;
  await quickstart(['down'], env);
  await removeDir(checkout);
}, 60_000);

describe('scripts/quickstart.sh in a fresh checkout', () => {
  const pids = async () => Promise.all(['master', 'alice', 'bob'].map(async (n) => Number(await readFile(join(checkout, '.kuscia', `${n}.pid`), 'utf8'))));

  it('starts a master and the lites alice and bob, connects them and runs the example jobs to Succeeded', async () => {
    const first = await quickstart([], env);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('The jobs job-fake and job-peer Succeeded');
    const kubeconfig = join(checkout, '.kuscia', 'master', 'kubeconfig.yaml');
    const cache = join(dirname(kubeconfig), 'kube-cache');
    const phase = await kubectl(kubeconfig, cache, ['get', 'kj', 'job-fake', '-n', 'cross-domain', '-o', 'jsonpath={.status.phase}']);
    expect(phase.stdout).toBe('Succeeded');
    const nodes = await kubectl(kubeconfig, cache, ['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(nodes.stdout.split(' ').sort()).toEqual(['kuscia-lite-alice', 'kuscia-lite-bob']);
    const routes = await kubectl(kubeconfig, cache, ['get', 'cdr', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
    expect(routes.stdout.trim().split('\n').sort()).toEqual(['alice-bob=True', 'alice-kuscia-system=True', 'bob-alice=True', 'bob-kuscia-system=True']);
    expect((await kubectl(kubeconfig, cache, ['get', 'kj', 'job-peer', '-n', 'cross-domain', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Succeeded');
  }, 150_000);

  it('is harmless to run twice: what runs is kept', async () => {
    const before = await pids();
    const again = await quickstart([], env);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/master already running/);
    expect(again.output).toMatch(/alice already running/);
    expect(await pids()).toEqual(before);
  }, 120_000);

  it('stops every process it started with `down`', async () => {
    const started = await pids();
    const down = await quickstart(['down'], env);
    expect(down.code, down.output).toBe(0);
    expect(started.filter(groupAlive)).toEqual([]);
  }, 60_000);
});
