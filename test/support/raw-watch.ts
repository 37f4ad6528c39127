import type { ClientRequest } from 'node:http';
import { request } from 'node:https';
import type { RunningApiServer } from '../../pkg/apiserver/server.ts';

export interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; [k: string]: unknown };
}

export interface RawWatch {
  /** Every event received so far, in order. */
  events: WatchEvent[];
  /** Ends the stream from the client side (as a client that goes away would). */
  close(): void;
}

/** Opens a watch with the admin client certificate; resolves once the response headers arrived. */
export function rawWatch(server: Pick<RunningApiServer, 'url' | 'pki'>, path: string): Promise<RawWatch> {
  const url = new URL(path, server.url);
  const events: WatchEvent[] = [];
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(url, { method: 'GET', ca: server.pki.ca.certPem, cert: server.pki.admin.certPem, key: server.pki.admin.keyPem }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.trim() !== '') events.push(JSON.parse(line) as WatchEvent);
        }
      });
      res.on('error', () => {});
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', (err: Error) => {
      if (!req.destroyed) reject(err);
    });
    req.end();
  });
}
