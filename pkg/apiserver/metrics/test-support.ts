/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must be
 * a HELP/TYPE comment or a well-formed sample, every sample's family must have been TYPEd first.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
  /** Sum of the values of `name` samples whose labels include all of `match`. */
  sum(name: string, match?: Record<string, string>): number;
  find(name: string, match?: Record<string, string>): Sample[];
}

const metricName = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const sampleLine = new RegExp(`^(${metricName})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const labelPair = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/;
const familySuffixes = ['_bucket', '_sum', '_count', '_total', '_created'];

export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const fail = (why: string) => new Error(`line ${i + 1}: ${why}: ${line}`);
    if (line.startsWith('#')) {
      const m = new RegExp(`^# (HELP|TYPE) (${metricName}) ?(.*)$`).exec(line);
      if (!m) throw fail('malformed comment');
      if (m[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3])) throw fail('unknown type');
        types.set(m[2], m[3]);
      }
      continue;
    }
    const m = sampleLine.exec(line);
    if (!m) throw fail('malformed sample');
    const [, name, rawLabels = '', rawValue] = m;
    // Prometheus parses values with Go's ParseFloat: NaN and Inf in any case (prom-client writes "Nan").
    const special: Record<string, number> = { nan: NaN, '+inf': Infinity, inf: Infinity, '-inf': -Infinity };
    const value = special[rawValue.toLowerCase()] ?? Number(rawValue);
    if (Number.isNaN(value) && rawValue.toLowerCase() !== 'nan') throw fail('bad value');
    const family = types.has(name) ? name : familySuffixes.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : '')).find((f) => f && types.has(f));
    if (!family) throw fail('sample before its TYPE');
    const labels: Record<string, string> = {};
    let rest = rawLabels;
    while (rest !== '') {
      const p = labelPair.exec(rest);
      if (!p) throw fail('malformed labels');
      labels[p[1]] = p[2].replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(p[0].length);
    }
    samples.push({ name, labels, value });
  }
  const find = (name: string, match: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
  return { types, samples, find, sum: (name, match) => find(name, match).reduce((a, s) => a + s.value, 0) };
}
