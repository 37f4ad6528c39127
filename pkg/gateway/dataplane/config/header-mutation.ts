import type { HeaderMap } from '../http/header-map.ts';
import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { asList, asMsg, asString, asStrings, wrapped } from './proto-values.ts';
import { type FormatContext, FormatString } from './substitution-format.ts';

type AppendAction = 'APPEND_IF_EXISTS_OR_ADD' | 'ADD_IF_ABSENT' | 'OVERWRITE_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS';

interface HeaderToAdd {
  name: string;
  value: FormatString;
  action: AppendAction;
  keepEmpty: boolean;
}

/**
 * `*_headers_to_add` (HeaderValueOption) and `*_headers_to_remove` of one configuration level.
 * As Envoy's HeaderParser: removals first, then every value is formatted against the headers as
 * they were, then added per `append_action`; an empty value is dropped unless `keep_empty_value`.
 */
export class HeaderMutation {
  static readonly NONE = new HeaderMutation([], []);
  private readonly toAdd: readonly HeaderToAdd[];
  private readonly toRemove: readonly string[];

  constructor(toAdd: readonly HeaderToAdd[], toRemove: readonly string[]) {
    this.toAdd = toAdd;
    this.toRemove = toRemove;
  }

  get isEmpty(): boolean {
    return this.toAdd.length === 0 && this.toRemove.length === 0;
  }

  apply(headers: HeaderMap, ctx: FormatContext): void {
    if (this.isEmpty) return;
    for (const name of this.toRemove) headers.delete(name);
    const values = this.toAdd.map((h) => h.value.format(ctx, ''));
    this.toAdd.forEach((h, i) => {
      const value = values[i];
      if (value === '' && !h.keepEmpty) return;
      switch (h.action) {
        case 'APPEND_IF_EXISTS_OR_ADD':
          headers.append(h.name, value);
          break;
        case 'ADD_IF_ABSENT':
          if (!headers.has(h.name)) headers.set(h.name, value);
          break;
        case 'OVERWRITE_IF_EXISTS_OR_ADD':
          headers.set(h.name, value);
          break;
        case 'OVERWRITE_IF_EXISTS':
          if (headers.has(h.name)) headers.set(h.name, value);
          break;
      }
    });
  }
}

export function compileHeaderMutation(toAdd: unknown, toRemove: unknown, where: string, ctx: CompileContext): HeaderMutation {
  const adds = asList(toAdd).map((option, i) => compileHeaderToAdd(option, `${where}[${i}]`, ctx));
  const removes = asStrings(toRemove).map((name) => modifiable(name.toLowerCase(), where));
  return adds.length === 0 && removes.length === 0 ? HeaderMutation.NONE : new HeaderMutation(adds, removes);
}

function compileHeaderToAdd(option: Record<string, unknown>, where: string, ctx: CompileContext): HeaderToAdd {
  ctx.checkFields(option, 'HeaderValueOption', where, ['header', 'append', 'appendAction', 'keepEmptyValue']);
  const header = asMsg(option.header) ?? {};
  ctx.checkFields(header, 'HeaderValue', where, ['key', 'value', 'rawValue']);
  const name = modifiable(asString(header.key).toLowerCase(), where);
  if (!name) throw new XdsConfigError(where, 'header key is empty');
  const text = header.rawValue instanceof Uint8Array ? Buffer.from(header.rawValue).toString('latin1') : asString(header.value);
  const append = wrapped(option.append);
  if (append !== undefined && option.appendAction !== undefined) {
    throw new XdsConfigError(where, 'both append and append_action are set');
  }
  const action: AppendAction =
    append !== undefined ? (append ? 'APPEND_IF_EXISTS_OR_ADD' : 'OVERWRITE_IF_EXISTS_OR_ADD') : ((option.appendAction as AppendAction) ?? 'APPEND_IF_EXISTS_OR_ADD');
  return { name, value: new FormatString(text, where), action, keepEmpty: option.keepEmptyValue === true };
}

/** Envoy refuses to let configuration touch pseudo-headers and Host. */
function modifiable(name: string, where: string): string {
  if (name.startsWith(':') || name === 'host') throw new XdsConfigError(where, `:-prefixed or host headers may not be modified (${name})`);
  return name;
}
