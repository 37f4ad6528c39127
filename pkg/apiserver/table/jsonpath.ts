/**
 * The JSONPath dialect of k8s.io/client-go/util/jsonpath as used by CRD additionalPrinterColumns
 * (evaluated with AllowMissingKeys): `.a.b`, `['a.b']`, `.a[0]`, `.a[-1]`, `.a[1:3]`, `.a[*].b`,
 * `..b`, `.*`, unions `[0,1]`/`['a','b']`, and filters `[?(@.type=="Ready")]`, `[?(@.x > 2)]`, `[?(@.x)]`.
 * Missing keys and out-of-range indices yield no result rather than an error.
 */

export class JsonPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathError';
  }
}

type Literal = string | number | boolean | null;

type FilterOperand = { path: Segment[] } | { literal: Literal };

type Segment =
  | { kind: 'field'; names: string[] }
  | { kind: 'wildcard' }
  | { kind: 'recursive' }
  | { kind: 'index'; items: Array<{ index: number } | { start?: number; end?: number; step?: number }> }
  | { kind: 'filter'; left: Segment[]; op: 'exists' | '==' | '!=' | '<' | '>' | '<=' | '>='; right?: FilterOperand };

export interface CompiledJsonPath {
  readonly source: string;
  /** All values the path selects, in document order. */
  evaluate(root: unknown): unknown[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class PathParser {
  private pos = 0;
  private readonly s: string;

  constructor(s: string) {
    this.s = s;
  }

  parsePath(stopAt?: string): Segment[] {
    const segments: Segment[] = [];
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (stopAt && stopAt.includes(c)) break;
      if (c === '.') {
        this.pos++;
        if (this.s[this.pos] === '.') {
          this.pos++;
          segments.push({ kind: 'recursive' });
          if (this.s[this.pos] === '[') continue;
        }
        if (this.s[this.pos] === '*') {
          this.pos++;
          segments.push({ kind: 'wildcard' });
          continue;
        }
        const name = this.readName(stopAt);
        if (name === '') {
          // A lone "." is the current node ("{.}"); anything else after it is an error.
          if (this.pos >= this.s.length || (stopAt && stopAt.includes(this.s[this.pos]))) continue;
          throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(this.s[this.pos])}`);
        }
        segments.push({ kind: 'field', names: [name] });
      } else if (c === '[') {
        segments.push(this.readBracket());
      } else if (c === '$' || c === '@') {
        this.pos++;
      } else if (c === ' ') {
        this.pos++;
      } else {
        throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(c)}`);
      }
    }
    return segments;
  }

  /** A dotted field name; `\.` keeps a dot inside the name (label keys like app\.kubernetes\.io/name). */
  private readName(stopAt?: string): string {
    let name = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (c === '\\' && this.s[this.pos + 1] === '.') {
        name += '.';
        this.pos += 2;
        continue;
      }
      if (c === '.' || c === '[' || c === ' ' || (stopAt && stopAt.includes(c))) break;
      name += c;
      this.pos++;
    }
    return name;
  }

  private readBracket(): Segment {
    this.pos++; // [
    const start = this.pos;
    let depth = 0;
    let quote = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (quote) {
        if (c === '\\') this.pos++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '[') depth++;
      else if (c === ')') depth--;
      else if (c === ']') {
        if (depth === 0) break;
        depth--;
      }
      this.pos++;
    }
    if (this.pos >= this.s.length) throw new JsonPathError('unterminated array');
    const body = this.s.slice(start, this.pos).trim();
    this.pos++; // ]
    if (body === '*') return { kind: 'wildcard' };
    if (body.startsWith('?')) return parseFilter(body);
    if (body.startsWith("'") || body.startsWith('"')) return { kind: 'field', names: splitTopLevel(body).map(parseQuoted) };
    return { kind: 'index', items: splitTopLevel(body).map(parseIndexItem) };
  }
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      current += c;
      if (c === '\\') current += body[++i] ?? '';
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === ',') {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  parts.push(current.trim());
  return parts;
}

function parseQuoted(text: string): string {
  const q = text[0];
  if ((q !== "'" && q !== '"') || text[text.length - 1] !== q || text.length < 2) throw new JsonPathError(`invalid quoted key ${text}`);
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

function parseInteger(text: string): number | undefined {
  if (text === '') return undefined;
  if (!/^-?\d+$/.test(text)) throw new JsonPathError(`invalid array index ${text}`);
  return Number(text);
}

function parseIndexItem(text: string): { index: number } | { start?: number; end?: number; step?: number } {
  if (!text.includes(':')) {
    const index = parseInteger(text);
    if (index === undefined) throw new JsonPathError('invalid array index');
    return { index };
  }
  const [start, end, step] = text.split(':').map((p) => parseInteger(p.trim()));
  return { start, end, step };
}

const filterOperators = ['==', '!=', '<=', '>=', '<', '>'] as const;

function parseOperand(text: string): FilterOperand {
  if (text.startsWith('@') || text.startsWith('$')) return { path: new PathParser(text).parsePath() };
  if (text.startsWith("'") || text.startsWith('"')) return { literal: parseQuoted(text) };
  if (text === 'true' || text === 'false') return { literal: text === 'true' };
  if (text === 'nil' || text === 'null') return { literal: null };
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return { literal: Number(text) };
  throw new JsonPathError(`unrecognized filter operand ${text}`);
}

function parseFilter(body: string): Segment {
  const m = /^\?\s*\((.*)\)$/s.exec(body);
  if (!m) throw new JsonPathError(`unrecognized filter ${body}`);
  const expr = m[1].trim();
  let quote = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    const op = filterOperators.find((o) => expr.startsWith(o, i));
    if (op) {
      const left = parseOperand(expr.slice(0, i).trim());
      if (!('path' in left)) throw new JsonPathError(`filter must start with a path: ${expr}`);
      return { kind: 'filter', left: left.path, op, right: parseOperand(expr.slice(i + op.length).trim()) };
    }
  }
  const left = parseOperand(expr);
  if (!('path' in left)) throw new JsonPathError(`filter must start with a path: ${expr}`);
  return { kind: 'filter', left: left.path, op: 'exists' };
}

function descendants(v: unknown, out: unknown[]): void {
  out.push(v);
  if (Array.isArray(v)) for (const e of v) descendants(e, out);
  else if (isObject(v)) for (const e of Object.values(v)) descendants(e, out);
}

function sliceIndices(len: number, item: { start?: number; end?: number; step?: number }): number[] {
  const step = item.step ?? 1;
  if (step <= 0) throw new JsonPathError('step must be > 0');
  const clamp = (n: number) => Math.min(Math.max(n < 0 ? n + len : n, 0), len);
  const out: number[] = [];
  for (let i = clamp(item.start ?? 0); i < clamp(item.end ?? len); i += step) out.push(i);
  return out;
}

/** text/template comparison rules: same basic kind only, otherwise the whole evaluation fails. */
function compare(left: unknown, right: unknown, op: string): boolean {
  const kind = (v: unknown) => (v === null ? 'null' : typeof v);
  if (kind(left) !== kind(right)) throw new JsonPathError(`incompatible types for comparison`);
  if (op === '==') return left === right;
  if (op === '!=') return left !== right;
  if (typeof left === 'boolean' || left === null) throw new JsonPathError('invalid type for comparison');
  const l = left as number | string;
  const r = right as number | string;
  switch (op) {
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    default:
      return l >= r;
  }
}

function evalSegments(values: unknown[], segments: Segment[]): unknown[] {
  let current = values;
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const v of current) {
      switch (seg.kind) {
        case 'field':
          if (isObject(v)) for (const name of seg.names) if (Object.hasOwn(v, name)) next.push(v[name]);
          break;
        case 'wildcard':
          if (Array.isArray(v)) next.push(...v);
          else if (isObject(v)) next.push(...Object.values(v));
          break;
        case 'recursive':
          descendants(v, next);
          break;
        case 'index':
          if (!Array.isArray(v)) break;
          for (const item of seg.items) {
            if ('index' in item) {
              const i = item.index < 0 ? item.index + v.length : item.index;
              if (i >= 0 && i < v.length) next.push(v[i]);
            } else for (const i of sliceIndices(v.length, item)) next.push(v[i]);
          }
          break;
        case 'filter': {
          if (!Array.isArray(v)) throw new JsonPathError('value is not array or slice and cannot be filtered');
          for (const element of v) {
            const lefts = evalSegments([element], seg.left);
            if (seg.op === 'exists') {
              if (lefts.length > 0) next.push(element);
              continue;
            }
            if (lefts.length === 0) continue;
            if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
            const right = seg.right!;
            let rightValue: unknown;
            if ('literal' in right) rightValue = right.literal;
            else {
              const rights = evalSegments([element], right.path);
              if (rights.length !== 1) {
                if (rights.length === 0) continue;
                throw new JsonPathError('can only compare one element at a time');
              }
              rightValue = rights[0];
            }
            if (compare(lefts[0], rightValue, seg.op)) next.push(element);
          }
          break;
        }
      }
    }
    current = next;
  }
  return current;
}

/** Compiles a printer-column path such as `.status.conditions[?(@.type=="Ready")].status` (braces optional). */
export function compileJsonPath(path: string): CompiledJsonPath {
  let text = path.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  const segments = new PathParser(text).parsePath();
  return { source: path, evaluate: (root) => evalSegments([root], segments) };
}
