/**
 * How a task process reaches other domains' services: RunP processes have no resolver for
 * `<svc>.<domain>.svc` (a container gets Kuscia's CoreDNS), so their node tells them to use the
 * domain gateway's internal listener as HTTP proxy. Tools honour the lower-case names, Node (with
 * NODE_USE_ENV_PROXY) and many libraries the upper-case ones; local addresses go direct.
 */
export function gatewayProxyEnv(internalPort: number): Record<string, string> {
  const proxy = `http://127.0.0.1:${internalPort}`;
  const direct = 'localhost,127.0.0.1,::1';
  return { HTTP_PROXY: proxy, http_proxy: proxy, NO_PROXY: direct, no_proxy: direct, NODE_USE_ENV_PROXY: '1' };
}
