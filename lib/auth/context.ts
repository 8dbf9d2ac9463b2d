import type { Role } from '@/lib/members/roles';
import { hasRole } from '@/lib/members/roles';
import { ForbiddenError } from '@/lib/errors';

export type TenantRef = { id: string; slug: string; name: string };

/** Who is acting, where, and with what role: what every service receives. */
export type MemberContext = {
  tenant: TenantRef;
  user: { id: string; email: string; name: string };
  membershipId: string;
  role: Role;
};

/** Services call this themselves, so jobs, webhooks and the API get the same rule as pages. */
export function assertRole(ctx: MemberContext, atLeast: Role): void {
  if (!hasRole(ctx.role, atLeast)) throw new ForbiddenError();
}

/** A session that signed in before the account's last password change has ended. */
export function sessionStillValid(authAt: number | undefined, passwordChangedAt: Date | null): boolean {
  if (!passwordChangedAt) return true;
  return authAt !== undefined && authAt >= Math.floor(passwordChangedAt.getTime() / 1000);
}
