import { hostname } from 'node:os';
import type { HeaderMap } from '../http/header-map.ts';
import { XdsConfigError } from './config-error.ts';

export interface Address {
  address: string;
  port: number;
}

/** What a format string may refer to; fields are absent where the stream has not got that far. */
export interface FormatContext {
  requestHeaders?: HeaderMap;
  responseHeaders?: HeaderMap;
  downstreamRemote: Address;
  downstreamLocal: Address;
  protocol: string;
  startTime: number;
  responseCode?: number;
  responseCodeDetails?: string;
  responseFlags?: string;
  localReplyBody?: string;
  upstreamHost?: string;
}

type Value = string | number | undefined;
type Command = (ctx: FormatContext) => Value;
type Part = string | Command;

/**
 * A compiled Envoy format string (`%REQ(x)%`, `%DOWNSTREAM_REMOTE_ADDRESS%`, ...; `%%` is a literal
 * percent sign). Unknown commands make the resource invalid, as in Envoy.
 */
export class FormatString {
  private readonly parts: readonly Part[];

  constructor(format: string, where: string) {
    this.parts = parse(format, where);
  }

  /** The format has no command: the same text for every stream. */
  get isConstant(): boolean {
    return this.parts.every((p) => typeof p === 'string');
  }

  /** Text output; `missing` stands for a value the stream does not have (Envoy: '' in headers, '-' in logs and bodies). */
  format(ctx: FormatContext, missing: string): string {
    let out = '';
    for (const part of this.parts) {
      if (typeof part === 'string') out += part;
      else out += String(part(ctx) ?? missing);
    }
    return out;
  }

  /** A JSON value: a lone command keeps its type (a status code stays a number); missing → null. */
  formatJson(ctx: FormatContext): unknown {
    if (this.parts.length === 1 && typeof this.parts[0] !== 'string') return this.parts[0](ctx) ?? null;
    return this.format(ctx, '-');
  }
}

const COMMAND = /^%([A-Z0-9_]+)(?:\(([^)]*)\))?(?::(\d+))?%/;

function parse(format: string, where: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      literal += format.slice(i);
      break;
    }
    literal += format.slice(i, pct);
    if (format[pct + 1] === '%') {
      literal += '%';
      i = pct + 2;
      continue;
    }
    const m = COMMAND.exec(format.slice(pct));
    if (!m) throw new XdsConfigError(where, `invalid format string ${JSON.stringify(format)}: unexpected '%' at ${pct}`);
    if (literal) parts.push(literal);
    literal = '';
    parts.push(command(m[1], m[2], m[3] === undefined ? undefined : Number(m[3]), where));
    i = pct + m[0].length;
  }
  if (literal) parts.push(literal);
  return parts;
}

function command(name: string, arg: string | undefined, maxLength: number | undefined, where: string): Command {
  const base = baseCommand(name, arg, where);
  if (maxLength === undefined) return base;
  return (ctx) => {
    const v = base(ctx);
    return typeof v === 'string' ? v.slice(0, maxLength) : v;
  };
}

function baseCommand(name: string, arg: string | undefined, where: string): Command {
  const noArg = (fn: Command): Command => {
    if (arg !== undefined) throw new XdsConfigError(where, `%${name}% takes no argument`);
    return fn;
  };
  switch (name) {
    case 'REQ':
      return headerCommand(arg, where, (ctx) => ctx.requestHeaders);
    case 'RESP':
      return headerCommand(arg, where, (ctx) => ctx.responseHeaders);
    case 'DOWNSTREAM_REMOTE_ADDRESS':
    case 'DOWNSTREAM_DIRECT_REMOTE_ADDRESS':
      return noArg((ctx) => withPort(ctx.downstreamRemote));
    case 'DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT':
    case 'DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT':
      return noArg((ctx) => ctx.downstreamRemote.address);
    case 'DOWNSTREAM_REMOTE_PORT':
    case 'DOWNSTREAM_DIRECT_REMOTE_PORT':
      return noArg((ctx) => ctx.downstreamRemote.port);
    case 'DOWNSTREAM_LOCAL_ADDRESS':
      return noArg((ctx) => withPort(ctx.downstreamLocal));
    case 'DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT':
      return noArg((ctx) => ctx.downstreamLocal.address);
    case 'DOWNSTREAM_LOCAL_PORT':
      return noArg((ctx) => ctx.downstreamLocal.port);
    case 'PROTOCOL':
      return noArg((ctx) => ctx.protocol);
    case 'RESPONSE_CODE':
      return noArg((ctx) => ctx.responseCode ?? 0);
    case 'RESPONSE_CODE_DETAILS':
      return noArg((ctx) => ctx.responseCodeDetails);
    case 'RESPONSE_FLAGS':
      return noArg((ctx) => ctx.responseFlags || undefined);
    case 'LOCAL_REPLY_BODY':
      return noArg((ctx) => ctx.localReplyBody ?? '');
    case 'UPSTREAM_HOST':
      return noArg((ctx) => ctx.upstreamHost);
    case 'HOSTNAME': {
      const host = hostname();
      return noArg(() => host);
    }
    case 'START_TIME':
      return noArg((ctx) => new Date(ctx.startTime).toISOString());
    default:
      throw new XdsConfigError(where, `format command %${name}% is not supported by the built-in data plane`);
  }
}

/** `%REQ(name?alternative)%`: the first of the two headers that is present. */
function headerCommand(arg: string | undefined, where: string, headersOf: (ctx: FormatContext) => HeaderMap | undefined): Command {
  if (!arg) throw new XdsConfigError(where, 'a header command needs a header name, e.g. %REQ(:authority)%');
  const [main, alternative] = arg.split('?').map((s) => s.toLowerCase());
  return (ctx) => {
    const headers = headersOf(ctx);
    if (!headers) return undefined;
    return headers.get(main) ?? (alternative ? headers.get(alternative) : undefined);
  };
}

function withPort(a: Address): string {
  return a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}
