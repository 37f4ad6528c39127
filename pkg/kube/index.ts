// The controller framework: client-go's patterns (informers, work queues, controllers, status
// retries, leader election) on @kubernetes/client-node.
export * from './api-errors.ts';
export * from './client.ts';
export * from './controller.ts';
export * from './informer-factory.ts';
export * from './leader-election.ts';
export * from './object-key.ts';
export * from './object-state.ts';
export * from './rate-limiter.ts';
export * from './shared-informer.ts';
export * from './status-update.ts';
export * from './work-queue.ts';
export * from './reflector.ts';
export * from './watch-stream.ts';
export * from './api-client.ts';
export * from './resource-client.ts';
export * from './resources.ts';
export * from './wire.ts';
