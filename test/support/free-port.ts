/** A TCP port free right now on 127.0.0.1, for a server that must keep its port across restarts. */
export { freePort } from '../../pkg/modules/free-port.ts';
