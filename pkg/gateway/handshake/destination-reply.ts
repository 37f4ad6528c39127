/**
 * The destination's answer to a handshake POST (Kuscia DestReplyHandshake): check the request
 * against the DomainRoute `<src>-<dst>` of this namespace, contribute this side's bytes, store the
 * new revision (encrypted with this domain's own key, not ready yet), wait until the DomainRoute
 * controller has rolled it out and marked it ready, and answer with this side's bytes encrypted
 * for the source. Every failure is a `status.code` 500 with Kuscia's message (HTTP stays 200).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { DomainRoute } from '../../crd/index.ts';
import {
  TOKEN_HALF_SIZE,
  TOKEN_SIZE,
  decryptToken,
  encryptToken,
  parseKusciaPublicKey,
  publicKeyHash,
  randomTokenBytes,
} from './crypto.ts';
import { HandshakeType, failedHandshakeResponse, type HandshakeRequest, type HandshakeResponse } from './messages.ts';
import type { DomainRouteStore } from './route-store.ts';
import { destinationExpiration, msToUnixNanos, rfc3339, timeMs } from './token-times.ts';

export interface DestinationOptions {
  /** This domain (the handshake's destination). */
  namespace: string;
  /** This domain's RSA key. */
  privateKey: KeyObject;
  routes: DomainRouteStore;
  log: Logger;
  now: () => number;
  /** How long to wait for the DomainRoute controller to mark the new revision ready (Kuscia: 30 s). */
  readyTimeoutMs: number;
  /** How often to look (Kuscia: every second). */
  readyPollMs: number;
}

/** Kuscia common.GenDomainRouteName. */
export const domainRouteName = (source: string, destination: string): string => `${source}-${destination}`;

export class DestinationHandshake {
  private readonly opts: DestinationOptions;
  private readonly publicKey: KeyObject;

  constructor(opts: DestinationOptions) {
    this.opts = opts;
    this.publicKey = createPublicKey(opts.privateKey);
  }

  async reply(req: HandshakeRequest): Promise<HandshakeResponse> {
    const { namespace: dest } = this.opts;
    const src = req.domainId;
    const drName = domainRouteName(src, dest);
    const log = this.opts.log.child({ domainRoute: drName, type: req.type });

    let dr: DomainRoute | undefined;
    try {
      dr = await this.opts.routes.get(drName);
    } catch (err) {
      return failedHandshakeResponse(`domainRoute [${drName}] get error in dest domain [${dest}]: ${message(err)}`);
    }
    if (!dr) return failedHandshakeResponse(`domainRoute [${drName}] not found in dest domain [${dest}]`);

    const tokenConfig = dr.spec?.tokenConfig;
    const method = tokenConfig?.tokenGenMethod ?? '';
    if (!((req.type === HandshakeType.UID && method === 'UID-RSA-GEN') || (req.type === HandshakeType.RSA && method === 'RSA-GEN'))) {
      return failedHandshakeResponse(`handshake type [${req.type}] mismatch in domainroute [${method}]`);
    }
    let sourceKey: KeyObject;
    try {
      sourceKey = parseKusciaPublicKey(tokenConfig?.sourcePublicKey ?? '');
    } catch (err) {
      return failedHandshakeResponse(`invalid source domain [${src}] publickey in domainroute [${drName}], error: ${message(err)}`);
    }

    // token: what this domain stores (encrypted with its own key); reply: what goes back to the source.
    let token: Buffer;
    let reply: Buffer;
    if (req.type === HandshakeType.UID) {
      reply = this.uidToken(dr);
      token = reply;
    } else {
      if (req.tokenConfig?.pubhash !== publicKeyHash(tokenConfig?.sourcePublicKey ?? '')) {
        return failedHandshakeResponse(`source domain [${src}] publickey hash mismatch in domainroute [${drName}]`);
      }
      let sourceHalf: Buffer;
      try {
        sourceHalf = decryptToken(this.opts.privateKey, req.tokenConfig.token, TOKEN_HALF_SIZE);
      } catch (err) {
        log.error({ err: message(err) }, 'cannot decrypt the source token: the source may hold a wrong public key of this domain');
        return failedHandshakeResponse(`dest domain [${dest}] publickey in source domain [${src}] may be not correct`);
      }
      reply = randomTokenBytes(TOKEN_HALF_SIZE);
      token = Buffer.concat([sourceHalf, reply]);
    }

    const tokenEncrypted = encryptToken(this.publicKey, token);
    let replyEncrypted: string;
    try {
      replyEncrypted = encryptToken(sourceKey, reply);
    } catch (err) {
      return failedHandshakeResponse(`encrypt auth token with source domain [${src}] publickey error: ${message(err)}`);
    }

    const now = this.opts.now();
    let revision = 0;
    let expirationMs = 0;
    try {
      await this.opts.routes.updateStatus(drName, (latest) => {
        const tokenStatus = ((latest.status ??= {}).tokenStatus ??= {});
        const previous = tokenStatus.revisionToken ?? { isReady: false };
        revision = (previous.revision ?? 0) + 1;
        expirationMs = destinationExpiration(now, latest.spec?.tokenConfig?.rollingUpdatePeriod);
        tokenStatus.revisionToken = {
          ...previous,
          token: tokenEncrypted,
          revision,
          revisionTime: rfc3339(now),
          isReady: false,
          expirationTime: rfc3339(expirationMs),
        };
      });
    } catch (err) {
      return failedHandshakeResponse(`update domainRoute [${drName}] in dest domain [${dest}] error: ${message(err)}`);
    }
    log.info({ revision }, 'stored the new token revision; waiting for it to be ready');

    const waitError = await this.waitTokenReady(drName, revision);
    if (waitError) return failedHandshakeResponse(`wait token ready in dest domain [${dest}] error: ${waitError}`);

    return { status: { code: 0, message: '' }, token: { token: replyEncrypted, expirationTime: msToUnixNanos(expirationMs), revision } };
  }

  /**
   * UID-RSA-GEN (deprecated; what a lite uses towards its master): the destination makes the whole
   * token, and keeps handing out the current one until the rolling period has passed.
   */
  private uidToken(dr: DomainRoute): Buffer {
    const current = dr.status?.tokenStatus?.revisionToken;
    const period = dr.spec?.tokenConfig?.rollingUpdatePeriod ?? 0;
    const revisionTime = timeMs(current?.revisionTime) ?? 0;
    const stale = !current?.token || (period > 0 && this.opts.now() - revisionTime > period * 1000);
    if (!stale) {
      try {
        return decryptToken(this.opts.privateKey, current.token ?? '', TOKEN_SIZE);
      } catch (err) {
        this.opts.log.warn({ domainRoute: dr.metadata?.name, revision: current.revision, err: message(err) }, 'cannot decrypt the current token; generating a new one');
      }
    }
    return randomTokenBytes(TOKEN_SIZE);
  }

  /** Undefined once the revision is ready; else why not (Kuscia's messages). */
  private async waitTokenReady(drName: string, revision: number): Promise<string | undefined> {
    const tries = Math.max(1, Math.ceil(this.opts.readyTimeoutMs / this.opts.readyPollMs));
    for (let i = 0; i < tries; i++) {
      await sleep(this.opts.readyPollMs);
      let latest: DomainRoute | undefined;
      try {
        latest = await this.opts.routes.get(drName);
      } catch (err) {
        return message(err);
      }
      if (!latest) return `domainroute ${drName} not found`;
      const current = latest.status?.tokenStatus?.revisionToken;
      // A newer handshake took over: this reply's half is not what the destination holds any more.
      if ((current?.revision ?? 0) !== revision) return `token of dr ${drName} was superseded by revision ${current?.revision ?? 0}`;
      if (current?.isReady) return undefined;
      if (!current?.token) return `token of dr ${drName} was deleted `;
    }
    return `wait dr ${drName} token ready failed at max retry times:${tries}`;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
