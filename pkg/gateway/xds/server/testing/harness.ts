import { pino } from 'pino';
import { loadEnvoyProtos, type EnvoyProtos } from '../../envoy-protos.ts';
import { loadAdsService, type AdsService } from '../ads-service.ts';
import { startXdsServer, type XdsServer, type XdsServerOptions } from '../xds-server.ts';
import { RawAdsClient } from './raw-ads-client.ts';

export interface XdsHarness {
  protos: EnvoyProtos;
  ads: AdsService;
  server: XdsServer;
  client: RawAdsClient;
  close(): Promise<void>;
}

/** Loads the protos once per test file. */
export async function loadSchemas(): Promise<{ protos: EnvoyProtos; ads: AdsService }> {
  const [protos, ads] = await Promise.all([loadEnvoyProtos(), loadAdsService()]);
  return { protos, ads };
}

/** A control plane on a loopback port (pushes not debounced unless asked) and a raw client of it. */
export async function startHarness(schemas: { protos: EnvoyProtos; ads: AdsService }, options: Partial<XdsServerOptions> = {}): Promise<XdsHarness> {
  const server = await startXdsServer({ protos: schemas.protos, adsService: schemas.ads, log: pino({ level: 'silent' }), debounce: { quietMs: 0 }, ...options });
  const client = new RawAdsClient(schemas.ads, server.address);
  return {
    ...schemas,
    server,
    client,
    close: async () => {
      client.close();
      await server.stop();
    },
  };
}
