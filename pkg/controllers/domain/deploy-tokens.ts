import { randomBytes } from 'node:crypto';
import { DeployTokenState, type DeployTokenStatus } from '../../crd/index.ts';

/**
 * A new lite deploy token: 32 random bytes, hex-encoded (64 characters). Hex rather than base64url
 * because operators pass it on command lines and in YAML (`kuscia start -t ...`, add_domain_lite
 * output): base64url may start with `-`, which CLIs take for a flag.
 */
export function generateDeployToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The deploy tokens a domain keeps: the newest `used` one (kept so an operator can see which token
 * registered the lite) and the newest `unused` one, minting a fresh unused token whenever none is
 * left. Entries without a token or with an unknown state are dropped. Sorted oldest first.
 */
export function nextDeployTokens(current: readonly DeployTokenStatus[] | undefined, mint: () => DeployTokenStatus): DeployTokenStatus[] {
  const byAge = [...(current ?? [])].filter((t) => t.token !== '').sort(olderFirst);
  const newestUsed = byAge.filter((t) => t.state === DeployTokenState.Used).at(-1);
  const newestUnused = byAge.filter((t) => t.state === DeployTokenState.Unused).at(-1) ?? mint();
  return [newestUsed, newestUnused].filter((t): t is DeployTokenStatus => t !== undefined).sort(olderFirst);
}

function olderFirst(a: DeployTokenStatus, b: DeployTokenStatus): number {
  return timeOf(a) - timeOf(b);
}

function timeOf(t: DeployTokenStatus): number {
  const ms = t.lastTransitionTime ? Date.parse(t.lastTransitionTime) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}
