/**
 * What GET /version reports. kubectl's dispatcher picks its client minor version from this, so
 * it names a current Kubernetes release; gitVersion carries our build as K3s does ("+k3s1").
 */
export const KUBERNETES_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.5+kuscia-ts' };

export function versionInfo() {
  return {
    major: KUBERNETES_VERSION.major,
    minor: KUBERNETES_VERSION.minor,
    emulationMajor: KUBERNETES_VERSION.major,
    emulationMinor: KUBERNETES_VERSION.minor,
    minCompatibilityMajor: KUBERNETES_VERSION.major,
    minCompatibilityMinor: '32',
    gitVersion: KUBERNETES_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'v8',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
