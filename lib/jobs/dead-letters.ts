import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { NotFoundError } from '@/lib/errors';

/**
 * Dead letters: outbox events the worker (or the relay) gave up on — a job failed on every attempt, the
 * payload did not fit its schema, or the event name is unknown. They are kept, never dropped
 * (next_attempt_at = 'infinity' keeps them out of every pass), and an organisation's admins can see them and
 * send them round again once the cause is fixed. Jobs that already succeeded for an event are not re-run
 * (job_runs), so a retry only does what is missing.
 */
const o = schema.outbox;
const dead = and(isNull(o.sentAt), sql`${o.nextAttemptAt} = 'infinity'::timestamptz`);

export const DEAD_LETTER_PAGE_SIZE = 25;

export type DeadLetter = { id: string; name: string; payload: unknown; createdAt: Date; attempts: number; lastError: string | null };

export async function listDeadLetters(tx: Tx, ctx: MemberContext, input: { page: number }): Promise<{ rows: DeadLetter[]; total: number; page: number; pageSize: number; pending: number }> {
  assertRole(ctx, 'admin');
  const page = Math.max(1, input.page);
  const where = and(eq(o.tenantId, ctx.tenant.id), dead);
  const [rows, [total], [pending]] = await Promise.all([
    tx
      .select({ id: o.id, name: o.name, payload: o.payload, createdAt: o.createdAt, attempts: o.attempts, lastError: o.lastError })
      .from(o)
      .where(where)
      .orderBy(desc(o.createdAt), desc(o.id))
      .limit(DEAD_LETTER_PAGE_SIZE)
      .offset((page - 1) * DEAD_LETTER_PAGE_SIZE),
    tx.select({ n: count() }).from(o).where(where),
    tx
      .select({ n: count() })
      .from(o)
      .where(and(eq(o.tenantId, ctx.tenant.id), isNull(o.sentAt), sql`${o.nextAttemptAt} <> 'infinity'::timestamptz`)),
  ]);
  return { rows, total: total!.n, page, pageSize: DEAD_LETTER_PAGE_SIZE, pending: pending!.n };
}

export const RetryDeadLetterInput = z.object({ id: z.union([z.uuid(), z.literal('all')]) });

/** Send one dead letter (or all of them) round again: due now, attempts counted afresh. Audited. */
export async function retryDeadLetters(tx: Tx, ctx: MemberContext, input: z.infer<typeof RetryDeadLetterInput>): Promise<number> {
  assertRole(ctx, 'admin');
  const { id } = RetryDeadLetterInput.parse(input);
  const rows = await tx
    .update(o)
    .set({ nextAttemptAt: sql`now()`, attempts: 0 })
    .where(and(eq(o.tenantId, ctx.tenant.id), dead, id === 'all' ? undefined : eq(o.id, id)))
    .returning({ id: o.id, name: o.name });
  if (!rows.length && id !== 'all') throw new NotFoundError('deadLetterNotFound');
  if (rows.length) {
    await recordAudit(tx, ctx, {
      action: 'jobs.dead_letters_retried',
      targetType: 'outbox',
      targetId: id === 'all' ? null : id,
      targetLabel: id === 'all' ? `${rows.length} events` : rows[0]!.name,
      after: { events: rows.length },
    });
  }
  return rows.length;
}
