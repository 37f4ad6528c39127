/**
 * The kubelet's container-log query (`/containerLogs/{ns}/{pod}/{container}?follow=&tailLines=...`),
 * the same parameters as the API server's PodLogOptions, which it passes through unchanged.
 */
export interface ContainerLogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Only the last N lines; undefined = all. */
  tailLines?: number;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  /** Only records at or after this time (ms since the epoch), from sinceSeconds or sinceTime. */
  sinceMs?: number;
}

export class LogOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogOptionsError';
  }
}

/** Reads the query; `now` turns sinceSeconds into an absolute time. Bad values throw LogOptionsError. */
export function parseContainerLogOptions(query: URLSearchParams, now: number): ContainerLogOptions {
  const opts: ContainerLogOptions = {
    follow: flag(query, 'follow'),
    previous: flag(query, 'previous'),
    timestamps: flag(query, 'timestamps'),
  };
  const tail = integer(query, 'tailLines', 0);
  if (tail !== undefined) opts.tailLines = tail;
  const limit = integer(query, 'limitBytes', 1);
  if (limit !== undefined) opts.limitBytes = limit;
  const sinceSeconds = integer(query, 'sinceSeconds', 1);
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime !== null) throw new LogOptionsError('at most one of sinceTime or sinceSeconds may be specified');
  if (sinceSeconds !== undefined) opts.sinceMs = now - sinceSeconds * 1000;
  if (sinceTime !== null) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw new LogOptionsError(`sinceTime: invalid time ${JSON.stringify(sinceTime)}`);
    opts.sinceMs = t;
  }
  return opts;
}

function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new LogOptionsError(`${name}: invalid boolean ${JSON.stringify(v)}`);
}

function integer(query: URLSearchParams, name: string, min: number): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new LogOptionsError(`${name}: invalid integer ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min) throw new LogOptionsError(`${name}: must be greater than ${min === 0 ? 'or equal to 0' : '0'}`);
  return n;
}
