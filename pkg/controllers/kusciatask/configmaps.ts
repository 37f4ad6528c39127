/**
 * The ConfigMaps of a party: `<task>-configtemplate` holds the AppImage's config templates, and
 * `<task>-kuscia-gen-conf` the values Kuscia generates for them. The agent renders the templates
 * with those values when a container starts. TASK_INPUT_CONFIG can be large (a whole pipeline
 * definition), so it is stored compressed in binaryData, in zlib format as Kuscia's agent expects
 * (Go compress/zlib), and the annotation config-value-compress-fields-name names the compressed keys.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { Annotations, Env, type KusciaTask } from '../../crd/index.ts';
import type { ConfigMap } from '../../kube/wire.ts';
import { configTemplateConfigMapName, generatedConfigMapName } from './names.ts';
import type { PartyKit } from './party-kit.ts';
import { taskObjectAnnotations, taskObjectLabels } from './task-objects.ts';

/** The templates ConfigMap, when the AppImage has templates. */
export function configTemplateConfigMap(task: KusciaTask, kit: PartyKit): ConfigMap | undefined {
  if (Object.keys(kit.configTemplates).length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configTemplateConfigMapName(task.metadata.name ?? ''),
      namespace: kit.domainID,
      labels: taskObjectLabels(task),
      annotations: taskObjectAnnotations(task),
    },
    data: { ...kit.configTemplates },
  };
}

/** Whether the party's pods mount the templates (and so need the generated values ConfigMap). */
export function usesConfigTemplates(kit: PartyKit): boolean {
  return Object.keys(kit.configTemplates).length > 0 && (kit.template.spec.containers ?? []).some((c) => (c.configVolumeMounts?.length ?? 0) > 0);
}

export interface GeneratedValues {
  clusterDefine: string;
  allocatedPorts: string;
}

export function generatedConfigMap(task: KusciaTask, kit: PartyKit, values: GeneratedValues): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: generatedConfigMapName(task.metadata.name ?? ''),
      namespace: kit.domainID,
      labels: taskObjectLabels(task),
      annotations: { ...taskObjectAnnotations(task), [Annotations.ConfigValueCompressFieldsName]: Env.TaskInputConfig },
    },
    data: {
      [Env.DomainID]: kit.domainID,
      [Env.TaskID]: task.metadata.name ?? '',
      [Env.TaskClusterDefine]: values.clusterDefine,
      [Env.AllocatedPorts]: values.allocatedPorts,
    },
    binaryData: { [Env.TaskInputConfig]: compressConfigValue(task.spec.taskInputConfig ?? '') },
  };
}

/** zlib-compressed, base64 as binaryData travels in JSON. */
export function compressConfigValue(value: string): string {
  return deflateSync(Buffer.from(value, 'utf8')).toString('base64');
}

/** Readers cap the inflated size (as Kuscia's agent does) so a hostile ConfigMap cannot exhaust memory. */
const MAX_DECOMPRESSED_BYTES = 10 * 1024 * 1024;

export function decompressConfigValue(base64: string): string {
  return inflateSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_DECOMPRESSED_BYTES }).toString('utf8');
}
