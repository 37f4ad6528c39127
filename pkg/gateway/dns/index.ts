export { startDnsResponder, type DnsResponder, type DnsResponderOptions, type DnsResponderStats } from './responder.ts';
export { classifySvcName, type SvcName } from './svc-names.ts';
