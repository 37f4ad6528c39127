import { type Body, overwriteHeader } from './envoy-values.ts';
import { Header } from './names.ts';

/**
 * The external listener's answer to a request that failed authentication: Kuscia's 401 with its
 * JSON body. The RBAC filter denies with a local 403, which this mapper turns into that 401; no
 * other filter of the external listener replies 403 locally (upstream 403s are not local replies
 * and pass untouched). `Kuscia-Error-Message` is what Kuscia's gress filter writes on that reply.
 */
export function unauthorizedReplyConfig(domain: string, instance: string, version: string): Body {
  const body = `${JSON.stringify({ domain, instance, kuscia: version, reason: 'unauthorized.' })}\n`;
  return {
    mappers: [
      {
        filter: {
          statusCodeFilter: {
            // op EQ is the enum's zero value, so it is left out.
            comparison: { value: { defaultValue: 403, runtimeKey: 'kuscia_gateway.unauthorized_status' } },
          },
        },
        statusCode: { value: 401 },
        body: { inlineString: body },
        bodyFormatOverride: { textFormatSource: { inlineString: '%LOCAL_REPLY_BODY%' }, contentType: 'application/json' },
        headersToAdd: [
          overwriteHeader(Header.ErrorMessage, `Domain ${domain}.${instance}<--%REQ(:authority)% return http code 401.`),
        ],
      },
    ],
  };
}
