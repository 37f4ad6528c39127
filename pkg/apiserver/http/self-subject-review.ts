import { requireKindOf } from '../registry/type-meta.ts';
import { metaTime } from '../registry/meta-time.ts';
import type { VirtualCreateHandler } from './virtual-resources.ts';

/** authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`): who the server thinks you are. */
export function selfSubjectReviewHandler(now: () => Date): VirtualCreateHandler {
  return ({ rt, body, user }) => {
    const review = requireKindOf(rt, body);
    const userInfo: Record<string, unknown> = { username: user.username };
    if (user.uid) userInfo['uid'] = user.uid;
    userInfo['groups'] = user.groups;
    if (user.extra && Object.keys(user.extra).length > 0) userInfo['extra'] = user.extra;
    const out = { kind: review.kind, apiVersion: review.apiVersion, metadata: { creationTimestamp: metaTime(now()) }, status: { userInfo } };
    return { code: 201, body: JSON.stringify(out) };
  };
}
