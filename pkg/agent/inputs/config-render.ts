/**
 * Kuscia's config-render plugin (reference §4.5): the files of a pod's config-template volumes are
 * templates, rendered when the container starts over the container's environment and the values of
 * the task's `<task>-kuscia-gen-conf` ConfigMap (fields listed in its config-value-compress-fields-name
 * annotation are zlib-compressed). Two forms are understood:
 *  - `{{.NAME}}` (Go text/template on a map): the value as it is;
 *  - `{{{.NAME.field[0].sub}}}` (Kuscia's "advanced" form): NAME parsed as JSON and walked by
 *    `.field`, `[index]` and `[key=value]` (the first array element whose `key` equals `value`);
 *    a non-scalar result is written as JSON.
 * An unknown NAME or a path that leads nowhere renders as empty text (missingkey=zero): a template
 * written for a newer Kuscia must not stop a pod. Other Go template actions are left as written.
 */
import { Annotations } from '../../crd/constants.ts';
import { decompressConfigValue } from '../../controllers/kusciatask/configmaps.ts';
import type { ConfigMap, Pod } from '../../kube/wire.ts';

/** Names of the pod's volumes whose files are templates (annotation config-template-volumes). */
export function configTemplateVolumes(pod: Pod): Set<string> {
  const raw = pod.metadata?.annotations?.[Annotations.ConfigTemplateVolumes] ?? '';
  return new Set(raw.split(',').map((s) => s.trim()).filter(Boolean));
}

/** The generated-values ConfigMap's name (annotation config-template-value-cm-name), if the pod has one. */
export function configTemplateValuesName(pod: Pod): string | undefined {
  return pod.metadata?.annotations?.[Annotations.ConfigTemplateValueConfigMapName] || undefined;
}

/** The ConfigMap's values: data as is, binaryData decoded, compressed fields inflated. */
export function generatedValues(cm: ConfigMap): Record<string, string> {
  const compressed = new Set((cm.metadata?.annotations?.[Annotations.ConfigValueCompressFieldsName] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const out: Record<string, string> = { ...cm.data };
  for (const [key, base64] of Object.entries(cm.binaryData ?? {})) {
    out[key] = compressed.has(key) ? decompressConfigValue(base64) : Buffer.from(base64, 'base64').toString('utf8');
  }
  for (const key of compressed) {
    // A compressed field may also arrive in data (base64 text) from other writers.
    if (cm.data?.[key] !== undefined && cm.binaryData?.[key] === undefined) out[key] = decompressConfigValue(cm.data[key]);
  }
  return out;
}

const ADVANCED = /\{\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[[^\]]*\])*)\s*\}\}\}/g;
const SIMPLE = /\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}/g;

export function renderConfigTemplate(template: string, values: Record<string, string>): string {
  return template
    .replace(ADVANCED, (_m, name: string, path: string) => renderAdvanced(values[name], path))
    .replace(SIMPLE, (_m, name: string) => values[name] ?? '');
}

function renderAdvanced(raw: string | undefined, path: string): string {
  if (raw === undefined) return '';
  if (path === '') return raw;
  let current: unknown;
  try {
    current = JSON.parse(raw);
  } catch {
    return '';
  }
  for (const step of path.match(/\.[A-Za-z_][A-Za-z0-9_-]*|\[[^\]]*\]/g) ?? []) {
    current = walk(current, step);
    if (current === undefined) return '';
  }
  if (current === null) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

function walk(value: unknown, step: string): unknown {
  if (step.startsWith('.')) return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[step.slice(1)] : undefined;
  const inner = step.slice(1, -1).trim();
  if (!Array.isArray(value)) return undefined;
  if (/^\d+$/.test(inner)) return value[Number(inner)];
  const eq = inner.indexOf('=');
  if (eq < 0) return undefined;
  const key = inner.slice(0, eq).trim();
  const want = inner.slice(eq + 1).trim().replace(/^["']|["']$/g, '');
  return value.find((item) => item && typeof item === 'object' && String((item as Record<string, unknown>)[key]) === want);
}
