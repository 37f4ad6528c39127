/**
 * Who made a request, as Kubernetes' authenticators describe it (user.Info): the name RBAC
 * subjects of kind User match, the groups Group subjects match, and a stable uid when the
 * identity has one (service accounts).
 */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}
