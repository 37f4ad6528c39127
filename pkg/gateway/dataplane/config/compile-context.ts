import type { Logger } from 'pino';
import { XdsConfigError } from './config-error.ts';
import type { Msg } from './proto-values.ts';

/**
 * What the compilers share: a logger, and the notices already given. A field the data plane does
 * not implement but whose absence cannot let through traffic Envoy would refuse (access logs,
 * tracing, statistics prefixes, ...) is ignored with one notice per field and data plane; any other
 * unknown field makes the resource invalid (NACK), as Envoy does for an unknown non-optional filter.
 */
export class CompileContext {
  readonly log: Logger;
  private readonly noticed = new Set<string>();

  constructor(log: Logger) {
    this.log = log;
  }

  /** Logs once per `key` that something in the configuration is not applied. */
  ignored(key: string, where: string, why: string): void {
    if (this.noticed.has(key)) return;
    this.noticed.add(key);
    this.log.info({ field: key, where }, `built-in data plane ignores ${key}: ${why}`);
  }

  /**
   * Checks a message's set fields: `supported` are handled by the caller, `ignored` get a notice,
   * anything else is refused. `messageName` names the proto message in notices and errors.
   */
  checkFields(message: Msg, messageName: string, where: string, supported: readonly string[], ignored: readonly string[] = []): void {
    for (const key of Object.keys(message)) {
      if (key === '@type' || supported.includes(key)) continue;
      if (ignored.includes(key)) {
        this.ignored(`${messageName}.${key}`, where, 'not applied by the built-in data plane (see docs/gateway-dataplane.md)');
        continue;
      }
      throw new XdsConfigError(where, `${messageName}.${key} is not supported by the built-in data plane`);
    }
  }
}
