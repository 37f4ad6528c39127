/**
 * Many concurrent watch streams on one collection, measuring per-event delivery latency:
 * receive time (when the chunk carrying the event's line arrives) minus the `data.sentAt`
 * timestamp the creator put in the object just before sending it. Both clocks are this process's
 * (performance.timeOrigin + performance.now()), so no cross-process clock skew is involved.
 *
 * Lines are split on newline and `sentAt` is found by string search rather than JSON.parse, so
 * the load generator keeps up with 100 watchers × N events on a small machine.
 */
import { Agent } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeRestClient } from './http-client.ts';

export const nowMs = (): number => performance.timeOrigin + performance.now();

export interface WatchFleet {
  /** Resolves when every watcher has seen `events` events carrying sentAt, or rejects after timeoutMs. */
  waitForAll(events: number, timeoutMs: number): Promise<void>;
  latencies(): Float64Array;
  /** Events received per watcher (for a partial result on timeout). */
  received(): number[];
  close(): void;
}

const SENT_AT = '"sentAt":"';

export async function openWatchers(client: KubeRestClient, path: string, count: number): Promise<WatchFleet> {
  // Watches hold their socket for their whole life: a dedicated agent so they do not starve the creators.
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity, ...client.identity });
  const latencies: number[] = [];
  const counts = new Array<number>(count).fill(0);
  const responses: IncomingMessage[] = [];
  // Completion tracking without scanning all watchers on every chunk.
  let target = Infinity;
  let complete = 0;
  const isComplete = new Array<boolean>(count).fill(false);
  let onAllComplete = () => {};
  const checkWatcher = (w: number) => {
    if (!isComplete[w] && counts[w]! >= target) {
      isComplete[w] = true;
      if (++complete === count) onAllComplete();
    }
  };

  const attach = (res: IncomingMessage, w: number) => {
    if (res.statusCode !== 200) throw new Error(`watch ${path} -> ${res.statusCode}`);
    let partial = '';
    res.setEncoding('latin1');
    res.on('data', (chunk: string) => {
      const at = nowMs();
      let text = partial + chunk;
      let nl: number;
      let start = 0;
      while ((nl = text.indexOf('\n', start)) !== -1) {
        const i = text.indexOf(SENT_AT, start);
        if (i !== -1 && i < nl) {
          const end = text.indexOf('"', i + SENT_AT.length);
          latencies.push(at - Number(text.slice(i + SENT_AT.length, end)));
          counts[w]!++;
        }
        start = nl + 1;
      }
      partial = text.slice(start);
      text = '';
      checkWatcher(w);
    });
    res.on('error', () => {});
  };

  const opened = await Promise.all(Array.from({ length: count }, () => client.open('GET', path, undefined, agent)));
  opened.forEach((res, w) => {
    responses.push(res);
    attach(res, w);
  });

  return {
    waitForAll(events, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          onAllComplete = () => {};
          reject(new Error(`watchers did not receive ${events} events within ${timeoutMs} ms (min ${Math.min(...counts)})`));
        }, timeoutMs);
        onAllComplete = () => {
          clearTimeout(timer);
          onAllComplete = () => {};
          resolve();
        };
        target = events;
        for (let w = 0; w < count; w++) checkWatcher(w);
      });
    },
    latencies: () => Float64Array.from(latencies),
    received: () => [...counts],
    close() {
      for (const res of responses) res.destroy();
      agent.destroy();
    },
  };
}
