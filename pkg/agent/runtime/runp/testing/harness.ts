import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { Pod } from '../../../../kube/wire.ts';
import { builtinImages, defaultBuiltinCatalogue } from '../../../images/builtin-images.ts';
import type { ContainerInputs, PodRuntime, PodStatus } from '../../pod-runtime.ts';
import { newRunPRuntime } from '../index.ts';

/**
 * A RunP runtime in a temp dir (or in `rootDir`, as a restarted agent would), with `test/shell`
 * (= /bin) next to the default catalogue and a short back-off.
 */
export async function testRuntime(
  backoffMs = 200,
  opts: { rootDir?: string; log?: Logger; cgroupRoot?: string } = {},
): Promise<{ runtime: PodRuntime; rootDir: string; statuses: Map<string, PodStatus[]>; cleanup: () => Promise<void> }> {
  const rootDir = opts.rootDir ?? mkdtempSync(join(tmpdir(), 'runp-test-'));
  const runtime = newRunPRuntime({
    rootDir,
    log: opts.log ?? pino({ level: 'silent' }),
    images: builtinImages({ ...defaultBuiltinCatalogue(), 'test/shell:latest': { binDir: '/bin' } }),
    backoff: { initialMs: backoffMs, maxMs: backoffMs * 4, resetAfterMs: 60_000 },
    // No memory cgroups unless a test asks: most tests must not depend on the host's cgroups.
    cgroupRoot: opts.cgroupRoot ?? '',
  });
  const statuses = new Map<string, PodStatus[]>();
  runtime.onPodStatus((ref, status) => {
    const list = statuses.get(ref.uid) ?? [];
    list.push(status);
    statuses.set(ref.uid, list);
  });
  await runtime.start();
  return {
    runtime,
    rootDir,
    statuses,
    cleanup: async () => {
      await runtime.stop();
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

export function shellPod(script: string, extra: { restartPolicy?: string; terminationMessagePolicy?: string; image?: string; name?: string } = {}): Pod {
  const n = ++counter;
  return {
    metadata: { name: extra.name ?? `pod-${n}`, namespace: 'alice', uid: `uid-${process.pid}-${n}-${Date.now()}` },
    spec: {
      restartPolicy: extra.restartPolicy ?? 'Never',
      containers: [
        {
          name: 'main',
          image: extra.image ?? 'test/shell',
          command: ['sh', '-c', script],
          ...(extra.terminationMessagePolicy ? { terminationMessagePolicy: extra.terminationMessagePolicy } : {}),
        },
      ],
    },
  };
}

export function inputs(pod: Pod, env: Record<string, string> = {}, mounts: ContainerInputs['mounts'] = []): Record<string, ContainerInputs> {
  return Object.fromEntries([...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => [c.name, { env, mounts }]));
}

/** Polls the runtime until the pod's status satisfies `done` (or the timeout fails the test). */
export async function waitForStatus(runtime: PodRuntime, uid: string, done: (s: PodStatus) => boolean, timeoutMs = 3000): Promise<PodStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = runtime.getPodStatus(uid);
    if (s && done(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out; last status ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A logger whose JSON lines land in `lines`, for tests that assert what was logged. */
export function capturingLogger(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}
