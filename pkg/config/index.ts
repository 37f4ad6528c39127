export { ConfigError } from './config-error.ts';
export type { AgentConfig, ApiServerConfig, ControllersConfig, GatewayConfig, KusciaConfig, KusciaMode, KusciaProtocol, LogLevel, RegistrationConfig } from './kuscia-config.ts';
export { DEFAULT_APISERVER_PORT, DEFAULT_KUSCIA_HOME, DEFAULT_REGISTRATION_PORT, loadKusciaConfig, parseKusciaConfig } from './load-config.ts';
export { decodeDomainKey, encodeDomainKey } from './domain-key.ts';
export { checkStartable } from './start-support.ts';
export { nodeStateDir } from './node-state-dir.ts';
