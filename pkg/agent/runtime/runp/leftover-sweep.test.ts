import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupAlive } from './process-group.ts';
import { readBootId, readProcStat } from './proc-stat.ts';
import { writeProcessRecord } from './process-record.ts';
import { capturingLogger, inputs, shellPod, testRuntime, waitForStatus } from './testing/harness.ts';

const sweepLine = (lines: Array<Record<string, unknown>>) => lines.find((l) => l.msg === 'swept what a previous agent run left');

/** Polls a file the container writes until it holds a whole line. */
async function readWhenWritten(file: string, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text.endsWith('\n')) return text.trim();
    if (Date.now() > deadline) throw new Error(`${file} not written`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('RunP leftovers of an agent that died', () => {
  it('kills the process groups a dead agent left running, then runs the pod again in a clean sandbox', async () => {
    const first = await testRuntime();
    const rootDir = first.rootDir;
    let leader = 0;
    let second: Awaited<ReturnType<typeof testRuntime>> | undefined;
    try {
      // The leader shell and its sleep child: the whole group must go, not only the recorded pid.
      // (`$$$$` is the shell's `$$` once the kubelet's $(VAR) expansion has unescaped it.)
      const pod = shellPod('echo "$RUN" >> runs; sleep 30 & echo $! > child.pid; echo $$$$ > leader.pid; wait');
      const uid = pod.metadata!.uid!;
      const mount = (content: string) => [{ mountPath: './kuscia/task.conf', readOnly: true, files: [{ path: '', content }] }];
      await first.runtime.createPod({ pod, containers: inputs(pod, { RUN: 'first' }, mount('first')) });
      await waitForStatus(first.runtime, uid, (s) => s.phase === 'Running');
      const workDir = join(rootDir, 'sandboxes', uid, 'containers', 'main');
      leader = Number(await readWhenWritten(join(workDir, 'leader.pid')));
      const child = Number(await readWhenWritten(join(workDir, 'child.pid')));
      expect(readProcStat(child)?.pgrp).toBe(leader);
      const recordsDir = join(rootDir, 'sandboxes', uid, '.runp', 'processes');
      const [recordFile] = readdirSync(recordsDir);
      expect(JSON.parse(readFileSync(join(recordsDir, recordFile), 'utf8'))).toMatchObject({
        container: 'main', pgid: leader, startTime: readProcStat(leader)!.startTime, bootId: readBootId(),
      });

      // The agent dies: `first` is dropped without stop(); its processes keep running.
      const { log, lines } = capturingLogger();
      second = await testRuntime(200, { rootDir, log });
      expect(groupAlive(leader)).toBe(false);
      expect(existsSync(join(rootDir, 'sandboxes', uid))).toBe(false);
      expect(sweepLine(lines)).toMatchObject({ component: 'runp', sandboxes: 1, killed: 1, gone: 0, survived: 0 });

      // Only in this test does the dead agent's pod worker still exist (same Node process): let it
      // see its process end before the pod is created again, so it cannot touch the new run.
      await waitForStatus(first.runtime, uid, (s) => s.phase === 'Failed');

      // The pod is still Running in the API, so the agent hands it to the runtime again.
      await second.runtime.createPod({ pod, containers: inputs(pod, { RUN: 'second' }, mount('second')) });
      await waitForStatus(second.runtime, uid, (s) => s.phase === 'Running');
      const newLeader = Number(await readWhenWritten(join(workDir, 'leader.pid')));
      expect(newLeader).not.toBe(leader);
      expect(readFileSync(join(workDir, 'runs'), 'utf8')).toBe('second\n');
      expect(readFileSync(join(workDir, 'kuscia', 'task.conf'), 'utf8')).toBe('second');
    } finally {
      // Failed before the "restart": the first runtime still owns the processes.
      await (second ?? first).cleanup();
    }
  });

  it('kills a recorded process only while its pid, boot and start time still match', async () => {
    const rootDir = mkdtempSync(join(tmpdir(), 'runp-test-'));
    const sleep = (): ChildProcess => spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const victim = sleep();
    const stranger = sleep();
    let t: Awaited<ReturnType<typeof testRuntime>> | undefined;
    try {
      const bootId = readBootId()!;
      const victimStart = readProcStat(victim.pid!)!.startTime;
      const strangerStart = readProcStat(stranger.pid!)!.startTime;
      const sandbox = join(rootDir, 'sandboxes', 'uid-of-a-deleted-pod');
      const record = (n: number, pgid: number, startTime: string, boot = bootId) =>
        writeProcessRecord(sandbox, { containerID: `runp://${String(n).padStart(64, '0')}`, container: 'main', pgid, startTime, bootId: boot });
      record(1, victim.pid!, victimStart);
      // The stranger holds a pid a record names, but it is not the recorded process: an earlier
      // holder of the pid (older start time), or one from another boot.
      record(2, stranger.pid!, String(Number(strangerStart) - 1));
      record(3, stranger.pid!, strangerStart, '00000000-0000-0000-0000-000000000000');
      writeFileSync(join(sandbox, '.runp', 'processes', 'torn.json'), '{"pgid":');

      const { log, lines } = capturingLogger();
      t = await testRuntime(200, { rootDir, log });
      expect(groupAlive(victim.pid!)).toBe(false);
      expect(groupAlive(stranger.pid!)).toBe(true);
      expect(existsSync(sandbox)).toBe(false);
      expect(sweepLine(lines)).toMatchObject({ sandboxes: 1, killed: 1, gone: 2, survived: 0, invalid: 1 });
    } finally {
      victim.kill('SIGKILL');
      stranger.kill('SIGKILL');
      await t?.cleanup();
    }
  });
});
