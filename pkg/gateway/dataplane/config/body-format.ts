import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { asMsg, asString, dataSourceText, type Msg, structToJson } from './proto-values.ts';
import { type FormatContext, FormatString } from './substitution-format.ts';

/**
 * `envoy.config.core.v3.SubstitutionFormatString` for local reply bodies: text (`text_format`,
 * `text_format_source`) or JSON (`json_format`, a Struct whose string values are formats; keys are
 * written sorted and the document ends with a newline, as Envoy's JSON formatter does).
 */
export class BodyFormat {
  readonly contentType: string;
  private readonly render: (ctx: FormatContext) => string;

  constructor(config: Msg, where: string, ctx: CompileContext) {
    ctx.checkFields(config, 'SubstitutionFormatString', where, ['textFormat', 'textFormatSource', 'jsonFormat', 'omitEmptyValues', 'contentType'], ['jsonFormatOptions']);
    const omitEmpty = config.omitEmptyValues === true;
    if (config.jsonFormat) {
      const template = compileJson(structToJson(config.jsonFormat), where);
      this.render = (c) => `${JSON.stringify(template(c, omitEmpty))}\n`;
      this.contentType = asString(config.contentType) || 'application/json';
      return;
    }
    let text: string;
    if (typeof config.textFormat === 'string') text = config.textFormat;
    else if (config.textFormatSource) text = dataSourceText(config.textFormatSource, `${where}.textFormatSource`);
    else throw new XdsConfigError(where, 'format has neither text_format, text_format_source nor json_format');
    const format = new FormatString(text, where);
    this.render = (c) => format.format(c, omitEmpty ? '' : '-');
    this.contentType = asString(config.contentType) || 'text/plain';
  }

  format(ctx: FormatContext): string {
    return this.render(ctx);
  }
}

type JsonTemplate = (ctx: FormatContext, omitEmpty: boolean) => unknown;

function compileJson(value: unknown, where: string): JsonTemplate {
  if (typeof value === 'string') {
    const format = new FormatString(value, where);
    return (ctx) => format.formatJson(ctx);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => compileJson(v, where));
    return (ctx, omit) => items.map((t) => t(ctx, omit));
  }
  const obj = asMsg(value);
  if (!obj) return () => value;
  const fields = Object.keys(obj)
    .sort()
    .map((key) => [key, compileJson(obj[key], where)] as const);
  return (ctx, omit) => {
    const out: Record<string, unknown> = {};
    for (const [key, template] of fields) {
      const v = template(ctx, omit);
      if (omit && (v === null || v === '' || v === '-')) continue;
      out[key] = v;
    }
    return out;
  };
}
