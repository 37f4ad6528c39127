import type { V1Volume } from '@kubernetes/client-node';
import type { Pod, Wire } from '../../kube/wire.ts';
import { podFieldValue, containerResourceValue, type PodAddresses } from './field-refs.ts';
import { InputMessages, PodInputError } from './input-errors.ts';
import type { PodObjectSource } from './object-source.ts';

type Volume = Wire<V1Volume>;

export interface VolumeFile {
  /** Relative to the volume's root. */
  path: string;
  content: string | Buffer;
  mode?: number;
}

/** What a volume shows: its files (none for an emptyDir), or undefined when RunP cannot provide it. */
export type VolumeContent = { files: VolumeFile[] } | undefined;

/** ConfigMap, Secret and downward-API volumes default to mode 0644 (defaultMode 420). */
const DEFAULT_MODE = 0o644;

export interface VolumeContext {
  pod: Pod;
  source: PodObjectSource;
  addresses: PodAddresses;
  allocatable: Record<string, string>;
}

/**
 * The files of one pod volume, as the kubelet's volume plugins would write them: configMap and
 * secret (all keys, or `items` with their paths and modes), downwardAPI, projected (the three
 * combined), emptyDir (empty). A missing non-optional object fails the mount the way the kubelet
 * reports it ("MountVolume.SetUp failed for volume ..."): the pod stays ContainerCreating.
 */
export async function volumeContent(volume: Volume, ctx: VolumeContext): Promise<VolumeContent> {
  const fail = (cause: string) => new PodInputError('ContainerCreating', InputMessages.mountFailed(volume.name, cause));
  if (volume.emptyDir) return { files: [] };
  if (volume.configMap) {
    const { name = '', items, defaultMode, optional } = volume.configMap;
    return { files: await configMapFiles(name, items, defaultMode, optional, ctx, fail) };
  }
  if (volume.secret) {
    const { secretName = '', items, defaultMode, optional } = volume.secret;
    return { files: await secretFiles(secretName, items, defaultMode, optional, ctx, fail) };
  }
  if (volume.downwardAPI) return { files: downwardFiles(volume.downwardAPI.items ?? [], volume.downwardAPI.defaultMode, ctx) };
  if (volume.projected) {
    const files: VolumeFile[] = [];
    const mode = volume.projected.defaultMode;
    for (const src of volume.projected.sources ?? []) {
      if (src.configMap) files.push(...(await configMapFiles(src.configMap.name ?? '', src.configMap.items, mode, src.configMap.optional, ctx, fail)));
      else if (src.secret) files.push(...(await secretFiles(src.secret.name ?? '', src.secret.items, mode, src.secret.optional, ctx, fail)));
      else if (src.downwardAPI) files.push(...downwardFiles(src.downwardAPI.items ?? [], mode, ctx));
    }
    return { files };
  }
  return undefined;
}

type KeyToPath = { key: string; path: string; mode?: number };

/** A ConfigMap's keys as file contents: data as text, binaryData as bytes. */
async function configMapFiles(name: string, items: KeyToPath[] | undefined, defaultMode: number | undefined, optional: boolean | undefined, ctx: VolumeContext, fail: (cause: string) => PodInputError): Promise<VolumeFile[]> {
  const cm = await ctx.source.configMap(name);
  if (!cm) return missingSource(optional, () => fail(InputMessages.configMapNotFound(name)));
  const values = new Map<string, string | Buffer>(Object.entries(cm.data ?? {}));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) values.set(k, Buffer.from(v, 'base64'));
  return pickFiles(values, items, defaultMode, optional, (key) => fail(`configmap references non-existent config key: ${key}`));
}

/** A Secret's keys as file contents: data decoded to bytes (a key, a keystore: not necessarily text). */
async function secretFiles(name: string, items: KeyToPath[] | undefined, defaultMode: number | undefined, optional: boolean | undefined, ctx: VolumeContext, fail: (cause: string) => PodInputError): Promise<VolumeFile[]> {
  const secret = await ctx.source.secret(name);
  if (!secret) return missingSource(optional, () => fail(InputMessages.secretNotFound(name)));
  const values = new Map<string, string | Buffer>();
  for (const [k, v] of Object.entries(secret.data ?? {})) values.set(k, Buffer.from(v, 'base64'));
  for (const [k, v] of Object.entries(secret.stringData ?? {})) values.set(k, v);
  return pickFiles(values, items, defaultMode, optional, (key) => fail(`references non-existent secret key: ${key}`));
}

/** An optional source that does not exist gives an empty volume; a required one fails the pod's inputs. */
function missingSource(optional: boolean | undefined, failure: () => PodInputError): VolumeFile[] {
  if (optional) return [];
  throw failure();
}

function pickFiles(
  values: Map<string, string | Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number | undefined,
  optional: boolean | undefined,
  missingKey: (key: string) => PodInputError,
): VolumeFile[] {
  const mode = defaultMode ?? DEFAULT_MODE;
  if (!items || items.length === 0) return [...values].map(([path, content]) => ({ path, content, mode }));
  const files: VolumeFile[] = [];
  for (const item of items) {
    const content = values.get(item.key);
    if (content === undefined) {
      if (optional) continue;
      throw missingKey(item.key);
    }
    files.push({ path: item.path, content, mode: item.mode ?? mode });
  }
  return files;
}

type DownwardItem = NonNullable<NonNullable<Volume['downwardAPI']>['items']>[number];

function downwardFiles(items: DownwardItem[], defaultMode: number | undefined, ctx: VolumeContext): VolumeFile[] {
  return items.map((item) => {
    let content = '';
    if (item.fieldRef) content = podFieldValue(ctx.pod, item.fieldRef.fieldPath, ctx.addresses);
    else if (item.resourceFieldRef) {
      const container = (ctx.pod.spec?.containers ?? []).find((c) => c.name === item.resourceFieldRef!.containerName);
      content = container ? containerResourceValue(container, item.resourceFieldRef.resource, item.resourceFieldRef.divisor, ctx.allocatable) : '';
    }
    return { path: item.path, content, mode: item.mode ?? defaultMode ?? DEFAULT_MODE };
  });
}
