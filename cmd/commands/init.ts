import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';

interface InitFlags {
  mode: string;
  domain?: string;
  runtime: string;
  domainKeyFile?: string;
  logLevel: string;
  liteDeployToken?: string;
  masterEndpoint?: string;
  datastoreEndpoint?: string;
  protocol: string;
}

/**
 * `kuscia init`: prints a kuscia.yaml with Kuscia's field names (reference §5.1), generating an
 * RSA 2048 domain key when no --domain-key-file is given. The runtime defaults to runp, not runc as
 * in Kuscia: RunP is the runtime this build has (runc/runk are refused by `kuscia start`).
 */
export function initCommand(): Command {
  return new Command('init')
    .description('print a kuscia.yaml for `kuscia start -c` (generates a domain RSA key unless one is given)')
    .addOption(new Option('--mode <mode>', 'node mode').choices(['master', 'lite', 'autonomy', 'Master', 'Lite', 'Autonomy']).makeOptionMandatory())
    .option('-d, --domain <domainID>', 'domain ID (RFC 1123 label)')
    .addOption(new Option('-r, --runtime <runtime>', 'runtime of lite/autonomy nodes').choices(['runp', 'runc', 'runk']).default('runp'))
    .option('-f, --domain-key-file <file>', 'PEM RSA private key of the domain (default: generate one)')
    .addOption(new Option('-l, --log-level <level>', 'log level').choices(['DEBUG', 'INFO', 'WARN', 'ERROR', 'debug', 'info', 'warn', 'error']).default('INFO'))
    .option('-t, --lite-deploy-token <token>', 'lite: one-time deploy token from the master')
    .option('-m, --master-endpoint <url>', 'lite: the master\'s registration URL, e.g. https://master:18080')
    .option('-e, --datastore-endpoint <dsn>', 'master/autonomy: datastore (empty: embedded SQLite)')
    .addOption(new Option('-p, --protocol <protocol>', 'KusciaAPI/gateway protocol').choices(['NOTLS', 'TLS', 'MTLS']).default('MTLS'))
    .action((opts: InitFlags) => {
      const mode = opts.mode.toLowerCase();
      if (!opts.domain) throw new Error('--domain is required');
      const keyPem = opts.domainKeyFile
        ? readFileSync(opts.domainKeyFile, 'utf8')
        : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      const config: Record<string, unknown> = {
        mode,
        domainID: opts.domain,
        domainKeyData: Buffer.from(keyPem, 'utf8').toString('base64'),
        logLevel: opts.logLevel.toUpperCase(),
        protocol: opts.protocol,
      };
      if (mode === 'lite') {
        config['masterEndpoint'] = opts.masterEndpoint ?? 'https://127.0.0.1:18080';
        config['liteDeployToken'] = opts.liteDeployToken ?? '';
      }
      if (mode !== 'master') config['runtime'] = opts.runtime;
      if (mode !== 'lite') config['datastoreEndpoint'] = opts.datastoreEndpoint ?? '';
      process.stdout.write(`# kuscia.yaml (${mode}); start with: kuscia start -c kuscia.yaml\n${stringify(config)}`);
    });
}
