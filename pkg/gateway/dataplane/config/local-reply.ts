import type { HeaderMap } from '../http/header-map.ts';
import { BodyFormat } from './body-format.ts';
import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { compileHeaderMatcher } from './header-matcher.ts';
import { compileHeaderMutation, type HeaderMutation } from './header-mutation.ts';
import { asList, asMsg, asNumber, asString, asStrings, dataSourceText, type Msg, wrapped } from './proto-values.ts';
import type { FormatContext } from './substitution-format.ts';

/** A local reply being built (Envoy's sendLocalReply): the mappers may change all of it. */
export interface LocalReply {
  status: number;
  body: string;
  contentType: string;
  headers: HeaderMap;
}

type ReplyFilter = (status: number, ctx: FormatContext) => boolean;

interface Mapper {
  matches: ReplyFilter;
  status?: number;
  body?: string;
  format?: BodyFormat;
  headers: HeaderMutation;
}

/**
 * HttpConnectionManager `local_reply_config`: the first mapper whose filter matches may replace the
 * status, the body and add headers, and chooses the body format (its `body_format_override`, else
 * the config's `body_format`); the format's `%LOCAL_REPLY_BODY%` is the (replaced) body text.
 */
export class LocalReplyConfig {
  static readonly NONE = new LocalReplyConfig([], undefined);
  private readonly mappers: readonly Mapper[];
  private readonly bodyFormat: BodyFormat | undefined;

  private constructor(mappers: readonly Mapper[], bodyFormat: BodyFormat | undefined) {
    this.mappers = mappers;
    this.bodyFormat = bodyFormat;
  }

  static compile(config: Msg, where: string, ctx: CompileContext): LocalReplyConfig {
    ctx.checkFields(config, 'LocalReplyConfig', where, ['mappers', 'bodyFormat']);
    return new LocalReplyConfig(
      asList(config.mappers).map((m, i) => compileMapper(m, `${where}.mappers[${i}]`, ctx)),
      config.bodyFormat ? new BodyFormat(asMsg(config.bodyFormat) ?? {}, `${where}.bodyFormat`, ctx) : undefined,
    );
  }

  rewrite(reply: LocalReply, ctx: FormatContext): void {
    let format = this.bodyFormat;
    for (const mapper of this.mappers) {
      if (!mapper.matches(reply.status, ctx)) continue;
      if (mapper.body !== undefined) reply.body = mapper.body;
      if (mapper.status !== undefined) reply.status = mapper.status;
      mapper.headers.apply(reply.headers, ctx);
      if (mapper.format) format = mapper.format;
      break;
    }
    if (format) {
      reply.body = format.format({ ...ctx, responseCode: reply.status, localReplyBody: reply.body });
      reply.contentType = format.contentType;
    }
  }
}

function compileMapper(m: Msg, where: string, ctx: CompileContext): Mapper {
  ctx.checkFields(m, 'ResponseMapper', where, ['filter', 'statusCode', 'body', 'bodyFormatOverride', 'headersToAdd']);
  if (!m.filter) throw new XdsConfigError(where, 'mapper has no filter');
  const status = wrapped(m.statusCode);
  return {
    matches: compileFilter(asMsg(m.filter) ?? {}, `${where}.filter`, ctx),
    status: status === undefined ? undefined : Number(status),
    body: m.body ? dataSourceText(m.body, `${where}.body`) : undefined,
    format: m.bodyFormatOverride ? new BodyFormat(asMsg(m.bodyFormatOverride) ?? {}, `${where}.bodyFormatOverride`, ctx) : undefined,
    headers: compileHeaderMutation(m.headersToAdd, undefined, `${where}.headersToAdd`, ctx),
  };
}

/** `envoy.config.accesslog.v3.AccessLogFilter`, the kinds that make sense for a local reply. */
function compileFilter(f: Msg, where: string, ctx: CompileContext): ReplyFilter {
  ctx.checkFields(f, 'AccessLogFilter', where, ['statusCodeFilter', 'headerFilter', 'andFilter', 'orFilter', 'notHealthCheckFilter', 'responseFlagFilter']);
  if (f.statusCodeFilter) {
    const comparison = asMsg(asMsg(f.statusCodeFilter)?.comparison) ?? {};
    const value = asNumber(asMsg(comparison.value)?.defaultValue);
    switch (asString(comparison.op, 'EQ')) {
      case 'EQ':
        return (status) => status === value;
      case 'GE':
        return (status) => status >= value;
      case 'LE':
        return (status) => status <= value;
      case 'NE':
        return (status) => status !== value;
      default:
        throw new XdsConfigError(where, `unknown comparison ${String(comparison.op)}`);
    }
  }
  if (f.headerFilter) {
    const test = compileHeaderMatcher(asMsg(asMsg(f.headerFilter)?.header) ?? {}, `${where}.headerFilter.header`, ctx);
    return (_status, c) => (c.requestHeaders ? test(c.requestHeaders) : false);
  }
  if (f.andFilter || f.orFilter) {
    const list = asList(asMsg(f.andFilter ?? f.orFilter)?.filters).map((x, i) => compileFilter(x, `${where}.filters[${i}]`, ctx));
    return f.andFilter ? (s, c) => list.every((x) => x(s, c)) : (s, c) => list.some((x) => x(s, c));
  }
  if (f.notHealthCheckFilter) return () => true; // health checks are answered upstream, never here
  if (f.responseFlagFilter) {
    const flags = asStrings(asMsg(f.responseFlagFilter)?.flags);
    return (_status, c) => (flags.length === 0 ? Boolean(c.responseFlags) : flags.some((flag) => (c.responseFlags ?? '').split(',').includes(flag)));
  }
  throw new XdsConfigError(where, 'access log filter has no filter set');
}
