/**
 * A domain gateway for the benchmark, either in its own process (gateway-child.ts; the default,
 * as each domain's `kuscia start` runs its gateway) or in this process (`--gateways inline`: one
 * event loop for the load generator, the backends and both gateways).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { KUSCIA_NODE_FLAGS } from '../../cmd/node-flags.ts';
import { builtinDataPlane } from '../../pkg/gateway/builtin-data-plane.ts';
import { startGateway, type RunningGateway } from '../../pkg/gateway/gateway.ts';
import { loadKubeConfig } from '../../pkg/kube/client.ts';
import { readProcCpuMs } from '../common/proc-stats.ts';
import { superviseChild } from '../common/supervised-child.ts';

export interface GatewayChildConfig {
  kubeconfigPath: string;
  domain: string;
  instance: string;
  /** The domain's RSA key (PEM) in a 0600 file: keys stay off command lines. */
  keyFile: string;
  internalPort: number;
  externalPort: number;
  logLevel: string;
}

export const READY_LINE = 'gateway ready';

export type GatewayPlacement = 'process' | 'inline';

export interface BenchGateway {
  domain: string;
  /** The child's pid; undefined inline. */
  pid: number | undefined;
  /** CPU ms the child used so far; undefined inline (it is part of this process's). */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
  /** Last resort for process 'exit' handlers. */
  killNow(): void;
}

const childEntry = join(import.meta.dirname, 'gateway-child.ts');
const START_TIMEOUT_MS = 60_000;

/** `nodeFlags` go to the child process (e.g. --cpu-prof); inline they cannot apply. */
export async function startBenchGateway(placement: GatewayPlacement, config: GatewayChildConfig, nodeFlags: readonly string[] = []): Promise<BenchGateway> {
  return placement === 'inline' ? startInline(config) : startChild(config, nodeFlags);
}

/** The bench's gateway, as both the child process and the inline placement start it. */
export function startConfiguredGateway(config: GatewayChildConfig, log: Logger): Promise<RunningGateway> {
  return startGateway({
    kubeConfig: loadKubeConfig(config.kubeconfigPath),
    domain: config.domain,
    instance: config.instance,
    domainKeyPem: readFileSync(config.keyFile, 'utf8'),
    ports: { internal: config.internalPort, external: config.externalPort, handshake: 0 },
    listenAddress: '127.0.0.1',
    advertiseAddress: '127.0.0.1',
    version: 'bench',
    dataPlane: builtinDataPlane,
    log,
    timings: { handshakeRetryMs: 500, gatewayHeartbeatMs: 2_000 },
  });
}

async function startInline(config: GatewayChildConfig): Promise<BenchGateway> {
  const gateway = await startConfiguredGateway(config, pino({ level: config.logLevel }));
  return { domain: config.domain, pid: undefined, cpuMs: () => undefined, stop: () => gateway.stop(), killNow: () => undefined };
}

function startChild(config: GatewayChildConfig, nodeFlags: readonly string[]): Promise<BenchGateway> {
  const child = spawn(process.execPath, [...KUSCIA_NODE_FLAGS, ...nodeFlags, childEntry, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-16 * 1024);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  const supervised = superviseChild(child);
  const pid = child.pid!;
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.stdout!.off('data', onReady);
      supervised.killNow();
      reject(new Error(`gateway ${config.domain}: ${why}\n--- its output ---\n${output}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null) => fail(`exited early (code ${code}, signal ${signal})`);
    const onReady = () => {
      if (!output.includes(READY_LINE)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout!.off('data', onReady);
      resolve({ domain: config.domain, pid, cpuMs: () => readProcCpuMs(pid), stop: () => supervised.stop(10_000), killNow: () => supervised.killNow() });
    };
    child.once('exit', onExit);
    child.stdout!.on('data', onReady);
  });
}
