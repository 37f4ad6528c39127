/**
 * Merging a party's template into the AppImage deploy template (Kuscia: mergeDeployTemplate). The
 * AppImage describes the app; the task may override, per party, what varies between runs. Party
 * containers apply to the template's containers by position.
 */
import type { DeployTemplate, PartyTemplate } from '../../crd/index.ts';

export function mergePartyTemplate(base: DeployTemplate, party: PartyTemplate | undefined): DeployTemplate {
  const merged = structuredClone(base);
  merged.spec ??= {};
  if (party?.replicas !== undefined) merged.replicas = party.replicas;
  if (party?.spec?.restartPolicy) merged.spec.restartPolicy = party.spec.restartPolicy;
  const overrides = party?.spec?.containers ?? [];
  (merged.spec.containers ?? []).forEach((container, i) => {
    const src = overrides[i];
    if (!src) return;
    if (src.name) container.name = src.name;
    // Command and args go together: a party that sets either replaces both.
    if ((src.command?.length ?? 0) > 0 || (src.args?.length ?? 0) > 0) {
      container.command = src.command;
      container.args = src.args;
    }
    if ((src.env?.length ?? 0) > 0) container.env = [...(container.env ?? []), ...structuredClone(src.env!)];
    const requests = src.resources?.requests;
    const limits = src.resources?.limits;
    if (requests && Object.keys(requests).length > 0) {
      container.resources ??= {};
      container.resources.requests = { ...container.resources.requests, ...requests };
    }
    if (limits && Object.keys(limits).length > 0) {
      container.resources ??= {};
      container.resources.limits = { ...container.resources.limits, ...limits };
    }
  });
  return merged;
}

/** Replicas of a merged template (Kuscia: 1 when unset). */
export function replicasOf(template: DeployTemplate): number {
  return template.replicas ?? 1;
}

/** A party's minReservedPods: its own value when positive, else every replica. */
export function minReservedPodsOf(partyMinReservedPods: number | undefined, replicas: number): number {
  return partyMinReservedPods !== undefined && partyMinReservedPods > 0 ? partyMinReservedPods : replicas;
}
