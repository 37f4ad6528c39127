/**
 * A resource the built-in data plane cannot apply. The ADS client NACKs the whole response with
 * this message (and keeps the previous configuration); `applyResources` throws it.
 */
export class XdsConfigError extends Error {
  /** Where in the resource the problem is, e.g. `listener internal-listener: filter_chains[0]`. */
  readonly where: string;
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'XdsConfigError';
    this.where = where;
  }
}
