import { Env } from '../../crd/constants.ts';
import type { Pod } from '../../kube/wire.ts';
import type { ContainerInputs, ResolvedMount, ResolvedPod } from '../runtime/pod-runtime.ts';
import { DOMAIN_CONFIG_NAME } from '../../controllers/domain/desired-objects.ts';
import { configTemplateValuesName, configTemplateVolumes, generatedValues, renderConfigTemplate } from './config-render.ts';
import { resolveContainerEnv, type Container } from './container-env.ts';
import { expandVars } from '../expand-vars.ts';
import type { PodAddresses } from './field-refs.ts';
import { InputMessages, PodInputError } from './input-errors.ts';
import type { PodObjectSource } from './object-source.ts';
import { volumeContent, type VolumeContent, type VolumeFile } from './volume-files.ts';

export interface ResolveContext {
  source: PodObjectSource;
  /** The agent's domain: KUSCIA_DOMAIN_ID of every container. */
  domain: string;
  addresses: PodAddresses;
  allocatable: Record<string, string>;
}

export interface ResolveResult {
  resolved: ResolvedPod;
  /** Things left out that the pod asked for (volume types the runtime cannot provide), for the log. */
  warnings: string[];
}

/**
 * Everything a runtime needs to start the pod's containers: each container's final environment and
 * the files its volume mounts show, config templates rendered. Throws PodInputError while a
 * referenced ConfigMap/Secret is missing (the caller reports it on the pod and retries).
 */
export async function resolvePod(pod: Pod, ctx: ResolveContext): Promise<ResolveResult> {
  const warnings: string[] = [];
  const volumes = new Map<string, Promise<VolumeContent>>();
  const contentOf = (name: string): Promise<VolumeContent> | undefined => {
    const volume = (pod.spec?.volumes ?? []).find((v) => v.name === name);
    if (!volume) return undefined;
    let p = volumes.get(name);
    if (!p) volumes.set(name, (p = volumeContent(volume, { pod, source: ctx.source, addresses: ctx.addresses, allocatable: ctx.allocatable })));
    return p;
  };
  const templateVolumes = configTemplateVolumes(pod);
  let templateValues: Record<string, string> | undefined;
  const loadTemplateValues = async (container: string): Promise<Record<string, string>> => {
    if (templateValues) return templateValues;
    // The domain's KV configs (ConfManager's store, the `domain-config` ConfigMap) are the most
    // general values, so the task's generated values override them; a domain without one has none.
    const domainConfig = (await ctx.source.configMap(DOMAIN_CONFIG_NAME))?.data ?? {};
    const name = configTemplateValuesName(pod);
    if (!name) return (templateValues = { ...domainConfig });
    const cm = await ctx.source.configMap(name);
    if (!cm) throw new PodInputError('CreateContainerConfigError', InputMessages.configMapNotFound(name), container);
    return (templateValues = { ...domainConfig, ...generatedValues(cm) });
  };

  const containers: Record<string, ContainerInputs> = {};
  const all: Container[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const container of all) {
    const env = await resolveContainerEnv(container, { pod, source: ctx.source, base: { [Env.DomainID]: ctx.domain }, addresses: ctx.addresses, allocatable: ctx.allocatable });
    const mounts: ResolvedMount[] = [];
    for (const mount of container.volumeMounts ?? []) {
      const pending = contentOf(mount.name);
      const content = pending ? await pending : undefined;
      if (!content) {
        warnings.push(`container ${container.name}: volume "${mount.name}" ${pending ? 'is of a type this runtime cannot provide' : 'is not defined in the pod'}; mount skipped`);
        continue;
      }
      let files = content.files;
      if (templateVolumes.has(mount.name)) {
        // The container's own environment wins over the generated values (it is the more specific).
        const values = { ...(await loadTemplateValues(container.name)), ...env };
        files = files.map((f) => ({ ...f, content: renderConfigTemplate(typeof f.content === 'string' ? f.content : f.content.toString('utf8'), values) }));
      }
      const subPath = mount.subPathExpr ? expandVars(mount.subPathExpr, (n) => env[n]) : mount.subPath;
      mounts.push({ mountPath: mount.mountPath, readOnly: mount.readOnly ?? false, files: subPath ? underSubPath(files, subPath) : files });
    }
    containers[container.name] = { env, mounts };
  }
  return { resolved: { pod, containers }, warnings };
}

/** A subPath mount shows one file of the volume (path '') or the files under one directory of it. */
function underSubPath(files: VolumeFile[], subPath: string): VolumeFile[] {
  const dir = subPath.replace(/\/+$/, '');
  const out: VolumeFile[] = [];
  for (const f of files) {
    if (f.path === dir) out.push({ ...f, path: '' });
    else if (f.path.startsWith(`${dir}/`)) out.push({ ...f, path: f.path.slice(dir.length + 1) });
  }
  return out;
}
