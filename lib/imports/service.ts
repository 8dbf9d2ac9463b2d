import { createHash } from 'node:crypto';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { recordAudit } from '@/lib/audit/service';
import { assertSeats, loadEntitlements, planName, seatUsage } from '@/lib/billing/entitlements';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { emit } from '@/lib/events/outbox';
import type { JobContext } from '@/lib/jobs/registry';
import { hasRole, type Role } from '@/lib/members/roles';
import { PageParam } from '@/lib/schemas';
import { applyEnrolmentRows, applyUserRows, type BatchResult } from './apply';
import { planEnrolments, planUsers, type Action } from './plan';
import {
  dropDuplicates,
  IMPORT_KINDS,
  normaliseEnrolmentRecord,
  normaliseUserRecord,
  parseImportFile,
  type EnrolmentRow,
  type ImportKind,
  type RowError,
  type UserRow,
} from './rows';

/** Rows applied per transaction: a batch commits on its own and moves the progress bar. */
export const BATCH_ROWS = 500;
/** Problems listed on the page; the CSV download has them all. */
export const ERRORS_SHOWN = 100;
export const IMPORTS_PAGE_SIZE = 20;

export const IMPORT_BATCH_EVENT = 'lectern/import.batch.v1' as const;
export const IMPORT_FINISHED_EVENT = 'lectern/import.finished.v1' as const;

export type ImportStatus = 'checked' | 'running' | 'done' | 'failed';
/** A checked row as stored: the normalised row with what the dry run found it would do. */
type StoredRow = (UserRow | EnrolmentRow) & { action: Action; seat: number; nameKept?: boolean };

export const CheckImportInput = z.object({
  kind: z.enum(IMPORT_KINDS),
  fileName: z
    .string()
    .trim()
    .max(200)
    .transform((s) => s || 'import.csv'),
});

const ImportId = z.uuid();

function byLine(a: RowError, b: RowError) {
  return a.line - b.line;
}

/**
 * The dry run: read the file, check every row against the organisation, and keep the result as a `checked`
 * import (the normalised valid rows with what each would do, and every row's problems). Nothing else is
 * written. A problem with the file itself (size, columns, unreadable) refuses it whole.
 */
export async function checkImport(tx: Tx, ctx: MemberContext, input: z.input<typeof CheckImportInput>, text: string): Promise<{ id: string }> {
  assertRole(ctx, 'admin');
  const { kind, fileName } = CheckImportInput.parse(input);
  const file = parseImportFile(kind, text);
  const errors: RowError[] = [...file.cellErrors];
  let stored: StoredRow[];
  if (kind === 'users') {
    const valid: UserRow[] = [];
    for (const r of file.records) {
      const n = normaliseUserRecord(r.line, r.cells);
      if ('row' in n) valid.push(n.row);
      else errors.push(...n.errors);
    }
    const deduped = dropDuplicates(valid, [
      { field: 'email', problem: 'duplicateEmail', key: (r) => r.email },
      { field: 'sis_id', problem: 'duplicateSis', key: (r) => r.sisId },
    ]);
    errors.push(...deduped.errors);
    const { plans, errors: planErrors } = await planUsers(tx, ctx, deduped.rows, { lock: false });
    errors.push(...planErrors);
    stored = plans.map((p) => ({ ...p.row, action: p.action, seat: p.seat, ...(p.nameKept ? { nameKept: true } : {}) }));
  } else {
    const valid: EnrolmentRow[] = [];
    for (const r of file.records) {
      const n = normaliseEnrolmentRecord(r.line, r.cells);
      if ('row' in n) valid.push(n.row);
      else errors.push(...n.errors);
    }
    const deduped = dropDuplicates(valid, [{ field: 'sis_id', problem: 'duplicateSis', key: (r) => r.sisId }]);
    errors.push(...deduped.errors);
    const { plans, errors: planErrors } = await planEnrolments(tx, ctx, deduped.rows, { lock: false });
    errors.push(...planErrors);
    stored = plans.map((p) => ({ ...p.row, action: p.action, seat: p.seat }));
  }
  stored.sort((a, b) => a.line - b.line);
  errors.sort(byLine);
  const [row] = await tx
    .insert(schema.bulkImports)
    .values({
      tenantId: ctx.tenant.id,
      kind,
      fileName,
      fileSha256: createHash('sha256').update(text).digest('hex'),
      status: 'checked',
      totalRows: stored.length,
      rows: stored,
      errors,
      createdBy: ctx.membershipId,
    })
    .returning({ id: schema.bulkImports.id });
  return { id: row!.id };
}

const summaryColumns = {
  id: schema.bulkImports.id,
  kind: schema.bulkImports.kind,
  fileName: schema.bulkImports.fileName,
  status: schema.bulkImports.status,
  totalRows: schema.bulkImports.totalRows,
  processedRows: schema.bulkImports.processedRows,
  created: schema.bulkImports.created,
  updated: schema.bulkImports.updated,
  unchanged: schema.bulkImports.unchanged,
  failed: schema.bulkImports.failed,
  createdAt: schema.bulkImports.createdAt,
  finishedAt: schema.bulkImports.finishedAt,
};

export type ImportProgress = {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
};

/** What the progress bar polls: counters only (never the rows). */
export async function importProgress(tx: Tx, ctx: MemberContext, id: string): Promise<ImportProgress> {
  assertRole(ctx, 'admin');
  if (!ImportId.safeParse(id).success) throw new NotFoundError('importNotFound');
  const [row] = await tx.select(summaryColumns).from(schema.bulkImports).where(eq(schema.bulkImports.id, id));
  if (!row) throw new NotFoundError('importNotFound');
  return { id: row.id, kind: row.kind as ImportKind, status: row.status as ImportStatus, totalRows: row.totalRows, processedRows: row.processedRows, created: row.created, updated: row.updated, unchanged: row.unchanged, failed: row.failed };
}

export type SeatImpact = {
  /** Learner seats the file takes, less those it gives back. */
  adds: number;
  free: number;
  limit: number;
  plan: string;
  pastDueLocked: boolean;
  /** Enrolments: the organisation is over its limit, so learners cannot be enrolled. */
  overLimit: boolean;
  enough: boolean;
};

export type ImportDetail = ImportProgress & {
  fileName: string;
  createdAt: Date;
  finishedAt: Date | null;
  createdByName: string | null;
  /** Rows of the file that have a problem (skipped), and the first problems in line order. */
  errorRows: number;
  errorCount: number;
  errors: RowError[];
  /** A checked import: what its rows would do. */
  preview: { create: number; update: number; unchanged: number; namesKept: number; seats: SeatImpact } | null;
  /** When this same file was imported before (same content and kind), if it was. */
  importedBefore: Date | null;
};

/** One import for its page: the summary, the first problems, and for a checked import its preview with the seat impact now. */
export async function getImport(tx: Tx, ctx: MemberContext, id: string): Promise<ImportDetail> {
  const progress = await importProgress(tx, ctx, id);
  const [row] = await tx.execute<{
    file_name: string;
    created_at: string;
    finished_at: string | null;
    file_sha256: string;
    created_by_name: string | null;
    error_rows: number;
    error_count: number;
    first_errors: RowError[] | null;
  }>(sql`
    select b.file_name, b.created_at, b.finished_at, b.file_sha256, u.name as created_by_name,
      (select count(distinct (e->>'line')) from jsonb_array_elements(b.errors) e where (e->>'line')::int > 0)::int as error_rows,
      jsonb_array_length(b.errors) as error_count,
      (select jsonb_agg(e order by i) from jsonb_array_elements(b.errors) with ordinality t(e, i) where i <= ${ERRORS_SHOWN}) as first_errors
    from bulk_imports b
    left join memberships m on m.tenant_id = b.tenant_id and m.id = b.created_by
    left join users u on u.id = m.user_id
    where b.id = ${id}`);
  let preview: ImportDetail['preview'] = null;
  if (progress.status === 'checked') {
    const counts = await tx.execute<{ action: Action; n: number; seats: number; names: number }>(sql`
      select r->>'action' as action, count(*)::int as n, coalesce(sum((r->>'seat')::int), 0)::int as seats,
        count(*) filter (where (r->>'nameKept')::boolean)::int as names
      from bulk_imports b, jsonb_array_elements(b.rows) r where b.id = ${id} group by 1`);
    const by = Object.fromEntries(counts.map((c) => [c.action, c]));
    const adds = counts.reduce((n, c) => n + c.seats, 0);
    const learnersEnrolled = progress.kind === 'enrolments' && adds > 0;
    preview = {
      create: by.create?.n ?? 0,
      update: by.update?.n ?? 0,
      unchanged: by.unchanged?.n ?? 0,
      namesKept: counts.reduce((n, c) => n + c.names, 0),
      seats: await seatImpact(tx, ctx.tenant.id, progress.kind === 'users' ? adds : 0, learnersEnrolled),
    };
  }
  const [before] = await tx
    .select({ at: schema.bulkImports.finishedAt })
    .from(schema.bulkImports)
    .where(and(eq(schema.bulkImports.fileSha256, row!.file_sha256), eq(schema.bulkImports.kind, progress.kind), eq(schema.bulkImports.status, 'done'), sql`${schema.bulkImports.id} <> ${id}`))
    .orderBy(desc(schema.bulkImports.finishedAt))
    .limit(1);
  return {
    ...progress,
    fileName: row!.file_name,
    createdAt: new Date(row!.created_at),
    finishedAt: row!.finished_at ? new Date(row!.finished_at) : null,
    createdByName: row!.created_by_name,
    errorRows: row!.error_rows,
    errorCount: row!.error_count,
    errors: row!.first_errors ?? [],
    preview,
    importedBefore: before?.at ?? null,
  };
}

/** The seat impact as the dry run shows it: what the file takes, what is free now, and whether it fits. */
async function seatImpact(tx: Tx, tenantId: string, adds: number, enrolsLearners: boolean): Promise<SeatImpact> {
  const [entitlements, usage] = await Promise.all([loadEntitlements(tx, tenantId), seatUsage(tx, tenantId)]);
  const free = Math.max(0, entitlements.seatLimit - usage.learners - usage.pendingInvitations);
  const pastDueLocked = entitlements.pastDue?.locked ?? false;
  const overLimit = enrolsLearners && usage.learners > entitlements.seatLimit;
  return {
    adds,
    free,
    limit: entitlements.seatLimit,
    plan: planName(entitlements.plan),
    pastDueLocked,
    overLimit,
    enough: !overLimit && (adds <= 0 || (!pastDueLocked && adds <= free)),
  };
}

export type ImportListItem = { id: string; kind: ImportKind; fileName: string; status: ImportStatus; totalRows: number; processedRows: number; created: number; updated: number; unchanged: number; failed: number; createdAt: Date; finishedAt: Date | null; createdByName: string | null };

/** Recent imports, newest first (the `bulk_imports_recent_idx` index). */
export async function listImports(tx: Tx, ctx: MemberContext, input: { page?: unknown }) {
  assertRole(ctx, 'admin');
  const page = PageParam.parse(input.page ?? 1);
  const [rows, [total]] = await Promise.all([
    tx
      .select({ ...summaryColumns, createdByName: schema.users.name })
      .from(schema.bulkImports)
      .leftJoin(schema.memberships, and(eq(schema.memberships.tenantId, schema.bulkImports.tenantId), eq(schema.memberships.id, schema.bulkImports.createdBy)))
      .leftJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(eq(schema.bulkImports.tenantId, ctx.tenant.id))
      .orderBy(desc(schema.bulkImports.createdAt), desc(schema.bulkImports.id))
      .limit(IMPORTS_PAGE_SIZE)
      .offset((page - 1) * IMPORTS_PAGE_SIZE),
    tx.select({ n: count() }).from(schema.bulkImports).where(eq(schema.bulkImports.tenantId, ctx.tenant.id)),
  ]);
  return { rows: rows as ImportListItem[], total: total?.n ?? 0, page, pageSize: IMPORTS_PAGE_SIZE };
}

/** Rows [from, from + n) of an import's stored rows, sliced in SQL so a batch never loads the whole file. */
async function storedRows(tx: Tx, id: string, from: number, n: number): Promise<StoredRow[]> {
  const [row] = await tx.execute<{ rows: StoredRow[] | null }>(sql`
    select (select jsonb_agg(r order by i) from jsonb_array_elements(b.rows) with ordinality t(r, i) where i > ${from} and i <= ${from + n}) as rows
    from bulk_imports b where b.id = ${id}`);
  return row?.rows ?? [];
}

async function allStoredRows(tx: Tx, id: string): Promise<StoredRow[]> {
  const [row] = await tx.select({ rows: schema.bulkImports.rows }).from(schema.bulkImports).where(eq(schema.bulkImports.id, id));
  return (row?.rows ?? []) as StoredRow[];
}

/**
 * Start a checked import (by id: the rows are the ones the server checked, never the browser's). The seat
 * check runs again over the whole file as the organisation is now, so a file that adds more learners than
 * there are free seats is refused before anything is written. The person who starts it becomes the import's
 * actor (audit log, welcome mails). The batches then run as a background job.
 */
export async function startImport(tx: Tx, ctx: MemberContext, id: string): Promise<void> {
  assertRole(ctx, 'admin');
  if (!ImportId.safeParse(id).success) throw new NotFoundError('importNotFound');
  const [imp] = await tx.select(summaryColumns).from(schema.bulkImports).where(eq(schema.bulkImports.id, id)).for('update');
  if (!imp) throw new NotFoundError('importNotFound');
  if (imp.status !== 'checked') throw new ConflictError('importAlreadyStarted');
  if (imp.totalRows === 0) throw new ValidationError('importNothingToDo');
  const rows = await allStoredRows(tx, id);
  if (imp.kind === 'users') {
    const { plans } = await planUsers(tx, ctx, rows as UserRow[], { lock: false });
    const adds = plans.reduce((n, p) => n + p.seat, 0);
    if (adds > 0) await assertSeats(tx, ctx.tenant.id, { add: adds });
  } else if (rows.some((r) => r.seat > 0)) {
    await assertSeats(tx, ctx.tenant.id, { add: 0 });
  }
  await tx.update(schema.bulkImports).set({ status: 'running', createdBy: ctx.membershipId }).where(eq(schema.bulkImports.id, id));
  await recordAudit(tx, ctx, { action: 'import.started', targetType: 'import', targetId: id, targetLabel: imp.fileName, after: { kind: imp.kind, rows: imp.totalRows } });
  await emit(tx, ctx.tenant.id, IMPORT_BATCH_EVENT, { importId: id, from: 0 });
}

/** The member an import acts as: whoever started it, while they are still an active admin here. */
async function importerContext(tx: Tx, tenantId: string, membershipId: string | null): Promise<MemberContext | null> {
  if (!membershipId) return null;
  const [row] = await tx.execute<{ id: string; role: Role; deactivated_at: string | null; user_id: string; email: string; name: string; slug: string; tenant_name: string }>(sql`
    select m.id, m.role, m.deactivated_at, u.id as user_id, u.email, u.name, t.slug, t.name as tenant_name
    from memberships m join users u on u.id = m.user_id join tenants t on t.id = m.tenant_id
    where m.tenant_id = ${tenantId} and m.id = ${membershipId}`);
  if (!row || row.deactivated_at || !hasRole(row.role, 'admin')) return null;
  return { tenant: { id: tenantId, slug: row.slug, name: row.tenant_name }, user: { id: row.user_id, email: row.email, name: row.name }, membershipId: row.id, role: row.role };
}

export const ImportBatchPayload = z.object({ importId: z.uuid(), from: z.number().int().min(0) });
export type ImportBatchPayload = z.infer<typeof ImportBatchPayload>;

/**
 * The job: apply the next batch of a running import in the job's transaction, advance its counters, and
 * emit the event for the batch after it (committed together, so a crash redoes this batch, never skips or
 * repeats one). An event for a batch that is already done — a redelivery, a stale duplicate — does nothing.
 */
export async function applyImportBatch({ tx, tenantId, payload, log }: JobContext<ImportBatchPayload>): Promise<{ status: string; processed?: number }> {
  const [imp] = await tx
    .select({ ...summaryColumns, createdBy: schema.bulkImports.createdBy })
    .from(schema.bulkImports)
    .where(and(eq(schema.bulkImports.tenantId, tenantId), eq(schema.bulkImports.id, payload.importId)))
    .for('update');
  if (!imp || imp.status !== 'running' || imp.processedRows !== payload.from) return { status: 'stale' };
  const ctx = await importerContext(tx, tenantId, imp.createdBy);
  if (!ctx) {
    const error: RowError = { line: 0, field: 'file', message: 'importerGone' };
    await tx
      .update(schema.bulkImports)
      .set({ status: 'failed', finishedAt: new Date(), errors: sql`${schema.bulkImports.errors} || ${JSON.stringify([error])}::jsonb` })
      .where(eq(schema.bulkImports.id, imp.id));
    await emit(tx, tenantId, IMPORT_FINISHED_EVENT, { importId: imp.id, kind: imp.kind, status: 'failed', created: imp.created, updated: imp.updated, unchanged: imp.unchanged, failed: imp.failed });
    log.warn({ importId: imp.id }, 'import stopped: the admin who started it is no longer an admin');
    return { status: 'failed' };
  }
  const rows = await storedRows(tx, imp.id, payload.from, BATCH_ROWS);
  const result: BatchResult = imp.kind === 'users' ? await applyUserRows(tx, ctx, rows as UserRow[]) : await applyEnrolmentRows(tx, ctx, rows as EnrolmentRow[]);
  const processed = payload.from + rows.length;
  const done = processed >= imp.totalRows;
  const totals = { created: imp.created + result.created, updated: imp.updated + result.updated, unchanged: imp.unchanged + result.unchanged, failed: imp.failed + result.failed };
  await tx
    .update(schema.bulkImports)
    .set({
      processedRows: processed,
      ...totals,
      ...(result.errors.length ? { errors: sql`${schema.bulkImports.errors} || ${JSON.stringify(result.errors.sort(byLine))}::jsonb` } : {}),
      // The checked rows have served their purpose once applied; the counters and problems stay.
      ...(done ? { status: 'done', finishedAt: new Date(), rows: [] } : {}),
    })
    .where(eq(schema.bulkImports.id, imp.id));
  if (done) {
    await recordAudit(tx, ctx, { action: 'import.finished', targetType: 'import', targetId: imp.id, targetLabel: imp.fileName, after: { kind: imp.kind, rows: imp.totalRows, ...totals } });
    await emit(tx, tenantId, IMPORT_FINISHED_EVENT, { importId: imp.id, kind: imp.kind, status: 'done', ...totals });
  } else {
    await emit(tx, tenantId, IMPORT_BATCH_EVENT, { importId: imp.id, from: processed });
  }
  return { status: done ? 'done' : 'batch', processed };
}

/** Every problem of an import, in line order, for the CSV download. */
export async function importErrors(tx: Tx, ctx: MemberContext, id: string): Promise<{ fileName: string; errors: RowError[] }> {
  assertRole(ctx, 'admin');
  if (!ImportId.safeParse(id).success) throw new NotFoundError('importNotFound');
  const [row] = await tx.select({ fileName: schema.bulkImports.fileName, errors: schema.bulkImports.errors }).from(schema.bulkImports).where(eq(schema.bulkImports.id, id));
  if (!row) throw new NotFoundError('importNotFound');
  return { fileName: row.fileName, errors: (row.errors as RowError[]).slice().sort(byLine) };
}
