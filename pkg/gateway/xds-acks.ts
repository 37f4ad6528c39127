import type { XdsServer } from './xds/server/index.ts';

/**
 * True once at least one stream of `group` is connected and every one of them has ACKed `version`
 * of `typeUrl`: the data planes run that configuration. False after `timeoutMs` (no data plane,
 * or one that NACKed it).
 */
export async function waitForGroupAck(server: Pick<XdsServer, 'streams'>, group: string, typeUrl: string, version: string, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const streams = server.streams().filter((s) => s.group === group);
    if (streams.length > 0 && streams.every((s) => s.types[typeUrl]?.ackedVersion === version)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
