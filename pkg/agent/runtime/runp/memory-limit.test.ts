import { afterEach, describe, expect, it } from 'vitest';
import { probeMemoryCgroups } from './cgroup.ts';
import { inputs, shellPod, testRuntime, waitForStatus } from './testing/harness.ts';

/** Only where the host lets RunP create memory cgroups (root, or a delegated cgroup v2 subtree). */
const hostHasMemoryCgroups = (await probeMemoryCgroups()) !== undefined;

describe.skipIf(!hostHasMemoryCgroups)('RunP memory limits (host with writable memory cgroups)', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  function limitedPod(script: string, memory: string) {
    const pod = shellPod(script);
    pod.spec!.containers[0]!.resources = { limits: { memory } };
    return pod;
  }

  it('OOM-kills a container that outgrows its limit and reports OOMKilled', async () => {
    const t = await testRuntime(200, { cgroupRoot: '/sys/fs/cgroup' });
    cleanup = t.cleanup;
    // tail keeps the last line in memory: 400 MiB without a newline cannot fit in 48 MiB.
    const pod = limitedPod('head -c 400m /dev/zero | tail > /dev/null', '48Mi');
    await t.runtime.createPod({ pod, containers: inputs(pod) });
    const s = await waitForStatus(t.runtime, pod.metadata!.uid!, (x) => x.phase === 'Failed', 20_000);
    expect(s.containerStatuses![0]!.state?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  });

  it('lets a container within its limit run to completion', async () => {
    const t = await testRuntime(200, { cgroupRoot: '/sys/fs/cgroup' });
    cleanup = t.cleanup;
    const pod = limitedPod('head -c 400m /dev/zero | wc -c', '48Mi');
    await t.runtime.createPod({ pod, containers: inputs(pod) });
    const s = await waitForStatus(t.runtime, pod.metadata!.uid!, (x) => x.phase === 'Succeeded' || x.phase === 'Failed', 20_000);
    expect(s.phase).toBe('Succeeded');
  });
});
