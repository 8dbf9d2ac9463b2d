import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { assertRole } from '@/lib/auth/context';
import { changeRole } from '@/lib/members/service';
import { ROLES } from '@/lib/members/roles';
import { endpoint, listOf } from '../endpoint';
import { nextLink, PageQuery, pageOf, pageSize } from '../pagination';
import { ApiProblem } from '../problem';
import { changedAfter, cursorText, findMembership, isUniqueViolation, iso, positionOf, Ref, SisId, Timestamp, UpdatedSince } from './common';

export const Member = z
  .object({
    id: z.uuid().meta({ description: 'The membership id (a person in this organisation).' }),
    user_id: z.uuid(),
    email: z.email(),
    name: z.string(),
    role: z.enum(ROLES),
    sis_id: z.string().nullable(),
    active: z.boolean().meta({ description: 'False once deactivated by provisioning (cannot sign in, holds no seat).' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Member' });

const columns = {
  id: schema.memberships.id,
  userId: schema.memberships.userId,
  email: schema.users.email,
  name: schema.users.name,
  role: schema.memberships.role,
  sisId: schema.memberships.sisId,
  deactivatedAt: schema.memberships.deactivatedAt,
  createdAt: schema.memberships.createdAt,
  updatedAt: schema.memberships.updatedAt,
  cursorAt: cursorText(schema.memberships.updatedAt),
};

type Row = { id: string; userId: string; email: string; name: string; role: (typeof ROLES)[number]; sisId: string | null; deactivatedAt: Date | null; createdAt: Date; updatedAt: Date };

const toMember = (r: Row): z.infer<typeof Member> => ({
  id: r.id,
  user_id: r.userId,
  email: r.email,
  name: r.name,
  role: r.role,
  sis_id: r.sisId,
  active: r.deactivatedAt === null,
  created_at: iso(r.createdAt)!,
  updated_at: iso(r.updatedAt)!,
});

async function memberById(tx: Tx, id: string) {
  const [row] = await tx.select(columns).from(schema.memberships).innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId)).where(eq(schema.memberships.id, id));
  return toMember(row!);
}

export const listMembers = endpoint({
  operationId: 'listMembers',
  method: 'GET',
  path: '/members',
  tag: 'Members',
  summary: 'List the people in the organisation',
  scope: 'members:read',
  paginated: true,
  query: z.strictObject({
    ...PageQuery,
    updated_since: UpdatedSince,
    role: z.enum(ROLES).optional(),
    email: z.string().max(320).optional().meta({ description: 'Exact email address (case-insensitive).' }),
    active: z.enum(['true', 'false']).optional(),
  }),
  response: listOf(Member),
  handler: async (tx, ctx, { query, requestUrl }) => {
    assertRole(ctx, 'admin');
    const size = pageSize(query.limit);
    const rows = await tx
      .select(columns)
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(
        and(
          eq(schema.memberships.tenantId, ctx.tenant.id),
          changedAfter(schema.memberships.updatedAt, schema.memberships.id, query.cursor, query.updated_since),
          query.role ? eq(schema.memberships.role, query.role) : undefined,
          query.email ? eq(schema.users.email, query.email.trim().toLowerCase()) : undefined,
          query.active === 'true' ? isNull(schema.memberships.deactivatedAt) : query.active === 'false' ? isNotNull(schema.memberships.deactivatedAt) : undefined,
        ),
      )
      .orderBy(asc(schema.memberships.updatedAt), asc(schema.memberships.id))
      .limit(size + 1);
    const page = pageOf(rows, size, positionOf);
    return { body: { data: page.rows.map(toMember), next_cursor: page.next }, headers: nextLink(requestUrl, page.next) };
  },
});

export const getMember = endpoint({
  operationId: 'getMember',
  method: 'GET',
  path: '/members/{member}',
  tag: 'Members',
  summary: 'Get one member by id or sis:<id>',
  scope: 'members:read',
  params: z.object({ member: Ref }),
  response: Member,
  problems: [404],
  handler: async (tx, ctx, { params }) => {
    assertRole(ctx, 'admin');
    const found = await findMembership(tx, params.member);
    return { body: await memberById(tx, found.id) };
  },
});

export const updateMember = endpoint({
  operationId: 'updateMember',
  method: 'PATCH',
  path: '/members/{member}',
  tag: 'Members',
  summary: "Set a member's external id or organisation role",
  description: 'Role changes follow the same rules as the members page: only owners touch owners, and the last owner stays.',
  scope: 'members:write',
  params: z.object({ member: Ref }),
  body: z.strictObject({ sis_id: SisId.optional(), role: z.enum(ROLES).optional() }),
  response: Member,
  problems: [404, 409, 422],
  handler: async (tx, ctx, { params, body }) => {
    assertRole(ctx, 'admin');
    const found = await findMembership(tx, params.member);
    if (body.role !== undefined) await changeRole(tx, ctx, { membershipId: found.id, role: body.role });
    if (body.sis_id !== undefined) {
      try {
        await tx.update(schema.memberships).set({ sisId: body.sis_id }).where(eq(schema.memberships.id, found.id));
      } catch (e) {
        if (isUniqueViolation(e, 'memberships_sis_key')) throw new ApiProblem('conflict', `sis_id "${body.sis_id}" already belongs to another member.`);
        throw e;
      }
    }
    return { body: await memberById(tx, found.id) };
  },
});
