/**
 * One domain gateway (startGateway with the built-in data plane) as its own process, as `kuscia
 * start` runs it on a lite: its own event loop, so the load generator and the other domain's
 * gateway do not share its CPU time. Started by gateway-instances.ts with a JSON
 * GatewayChildConfig as its only argument; prints one `ready` line on stdout once serving, stops
 * gracefully on SIGTERM and at once when its stdin closes (the benchmark died).
 */
import { pino } from 'pino';
import { READY_LINE, startConfiguredGateway, type GatewayChildConfig } from './gateway-instances.ts';

const config = JSON.parse(process.argv[2] ?? '') as GatewayChildConfig;
const log = pino({ level: config.logLevel }, pino.destination(2));
const gateway = await startConfiguredGateway(config, log);
process.stdout.write(`${READY_LINE}\n`);

let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  void gateway.stop().finally(() => process.exit(code));
};
process.once('SIGTERM', () => stop(0));
process.stdin.on('end', () => process.exit(0)).resume();
