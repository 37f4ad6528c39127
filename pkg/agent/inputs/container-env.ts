import type { V1Container } from '@kubernetes/client-node';
import type { Pod, Wire } from '../../kube/wire.ts';
import { expandVars } from '../expand-vars.ts';
import { containerResourceValue, podFieldValue, type PodAddresses } from './field-refs.ts';
import { InputMessages, PodInputError } from './input-errors.ts';
import type { PodObjectSource } from './object-source.ts';

export type Container = Wire<V1Container>;

export interface EnvContext {
  pod: Pod;
  source: PodObjectSource;
  /** The agent's own variables (KUSCIA_DOMAIN_ID, ...), given before the pod's: the pod may override them. */
  base: Record<string, string>;
  addresses: PodAddresses;
  /** The node's allocatable: the value of a resourceFieldRef to a limit the container does not set. */
  allocatable: Record<string, string>;
}

/**
 * A container's environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables):
 * envFrom sources in order (with their prefix; keys that are not valid names are skipped), then
 * `env` in order, each value `$(VAR)`-expanded against what is defined before it. Later wins.
 * A missing non-optional ConfigMap/Secret or key is a PodInputError (CreateContainerConfigError).
 */
export async function resolveContainerEnv(container: Container, ctx: EnvContext): Promise<Record<string, string>> {
  const env: Record<string, string> = { ...ctx.base };
  const namespace = ctx.pod.metadata?.namespace ?? '';
  const fail = (message: string) => new PodInputError('CreateContainerConfigError', message, container.name);

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      const cm = await ctx.source.configMap(name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw fail(InputMessages.configMapNotFound(name));
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) if (isEnvName(prefix + k)) env[prefix + k] = v;
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      const secret = await ctx.source.secret(name);
      if (!secret) {
        if (from.secretRef.optional) continue;
        throw fail(InputMessages.secretNotFound(name));
      }
      for (const [k, v] of Object.entries(secret.data ?? {})) if (isEnvName(prefix + k)) env[prefix + k] = decodeSecret(v);
    }
  }

  for (const item of container.env ?? []) {
    const lookup = (n: string) => env[n];
    if (item.value !== undefined || !item.valueFrom) {
      env[item.name] = expandVars(item.value ?? '', lookup);
      continue;
    }
    const from = item.valueFrom;
    if (from.fieldRef) {
      env[item.name] = podFieldValue(ctx.pod, from.fieldRef.fieldPath, ctx.addresses);
    } else if (from.resourceFieldRef) {
      const target = from.resourceFieldRef.containerName ? (ctx.pod.spec?.containers ?? []).find((c) => c.name === from.resourceFieldRef!.containerName) ?? container : container;
      env[item.name] = containerResourceValue(target, from.resourceFieldRef.resource, from.resourceFieldRef.divisor, ctx.allocatable);
    } else if (from.configMapKeyRef) {
      const { name = '', key, optional } = from.configMapKeyRef;
      const cm = await ctx.source.configMap(name);
      if (!cm) {
        if (optional) continue;
        throw fail(InputMessages.configMapNotFound(name));
      }
      const value = cm.data?.[key] ?? (cm.binaryData?.[key] !== undefined ? Buffer.from(cm.binaryData[key], 'base64').toString('utf8') : undefined);
      if (value === undefined) {
        if (optional) continue;
        throw fail(InputMessages.configMapKeyNotFound(key, namespace, name));
      }
      env[item.name] = value;
    } else if (from.secretKeyRef) {
      const { name = '', key, optional } = from.secretKeyRef;
      const secret = await ctx.source.secret(name);
      if (!secret) {
        if (optional) continue;
        throw fail(InputMessages.secretNotFound(name));
      }
      const value = secret.data?.[key];
      if (value === undefined) {
        if (optional) continue;
        throw fail(InputMessages.secretKeyNotFound(key, namespace, name));
      }
      env[item.name] = decodeSecret(value);
    }
  }
  return env;
}

/** Secret data travels base64-encoded in JSON. */
export function decodeSecret(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

/** Kubernetes accepts any printable name without `=` (since 1.30); the kubelet skips the others. */
function isEnvName(name: string): boolean {
  return name.length > 0 && !name.includes('=') && /^[\x20-\x7e]+$/.test(name);
}
