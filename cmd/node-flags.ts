/**
 * Node flags the kuscia process runs with. Keep in sync with the shebang of cmd/kuscia.ts and with
 * scripts/quickstart.sh, which cannot import this file.
 *  - ExperimentalWarning: node:sqlite still prints one on every start.
 *  - max-semi-space-size=16: V8's young generation otherwise grows to ~130 MB under request load;
 *    16 MB keeps the API server's RSS ~100 MB lower at the same throughput (bench/apiserver).
 */
export const KUSCIA_NODE_FLAGS = ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=16'];
