import { readFileSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { loadCertificateAuthority, type CertificateAuthority } from '../apiserver/certs/certificate-authority.ts';
import { PKI_FILES } from '../apiserver/certs/ensure-pki.ts';
import { ensurePrivateDir } from '../apiserver/certs/pki-files.ts';
import type { KusciaConfig } from '../config/kuscia-config.ts';
import { nodeStateDir } from '../config/node-state-dir.ts';
import { KubeApi } from '../kube/api-client.ts';
import { loadKubeConfig } from '../kube/client.ts';
import { ensureLiteCredentials } from '../register/register-lite.ts';
import { startRegistrationServer, type RunningRegistrationServer } from '../register/registration-server.ts';
import { gatewayProxyEnv } from '../gateway/proxy-env.ts';
import { agentModule } from './agent-module.ts';
import { gatewayModule } from './gateway-module.ts';
import { childProcessModule } from './child-process-module.ts';
import { bootstrapMaster } from './master/bootstrap-master.ts';
import { ensureDomainCert } from './master/domain-cert.ts';
import { taskModule, type Module } from './module.ts';

const KUSCIA_CLI = fileURLToPath(new URL('../../cmd/kuscia.ts', import.meta.url));
const NODE_FLAGS = ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=16'];

export interface NodePlan {
  modules: Module[];
  /** The admin kubeconfig (master, autonomy) or the lite's own credential, once the modules are ready. */
  kubeconfigPath: string;
  /** The registration endpoint's URL (master with the embedded API server), once ready. */
  registrationUrl(): string | undefined;
}

/**
 * The modules of one `kuscia start` by mode (Kuscia's module lists):
 * - master: apiserver (child process, unless apiserver.kubeconfigFile) → bootstrap (CRDs,
 *   cross-domain, self Domain) → controllers, scheduler (child processes), registration (here);
 * - autonomy: master's modules + the agent for its own domain;
 * - lite: registration with the master (or stored credentials) → the agent.
 */
export function planNode(config: KusciaConfig, log: Logger): NodePlan {
  const stateDir = nodeStateDir(config);
  if (config.mode === 'lite') return planLite(config, stateDir, log);
  return planMaster(config, stateDir, log);
}

function kusciaChild(name: string, args: string[], readyPattern: RegExp, dependsOn: string[], log: Logger): Module {
  return childProcessModule({ name, dependsOn, command: process.execPath, args: [...NODE_FLAGS, KUSCIA_CLI, ...args], readyPattern, log });
}

function planMaster(config: KusciaConfig, stateDir: string, log: Logger): NodePlan {
  const modules: Module[] = [];
  const kubeconfigPath = join(stateDir, 'kubeconfig.yaml');
  const apiserverDir = join(stateDir, 'apiserver');
  const embedded = config.apiserver.kubeconfigFile === undefined;
  let registration: RunningRegistrationServer | undefined;

  if (embedded) {
    const args = ['apiserver', '--data-dir', apiserverDir, '--port', String(config.apiserver.port), '--bind', config.apiserver.bind, '--log-level', config.logLevel];
    modules.push(kusciaChild('apiserver', args, /kuscia apiserver listening on https:\/\/\S+/, [], log));
  }
  modules.push(
    taskModule('kubeconfig', embedded ? ['apiserver'] : [], async () => {
      await ensurePrivateDir(stateDir);
      // The admin kubeconfig where the issue documents it; copied so it survives a data-dir move.
      await copyFile(embedded ? join(apiserverDir, 'kubeconfig.yaml') : config.apiserver.kubeconfigFile!, kubeconfigPath);
    }),
    taskModule('bootstrap', ['kubeconfig'], async () => {
      const domainCertPem = await ensureDomainCert(join(stateDir, 'certs'), config.domainID, config.domainKeyPem);
      await bootstrapMaster({ api: new KubeApi(loadKubeConfig(kubeconfigPath)), domainID: config.domainID, domainCertPem, log: log.child({ component: 'bootstrap' }) });
    }),
  );
  const managerArgs = ['--kubeconfig', kubeconfigPath, '--healthz-port', '0', '--log-level', config.logLevel];
  const controllerArgs = ['controllers', ...managerArgs, '--node-monitor-grace-period', `${config.controllers.nodeMonitorGracePeriodSeconds}s`];
  modules.push(kusciaChild('controllers', controllerArgs, /healthz at http:\/\/\S+\/healthz/, ['bootstrap'], log));
  modules.push(kusciaChild('scheduler', ['scheduler', ...managerArgs], /healthz at http:\/\/\S+\/healthz/, ['bootstrap'], log));
  if (embedded && config.mode === 'master') {
    modules.push(
      taskModule(
        'registration',
        ['bootstrap'],
        async () => {
          const ca = await loadApiServerCa(join(apiserverDir, 'pki'));
          const kc = loadKubeConfig(kubeconfigPath);
          registration = await startRegistrationServer({
            api: new KubeApi(kc),
            ca,
            apiServerUrl: kc.getCurrentCluster()!.server,
            bind: config.registration.bind,
            port: config.registration.port,
            log,
          });
        },
        async () => registration?.stop(),
      ),
    );
  }
  // After the controllers: the Domain controller creates the namespace the gateway (and agent) serve.
  const gateway = config.gateway.enabled ? gatewayModule({ config, dependsOn: ['controllers', 'scheduler'], kubeconfigPath: () => kubeconfigPath, stateDir, log }) : undefined;
  if (gateway) modules.push(gateway);
  if (config.mode === 'autonomy') {
    modules.push(
      agentModule({
        config,
        dependsOn: gateway ? ['gateway'] : ['controllers', 'scheduler'],
        credentials: () => ({ kubeconfigPath, clientCaPem: clusterCaPem(kubeconfigPath) }),
        rootDir: join(stateDir, 'agent'),
        nodeEnv: () => (gateway ? gatewayProxyEnv(gateway.internalPort()) : {}),
        log,
      }),
    );
  }
  return { modules, kubeconfigPath, registrationUrl: () => registration?.url };
}

function planLite(config: KusciaConfig, stateDir: string, log: Logger): NodePlan {
  let credentials: { kubeconfigPath: string; clientCaPem: string } | undefined;
  const modules: Module[] = [
    taskModule('register', [], async () => {
      const creds = await ensureLiteCredentials({
        stateDir,
        domainID: config.domainID,
        domainKeyPem: config.domainKeyPem,
        masterEndpoint: config.masterEndpoint!,
        token: config.liteDeployToken,
        log: log.child({ component: 'register' }),
      });
      credentials = { kubeconfigPath: creds.kubeconfigPath, clientCaPem: creds.caPem };
    }),
  ];
  const gateway = config.gateway.enabled ? gatewayModule({ config, dependsOn: ['register'], kubeconfigPath: () => credentials!.kubeconfigPath, stateDir, log }) : undefined;
  if (gateway) modules.push(gateway);
  modules.push(
    agentModule({
      config,
      dependsOn: gateway ? ['gateway'] : ['register'],
      credentials: () => credentials!,
      rootDir: join(stateDir, 'agent'),
      nodeEnv: () => (gateway ? gatewayProxyEnv(gateway.internalPort()) : {}),
      log,
    }),
  );
  return { modules, kubeconfigPath: join(stateDir, 'kubeconfig.yaml'), registrationUrl: () => undefined };
}

async function loadApiServerCa(pkiDir: string): Promise<CertificateAuthority> {
  const certPath = join(pkiDir, PKI_FILES.caCert);
  const keyPath = join(pkiDir, PKI_FILES.caKey);
  return loadCertificateAuthority(await readFile(certPath, 'utf8'), await readFile(keyPath, 'utf8'), { cert: certPath, key: keyPath });
}

/** The API server's CA from a kubeconfig: also the CA of its kubelet-client identity (log reads). */
function clusterCaPem(kubeconfigPath: string): string {
  const cluster = loadKubeConfig(kubeconfigPath).getCurrentCluster();
  if (cluster?.caData) return Buffer.from(cluster.caData, 'base64').toString('utf8');
  if (cluster?.caFile) return readFileSync(cluster.caFile, 'utf8');
  throw new Error(`${kubeconfigPath}: the current cluster has no certificate authority`);
}
