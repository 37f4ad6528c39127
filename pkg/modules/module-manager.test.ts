import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { childProcessModule } from './child-process-module.ts';
import { startModules } from './module-manager.ts';
import type { Module } from './module.ts';
import { dependencyOrder } from './module-order.ts';
import { RestartBackoff } from './restart-backoff.ts';

const silent = pino({ level: 'silent' });

/** A module that records start/ready/stop into `events`, ready after `readyMs`. */
function recorded(name: string, dependsOn: string[], events: string[], opts: { readyMs?: number; fail?: boolean } = {}): Module {
  let ready: Promise<void> | undefined;
  return {
    name,
    dependsOn,
    start: async () => {
      events.push(`start ${name}`);
      ready = new Promise((resolve, reject) =>
        setTimeout(() => {
          if (opts.fail) return reject(new Error('boom'));
          events.push(`ready ${name}`);
          resolve();
        }, opts.readyMs ?? 1),
      );
    },
    ready: () => ready!,
    stop: async () => {
      events.push(`stop ${name}`);
    },
  };
}

describe('module manager', () => {
  it('starts each module after its dependencies are ready and stops in reverse', async () => {
    const events: string[] = [];
    const running = await startModules(
      [
        recorded('scheduler', ['apiserver'], events),
        recorded('controllers', ['apiserver'], events),
        recorded('bootstrap', ['apiserver', 'controllers'], events),
        recorded('apiserver', [], events, { readyMs: 20 }),
      ],
      silent,
    );
    expect(events.slice(0, 2)).toEqual(['start apiserver', 'ready apiserver']);
    expect(events.indexOf('start bootstrap')).toBeGreaterThan(events.indexOf('ready controllers'));
    events.length = 0;
    await running.stop();
    expect(events[events.length - 1]).toBe('stop apiserver');
    expect(events.indexOf('stop bootstrap')).toBeLessThan(events.indexOf('stop controllers'));
  });

  it('stops what started when a module cannot get ready, and says which', async () => {
    const events: string[] = [];
    await expect(startModules([recorded('apiserver', [], events), recorded('agent', ['apiserver'], events, { fail: true })], silent)).rejects.toThrow(
      'module agent failed to start: boom',
    );
    expect(events).toContain('stop apiserver');
  });

  it('refuses cycles and unknown dependencies', () => {
    const events: string[] = [];
    expect(() => dependencyOrder([recorded('a', ['b'], events), recorded('b', ['a'], events)])).toThrow('module dependency cycle: a -> b -> a');
    expect(() => dependencyOrder([recorded('a', ['x'], events)])).toThrow('module a depends on unknown module x');
  });

  it('backs off exponentially and resets after a long run', () => {
    const b = new RestartBackoff({ initialMs: 100, maxMs: 500, resetAfterMs: 10_000 });
    expect([b.delayAfter(10), b.delayAfter(10), b.delayAfter(10), b.delayAfter(10)]).toEqual([100, 200, 400, 500]);
    expect(b.delayAfter(20_000)).toBe(100);
  });

  it('restarts a crashed child process and logs that it only existed briefly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kuscia-modules-'));
    const marker = join(dir, 'runs');
    // Prints "up", then the first run crashes at once; later runs stay up until SIGTERM.
    const script = `
      const fs = require('node:fs');
      fs.appendFileSync(${JSON.stringify(marker)}, 'x');
      console.log('up');
      if (fs.readFileSync(${JSON.stringify(marker)}, 'utf8').length === 1) process.exit(3);
      setInterval(() => {}, 1000);
      process.on('SIGTERM', () => process.exit(0));`;
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(c.toString()), cb()) }));
    const child = childProcessModule({
      name: 'crashy',
      command: process.execPath,
      args: ['-e', script],
      readyPattern: /^up$/m,
      backoff: new RestartBackoff({ initialMs: 50 }),
      log,
    });
    const running = await startModules([child], log);
    const deadline = Date.now() + 5_000;
    while ((await readFile(marker, 'utf8')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await readFile(marker, 'utf8')).length).toBe(2);
    expect(lines.join('')).toMatch(/process only existed \d+ ms, less than 3000 ms/);
    const pid = await (async () => {
      while (child.pid() === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return child.pid()!;
    })();
    await running.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    // Stopped on purpose: no restart follows.
    await new Promise((r) => setTimeout(r, 150));
    expect((await readFile(marker, 'utf8')).length).toBe(2);
  });
});
