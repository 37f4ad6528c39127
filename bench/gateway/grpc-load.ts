/**
 * gRPC load with @grpc/grpc-js, as an app would send it: one channel (one HTTP/2 connection) with
 * every call multiplexed on it.
 */
import { status as GrpcStatus, type StatusObject } from '@grpc/grpc-js';
import { sortedCopy } from '../apiserver/stats.ts';
import { runClosedLoop, type LoadResult, type LoadWindow } from './closed-loop.ts';
import { bidiCall, echoClient, unaryCall } from './grpc-echo.ts';

export interface GrpcTarget {
  /** host:port the channel connects to. */
  address: string;
  authority: string;
}

export async function runUnaryLoad(target: GrpcTarget, opts: LoadWindow & { payload: Buffer; concurrency: number }): Promise<LoadResult> {
  const client = echoClient(target.address, target.authority);
  try {
    return await runClosedLoop({
      ...opts,
      send: async () => {
        const reply = await unaryCall(client, opts.payload);
        if (reply.length !== opts.payload.length) throw new Error(`reply of ${reply.length} bytes, expected ${opts.payload.length}`);
        return reply.length;
      },
    });
  } finally {
    client.close();
  }
}

export interface StreamsResult {
  streams: number;
  /** Streams that got every echo and ended with status OK. */
  completed: number;
  failures: string[];
  /** First stream opened → last stream's status. */
  elapsedMs: number;
  /** Each completed stream's open → status, ms, sorted. */
  durations: Float64Array;
  /** Messages echoed (one sent + one received each). */
  messages: number;
}

/**
 * `streams` bidi streams opened at once; each sends `messages` messages one after another (the
 * next when the previous one's echo arrived), then half-closes and waits for its status. Streams
 * still open after `timeoutMs` are cancelled and count as failed.
 */
export async function runStreams(target: GrpcTarget, opts: { streams: number; messages: number; payload: Buffer; timeoutMs: number }): Promise<StreamsResult> {
  const client = echoClient(target.address, target.authority);
  await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 10_000, (err) => (err ? reject(err) : resolve())));
  const failures = new Map<string, number>();
  const durations: number[] = [];
  let messages = 0;
  let lastEnd = 0;
  const cancels: Array<() => void> = [];
  const start = performance.now();

  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const call = bidiCall(client);
      let received = 0;
      let badReply: string | undefined;
      cancels.push(() => call.cancel());
      call.on('data', (reply: Buffer) => {
        received++;
        if (reply.length !== opts.payload.length) badReply ??= `echo of ${reply.length} bytes, expected ${opts.payload.length}`;
        if (received < opts.messages) call.write(opts.payload);
        else call.end();
      });
      // A non-OK status also arrives as 'error'; 'status' is always the end.
      call.on('error', () => undefined);
      call.on('status', (s: StatusObject) => {
        const t1 = performance.now();
        lastEnd = Math.max(lastEnd, t1);
        messages += received;
        const problem = badReply ?? (s.code !== GrpcStatus.OK ? `${GrpcStatus[s.code]}: ${s.details}` : received < opts.messages ? `ended after ${received} of ${opts.messages} echoes` : undefined);
        if (problem) failures.set(problem, (failures.get(problem) ?? 0) + 1);
        else durations.push(t1 - t0);
        resolve();
      });
      call.write(opts.payload);
    });

  const all = Promise.all(Array.from({ length: opts.streams }, one));
  const timer = setTimeout(() => cancels.forEach((cancel) => cancel()), opts.timeoutMs);
  try {
    await all;
  } finally {
    clearTimeout(timer);
    client.close();
  }
  return {
    streams: opts.streams,
    completed: durations.length,
    failures: [...failures].map(([message, count]) => `${count} × ${message}`),
    elapsedMs: lastEnd - start,
    durations: sortedCopy(durations),
    messages,
  };
}
