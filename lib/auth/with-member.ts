import { withTenant, type Tx } from '@/db/client';
import type { MemberContext } from './context';

/** Run reads for a page inside the member's tenant transaction (pages never import db/). */
export function withMember<T>(ctx: MemberContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(ctx.tenant.id, fn);
}

/** Public pages of an organisation (catalogue, landing pages): reads scoped to the tenant from the Host. */
export function withTenantOf<T>(tenant: { id: string }, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(tenant.id, fn);
}
