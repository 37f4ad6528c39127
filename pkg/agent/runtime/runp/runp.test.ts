import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCriRecord } from '../../logs/cri-log-format.ts';
import { containerLogFile } from '../../logs/layout.ts';
import { groupAlive } from './process-group.ts';
import { inputs, shellPod, testRuntime, waitForStatus } from './testing/harness.ts';

const terminal = (s: { phase?: string }) => s.phase === 'Succeeded' || s.phase === 'Failed';

describe('RunP runtime', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('runs a pod to Succeeded with $(VAR) expansion, mounts in the sandbox, and a CRI log at the layout path', async () => {
    const t = await testRuntime();
    cleanup = t.cleanup;
    const pod = shellPod('echo "hello $(WHO)"; cat ./kuscia/task-config.conf; cat /dev/null');
    const uid = pod.metadata!.uid!;
    await t.runtime.createPod({ pod, containers: inputs(pod, { WHO: 'alice' }, [{ mountPath: './kuscia/task-config.conf', readOnly: true, files: [{ path: '', content: '{"x":1}' }] }]) });
    const s = await waitForStatus(t.runtime, uid, terminal);
    expect(s.phase).toBe('Succeeded');
    const c = s.containerStatuses![0];
    expect(c.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(c.state?.terminated?.containerID).toMatch(/^runp:\/\/[0-9a-f]{64}$/);
    expect(c).toMatchObject({ ready: false, started: false, restartCount: 0, image: 'test/shell', imageID: 'builtin://test/shell:latest' });
    expect(s.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    // It was seen running on the way.
    expect(t.statuses.get(uid)!.some((x) => x.phase === 'Running' && x.containerStatuses![0].state?.running)).toBe(true);

    const log = readFileSync(containerLogFile(join(t.rootDir, 'logs'), 'alice', pod.metadata!.name!, uid, 'main', 0), 'utf8');
    const records = log.trimEnd().split('\n').map(parseCriRecord);
    expect(records.map((r) => r && [r.stream, r.partial, r.text])).toEqual([
      ['stdout', false, 'hello alice'],
      ['stdout', true, '{"x":1}'],
    ]);
    expect(records[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it('splits a line longer than 16 KiB into partial records', async () => {
    const t = await testRuntime();
    cleanup = t.cleanup;
    const pod = shellPod("head -c 40000 /dev/zero | tr '\\0' x; echo");
    const uid = pod.metadata!.uid!;
    await t.runtime.createPod({ pod, containers: inputs(pod) });
    await waitForStatus(t.runtime, uid, terminal);
    const log = readFileSync(containerLogFile(join(t.rootDir, 'logs'), 'alice', pod.metadata!.name!, uid, 'main', 0), 'utf8');
    const records = log.trimEnd().split('\n').map((l) => parseCriRecord(l)!);
    expect(records.map((r) => [r.partial, r.text.length])).toEqual([[true, 16384], [true, 16384], [false, 40000 - 32768]]);
  });

  it('fails a pod and puts its stderr in the termination message (FallbackToLogsOnError)', async () => {
    const t = await testRuntime();
    cleanup = t.cleanup;
    const pod = shellPod('echo "working"; echo "disk on fire" >&2; exit 3', { terminationMessagePolicy: 'FallbackToLogsOnError' });
    await t.runtime.createPod({ pod, containers: inputs(pod) });
    const s = await waitForStatus(t.runtime, pod.metadata!.uid!, terminal);
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses![0].state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error', message: 'working\ndisk on fire\n' });
  });

  it('prefers the termination message file, and ignores the logs under the default policy', async () => {
    const t = await testRuntime();
    cleanup = t.cleanup;
    const withFile = shellPod('printf "from file" > "$KUSCIA_TERMINATION_MESSAGE_PATH"; echo noise >&2; exit 1', { terminationMessagePolicy: 'FallbackToLogsOnError' });
    const plain = shellPod('echo noise >&2; exit 1');
    await t.runtime.createPod({ pod: withFile, containers: inputs(withFile) });
    await t.runtime.createPod({ pod: plain, containers: inputs(plain) });
    const a = await waitForStatus(t.runtime, withFile.metadata!.uid!, terminal);
    const b = await waitForStatus(t.runtime, plain.metadata!.uid!, terminal);
    expect(a.containerStatuses![0].state?.terminated?.message).toBe('from file');
    expect(b.containerStatuses![0].state?.terminated?.message).toBeUndefined();
  });

  it('restarts a failing container under OnFailure with CrashLoopBackOff in between', async () => {
    const t = await testRuntime(150);
    cleanup = t.cleanup;
    // Fails twice (a counter file in its working dir), then succeeds.
    const pod = shellPod('n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "run $n"; [ $n -ge 3 ]', { restartPolicy: 'OnFailure', name: 'flaky' });
    const uid = pod.metadata!.uid!;
    await t.runtime.createPod({ pod, containers: inputs(pod) });
    const s = await waitForStatus(t.runtime, uid, (x) => x.phase === 'Succeeded');
    const c = s.containerStatuses![0];
    expect(c.restartCount).toBe(2);
    expect(c.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const waiting = t.statuses.get(uid)!.map((x) => x.containerStatuses![0].state?.waiting).filter((w) => w?.reason === 'CrashLoopBackOff');
    expect(waiting[0]!.message).toBe(`back-off 150ms restarting failed container=main pod=flaky_alice(${uid})`);
    // Between restarts the pod is Running (OnFailure, restarting), never Failed.
    expect(t.statuses.get(uid)!.some((x) => x.phase === 'Failed')).toBe(false);
    // Each run has its own log file, named by restart count.
    const logs = join(t.rootDir, 'logs');
    expect(readFileSync(containerLogFile(logs, 'alice', 'flaky', uid, 'main', 2), 'utf8')).toContain('stdout F run 3');
  });

  it('kills the whole process group: SIGTERM, then SIGKILL after the grace period, no orphan left', async () => {
    const t = await testRuntime();
    cleanup = t.cleanup;
    // The shell and its child both ignore SIGTERM.
    const pod = shellPod("trap '' TERM; sh -c \"trap '' TERM; echo child \\$\\$ > child.pid; while :; do sleep 0.05; done\" & while :; do sleep 0.05; done", { restartPolicy: 'Always' });
    const uid = pod.metadata!.uid!;
    await t.runtime.createPod({ pod, containers: inputs(pod) });
    await waitForStatus(t.runtime, uid, (x) => x.phase === 'Running');
    const childFile = join(t.rootDir, 'sandboxes', uid, 'containers', 'main', 'child.pid');
    const deadline = Date.now() + 2000;
    while (!existsSync(childFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const childPid = Number(readFileSync(childFile, 'utf8').split(' ')[1]);
    const started = Date.now();
    await t.runtime.killPod(uid, 0.3);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(280);
    expect(took).toBeLessThan(1500);
    expect(groupAlive(childPid)).toBe(false);
    const s = t.runtime.getPodStatus(uid)!;
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses![0].state?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('leaves a container with an unknown image waiting with ErrImageNeverPull', async () => {
    const t = await testRuntime();
    cleanup = t.cleanup;
    const pod = shellPod('true', { image: 'secretflow/secretflow-lite-anolis8:1.11.0b1' });
    const uid = pod.metadata!.uid!;
    await t.runtime.createPod({ pod, containers: inputs(pod) });
    const s = await waitForStatus(t.runtime, uid, (x) => x.containerStatuses![0].state?.waiting?.reason === 'ErrImageNeverPull');
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses![0].state?.waiting?.message).toBe('Container image "secretflow/secretflow-lite-anolis8:1.11.0b1" is not present with pull policy of Never');
    await t.runtime.killPod(uid, 0);
    expect(t.runtime.getPodStatus(uid)!.containerStatuses![0].state?.terminated?.reason).toBe('ContainerStatusUnknown');
  });

  it('reports a missing executable as StartError', async () => {
    const t = await testRuntime();
    cleanup = t.cleanup;
    const pod = shellPod('');
    pod.spec!.containers[0].command = ['no-such-binary'];
    await t.runtime.createPod({ pod, containers: inputs(pod) });
    const s = await waitForStatus(t.runtime, pod.metadata!.uid!, terminal);
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses![0].state?.terminated).toMatchObject({ exitCode: 128, reason: 'StartError', message: 'exec: "no-such-binary": executable file not found in $PATH' });
  });

  it('runs init containers first, in order; a failing one fails the pod under Never', async () => {
    const t = await testRuntime();
    cleanup = t.cleanup;
    const pod = shellPod('cat order');
    pod.spec!.initContainers = [
      { name: 'one', image: 'test/shell', command: ['sh', '-c', 'echo one >> ../main/order'] },
      { name: 'two', image: 'test/shell', command: ['sh', '-c', 'echo two >> ../main/order'] },
    ];
    await t.runtime.createPod({ pod, containers: inputs(pod) });
    const s = await waitForStatus(t.runtime, pod.metadata!.uid!, terminal);
    expect(s.phase).toBe('Succeeded');
    expect(readFileSync(join(t.rootDir, 'sandboxes', pod.metadata!.uid!, 'containers', 'main', 'order'), 'utf8')).toBe('one\ntwo\n');

    const failing = shellPod('true');
    failing.spec!.initContainers = [{ name: 'setup', image: 'test/shell', command: ['sh', '-c', 'exit 4'] }];
    await t.runtime.createPod({ pod: failing, containers: inputs(failing) });
    const f = await waitForStatus(t.runtime, failing.metadata!.uid!, (x) => x.phase === 'Failed');
    expect(f.initContainerStatuses![0].state?.terminated?.exitCode).toBe(4);
    expect(f.containerStatuses![0].state?.waiting?.reason).toBe('PodInitializing');
    expect(f.conditions?.find((x) => x.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [setup]' });
  });
});

describe('RunP with the fake engine built-in image', () => {
  it('runs kuscia/fake-engine from its entrypoint and reports its message as the termination message', async () => {
    const t = await testRuntime();
    try {
      const pod = shellPod('', { image: 'kuscia/fake-engine:latest', terminationMessagePolicy: 'FallbackToLogsOnError' });
      delete pod.spec!.containers[0].command;
      const env = {
        KUSCIA_DOMAIN_ID: 'alice', TASK_ID: 't', TASK_INPUT_CONFIG: '{"exit":5,"message":"input table missing"}',
        TASK_CLUSTER_DEFINE: '{}', ALLOCATED_PORTS: '{"ports":[]}',
      };
      await t.runtime.createPod({ pod, containers: inputs(pod, env) });
      const s = await waitForStatus(t.runtime, pod.metadata!.uid!, terminal, 5000);
      expect(s.phase).toBe('Failed');
      expect(s.containerStatuses![0].state?.terminated).toMatchObject({ exitCode: 5, reason: 'Error', message: 'input table missing' });
    } finally {
      await t.cleanup();
    }
  });
});
