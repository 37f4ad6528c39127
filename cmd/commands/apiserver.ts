import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { commaList, durationSeconds, port } from '../flag-parsers.ts';
import { stopOnSignal } from './stop-on-signal.ts';

interface ApiserverFlags {
  dataDir: string;
  port: number;
  bind: string;
  tlsSan?: string[];
  storage: 'sqlite' | 'memory';
  logLevel: string;
  eventTtl: number;
  tokenAuthFile?: string;
  serviceAccountIssuer: string;
  apiAudiences?: string[];
}

/**
 * `kuscia apiserver`: the embedded Kubernetes API server on its own, K3s-style. Prints where it
 * listens and the kubeconfig to use; SIGTERM/SIGINT stop it gracefully (open watches are closed,
 * storage is flushed and unlocked).
 */
export function apiserverCommand(): Command {
  return new Command('apiserver')
    .description('run the embedded Kubernetes API server (HTTPS, SQLite-backed)')
    .requiredOption('--data-dir <dir>', 'directory for certificates, kubeconfig.yaml and the database')
    .option('--port <port>', 'HTTPS port (0 picks a free one)', port, 6443)
    .option('--bind <address>', 'address to listen on', '127.0.0.1')
    .option('--tls-san <name...>', 'extra DNS names or IPs for the serving certificate')
    .addOption(new Option('--storage <backend>', 'storage backend').choices(['sqlite', 'memory']).default('sqlite'))
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .addOption(
      new Option('--event-ttl <duration>', 'delete events this long after their last write (Go duration: 1h, 30m, 90s; 0 keeps them)').argParser(durationSeconds).default(3600, '1h'),
    )
    .option('--token-auth-file <file>', 'static bearer tokens, one "token,user,uid[,\"group1,group2\"]" per line (kube-apiserver format)')
    .option('--service-account-issuer <url>', 'issuer (iss) of service account tokens', 'https://kubernetes.default.svc.cluster.local')
    .option('--api-audiences <list>', 'comma-separated audiences a token must name one of (default: the issuer)', commaList)
    .action(async (opts: ApiserverFlags) => {
      const logger = pino({ level: opts.logLevel });
      // Loaded here, not at the top: `kuscia controllers` and the others never pay for the server's modules.
      const { startApiServer } = await import('../../pkg/apiserver/server.ts');
      const server = await startApiServer({
        dataDir: resolve(opts.dataDir),
        port: opts.port,
        bindAddress: opts.bind,
        extraSans: opts.tlsSan,
        storage: opts.storage,
        eventTtlSeconds: opts.eventTtl,
        authentication: { tokenAuthFile: opts.tokenAuthFile, serviceAccountIssuer: opts.serviceAccountIssuer, apiAudiences: opts.apiAudiences },
        logger,
      });
      process.stdout.write(`kuscia apiserver listening on ${server.url}\nkubeconfig: ${server.kubeconfigPath}\n`);
      stopOnSignal(() => server.stop(), logger);
    });
}
