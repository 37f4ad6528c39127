import type { ServerResponse } from 'node:http';
import { apiErrors, type ApiError } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import { apiVersionOf, type ResourceType } from '../api/resource-type.ts';
import type { Representation } from '../http/negotiation.ts';
import { tableOf } from '../http/render.ts';
import { present } from '../registry/stored-shape.ts';
import type { Selection } from '../registry/selection.ts';
import { TooOldError, type Store, type StorageEvent, type WatchHandle } from '../storage/types.ts';
import { batchedWriter } from './batched-writer.ts';
import { visibleEventType, watchLine, type WatchEventType } from './watch-event.ts';

export interface WatchRequest {
  rt: ResourceType;
  prefix: string;
  selection: Selection;
  representation: Representation;
  /** null/'' and '0' mean "current state, then changes"; N means "changes after N". */
  resourceVersion: string | null;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean | null;
  timeoutSeconds: number | null;
}

export interface WatchServerOptions {
  store: Store;
  now: () => Date;
  bookmarkIntervalMs: number;
  /** A watcher whose socket buffers more than this is cut off instead of growing without bound. */
  maxBufferedBytes: number;
  /** Default stream lifetime like kube-apiserver's --min-request-timeout (1800 s, randomised up to 2x). */
  defaultTimeoutSeconds: () => number;
}

/** The open watch streams, so the server can close them on shutdown (clients then reconnect). */
export class WatchTracker {
  private readonly open = new Set<() => void>();

  get count(): number {
    return this.open.size;
  }

  add(close: () => void): () => void {
    this.open.add(close);
    return () => this.open.delete(close);
  }

  closeAll(): void {
    for (const close of [...this.open]) close();
  }
}

/**
 * Serves one watch as kube-apiserver does: 200 + chunked stream of one JSON event per line,
 * initial ADDED events when started without a resourceVersion, an in-stream ERROR Status with 410
 * when the requested revision was compacted, BOOKMARKs when allowed, and a server-side timeout
 * after which the client reconnects from the last resourceVersion it saw.
 */
export function serveWatch(res: ServerResponse, req: WatchRequest, opts: WatchServerOptions, tracker: WatchTracker): void {
  const { rt, selection, representation } = req;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  let closed = false;
  let handle: WatchHandle | undefined;
  let sentHeaders = false;
  const timers: NodeJS.Timeout[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    handle?.stop();
    for (const t of timers) clearTimeout(t);
    untrack();
    // What was queued before the end (an ERROR event, the last changes) still goes out.
    out.flush();
    res.end();
  };
  const untrack = tracker.add(close);
  res.on('close', close);

  const out = batchedWriter(res, opts.maxBufferedBytes, close);
  const write = (line: string) => {
    if (!closed) out.write(line);
  };
  const emitObject = (type: WatchEventType, storedText: string, e?: StorageEvent) => {
    const text = present(rt, storedText);
    if (representation.kind === 'table') {
      const table = tableOf(rt, [JSON.parse(text) as KubeObject], representation, opts.now(), { noHeaders: sentHeaders });
      sentHeaders = true;
      write(`${JSON.stringify({ type, object: table })}\n`);
      return;
    }
    write(e ? watchLine(e, type) : `{"type":"${type}","object":${text}}\n`);
  };
  const emitError = (err: ApiError) => write(`${JSON.stringify({ type: 'ERROR', object: err.toStatus() })}\n`);
  const bookmark = (annotations?: Record<string, string>) => {
    const metadata: Record<string, unknown> = { resourceVersion: String(opts.store.revision), creationTimestamp: null };
    if (annotations) metadata['annotations'] = annotations;
    write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata } })}\n`);
  };

  const rv = req.resourceVersion;
  const fromCurrentState = rv === null || rv === '' || rv === '0' || req.sendInitialEvents === true;
  let from: number;
  if (fromCurrentState) {
    const list = opts.store.list(req.prefix);
    for (const entry of list.items) {
      if (selection.everything || selection.matches(JSON.parse(entry.value) as KubeObject)) emitObject('ADDED', entry.value);
    }
    from = list.revision;
    if (req.sendInitialEvents === true && req.allowWatchBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    from = Number(rv);
    if (!Number.isSafeInteger(from) || from < 0) {
      emitError(apiErrors.badRequest(`invalid resource version ${JSON.stringify(rv)}`));
      close();
      return;
    }
  }

  try {
    handle = opts.store.watch(req.prefix, from, (e) => {
      try {
        const type = visibleEventType(e, selection);
        // The shared rendering is of the stored shape: only usable when this API serves that shape.
        if (type) emitObject(type, e.value, selection.everything && representation.kind === 'object' && !rt.codec ? e : undefined);
      } catch (err) {
        // A watcher must never silently skip an event: end the stream with an error so the client
        // relists and watches again.
        emitError(apiErrors.internal(`watch stream failed: ${(err as Error).message}`));
        close();
      }
    });
  } catch (e) {
    if (e instanceof TooOldError) {
      emitError(apiErrors.resourceExpired(`too old resource version: ${e.requested} (${e.compacted})`));
      close();
      return;
    }
    throw e;
  }
  if (closed) handle.stop();

  if (req.allowWatchBookmarks) {
    const tick = () => {
      bookmark();
      timers[0] = setTimeout(tick, opts.bookmarkIntervalMs);
    };
    timers[0] = setTimeout(tick, opts.bookmarkIntervalMs);
  }
  const timeout = req.timeoutSeconds ?? opts.defaultTimeoutSeconds();
  timers.push(setTimeout(close, timeout * 1000));
}
