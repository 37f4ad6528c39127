/**
 * Kubernetes' "kube-aware" version order (apimachinery `version.CompareKubeAwareVersionStrings`),
 * used to pick the preferred version of a group and to order versions in discovery:
 * GA before beta before alpha, higher major first, then higher minor; versions that do not look like
 * `v<N>[alpha|beta<M>]` come last, alphabetically. Example order: v10, v2, v1, v11beta2, v10beta3,
 * v3beta1, v12alpha1, v11alpha2, foo1, foo10.
 */
const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

interface ParsedVersion {
  major: number;
  /** 2 = GA, 1 = beta, 0 = alpha. */
  stability: number;
  minor: number;
}

function parse(version: string): ParsedVersion | undefined {
  const m = KUBE_VERSION.exec(version);
  if (!m) return undefined;
  return { major: Number(m[1]), stability: m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, minor: Number(m[3] ?? 0) };
}

/** Negative when `a` is preferred over `b`; usable directly with Array.prototype.sort. */
export function compareKubeAwareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) {
    return pb.stability - pa.stability || pb.major - pa.major || pb.minor - pa.minor;
  }
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
