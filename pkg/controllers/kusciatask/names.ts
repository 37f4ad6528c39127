/**
 * The deterministic names of everything a KusciaTask creates (Kuscia: generatePodName,
 * generatePodIdentity, the ConfigMap name formats). Determinism is what lets a restarted controller
 * find what it already created instead of creating it twice.
 */

/** `<task>-<role>-<index>`, or `<task>-<index>` for a party without a role. */
export function podName(taskName: string, role: string, index: number): string {
  return role === '' ? `${taskName}-${index}` : `${taskName}-${role}-${index}`;
}

/** Value of the pod-identity label, the selector of the pod's headless Services. */
export function podIdentity(taskUID: string, role: string, index: number): string {
  return role === '' ? `${taskUID}-${index}` : `${taskUID}-${role}-${index}`;
}

/** ConfigMap with the AppImage's config templates. */
export function configTemplateConfigMapName(taskName: string): string {
  return `${taskName}-configtemplate`;
}

/** ConfigMap with the values Kuscia generates for the templates (Kuscia: KusciaGenerateConfigMapFormat). */
export function generatedConfigMapName(taskName: string): string {
  return `${taskName}-kuscia-gen-conf`;
}

/** The pod volume that mounts the config templates. */
export const CONFIG_TEMPLATE_VOLUME = 'config-template';

/** Key of status.allocatedPorts[].namedPort: `<podName>/<portName>`. */
export function portKey(pod: string, port: string): string {
  return `${pod}/${port}`;
}

/** How Kuscia names a party in messages: `<domain>-<role>`, or the domain alone. */
export function partyKey(domainID: string, role: string | undefined): string {
  return role ? `${domainID}-${role}` : domainID;
}
