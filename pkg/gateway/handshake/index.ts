// The RSA-GEN handshake between domain gateways, wire-compatible with Kuscia (kuscia.md §2.7).
export * from './client.ts';
export * from './crypto.ts';
export { DestinationHandshake, domainRouteName, type DestinationOptions } from './destination-reply.ts';
export { checkTokenStatus, type HeartbeatCheckOptions } from './destination-heartbeat.ts';
export * from './kube-route-store.ts';
export * from './memory-route-store.ts';
export * from './messages.ts';
export * from './request-target.ts';
export * from './route-store.ts';
export * from './server.ts';
export { HandshakeTransportError } from './transport.ts';
