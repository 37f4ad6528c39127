/**
 * HTTP/1.1 keep-alive load with undici (a lighter client than node:http, so more of the machine is
 * left to what is measured): `concurrency` connections, one request in flight on each.
 */
import { Pool } from 'undici';
import { runClosedLoop, type LoadResult, type LoadWindow } from './closed-loop.ts';

export interface HttpLoadOptions extends LoadWindow {
  /** Where the connections go: the backend itself, or alice's internal listener. */
  port: number;
  /** The Host header: `<svc>.bob.svc:<port>` through the gateways. */
  host: string;
  method: 'GET' | 'POST';
  path: string;
  body?: Buffer;
  /** The reply body must be exactly this long. */
  expectBytes: number;
  concurrency: number;
}

export async function runHttpLoad(opts: HttpLoadOptions): Promise<LoadResult> {
  const pool = new Pool(`http://127.0.0.1:${opts.port}`, { connections: opts.concurrency, keepAliveTimeout: 60_000 });
  const headers = { host: opts.host, ...(opts.body ? { 'content-type': 'application/octet-stream' } : {}) };
  try {
    return await runClosedLoop({
      ...opts,
      send: async () => {
        const { statusCode, body } = await pool.request({ path: opts.path, method: opts.method, headers, body: opts.body });
        let received = 0;
        for await (const chunk of body) received += (chunk as Buffer).length;
        if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`);
        if (received !== opts.expectBytes) throw new Error(`reply of ${received} bytes, expected ${opts.expectBytes}`);
        return received;
      },
    });
  } finally {
    await pool.destroy();
  }
}
