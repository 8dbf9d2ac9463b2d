import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { GRADABLE_KINDS } from './release';

/**
 * The gradebook's arithmetic, in SQL (rules in ./README.md). One statement computes, for a course's active
 * learners, each category's percentage after dropping the lowest scores and the weighted total; sorting
 * and paging happen in the same statement, so "sort by total" is right across the whole course. A second
 * statement reads the cells of the page's learners. No per-learner or per-item round trips.
 */

export type GradebookItem = {
  id: string;
  title: string;
  kind: string;
  categoryId: string | null;
  /** Points possible: from the item's grade cells, else what the item says; null = not known yet ("–"). */
  pointsPossible: number | null;
};

export type GradebookCategory = { id: string; name: string; weight: number; dropLowest: number; position: number };

export type CategoryResult = { earned: number; possible: number; percent: number | null };

export type LearnerTotals = {
  enrolmentId: string;
  userId: string;
  name: string;
  email: string;
  /** Keyed by category id; uncategorised items are under the key '' (their own category). */
  categories: Record<string, CategoryResult>;
  /** Weighted total in percent, or null while nothing counts yet. */
  total: number | null;
  /** Items whose score was dropped as one of a category's lowest. */
  dropped: string[];
};

export type Cell = {
  enrolmentId: string;
  itemId: string;
  score: number | null;
  overrideScore: number | null;
  overrideReason: string | null;
  excused: boolean;
  pointsPossible: number;
  /** Visible to the learner: released, and (for a quiz) its results policy shows scores now. */
  released: boolean;
  /** What the cell counts for: null when excused or ungraded. */
  counted: number | null;
};

export const UNCATEGORISED = '';

export type TotalsQuery = {
  courseId: string;
  /** The learner's own view: only released cells exist (and quiz cells only once the quiz's results policy shows scores). */
  releasedOnly?: boolean;
  /** One learner only (their own grades page). */
  enrolmentId?: string;
  /** Case-insensitive substring of name or email. */
  search?: string;
  sort?: 'name' | 'total';
  direction?: 'asc' | 'desc';
  /** Omit for every learner (export, benchmark). */
  page?: { number: number; size: number };
};

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;
const gradableKinds = sql.raw(GRADABLE_KINDS.map((k) => `'${k}'`).join(','));

/**
 * Whether a learner may see an item's score yet (over `course_items i`): a quiz's results policy for scores
 * (`immediately` — the quiz kind's default —, `after_due` once the due date has passed, `never`) holds in the
 * gradebook as it does on the quiz page; other kinds have no such policy.
 */
const policyAllowsScore = sql.raw(
  `(i.kind <> 'quiz' or coalesce(i.content->>'showScore', 'immediately') = 'immediately' or (i.content->>'showScore' = 'after_due' and (i.content->>'dueAt')::timestamptz <= now()))`,
);

/** The course's gradable items in outline order (module position, then item position), with points possible. */
export async function loadGradebookItems(tx: Tx, courseId: string): Promise<GradebookItem[]> {
  const rows = await tx.execute<{ id: string; title: string; kind: string; category_id: string | null; points: string | null }>(sql`
    select i.id, i.title, i.kind, c.id as category_id,
      coalesce(
        -- An assignment says its points (they may have changed since its first grades); a quiz's come from its attempts.
        case when i.kind = 'assignment' and jsonb_typeof(i.content->'pointsPossible') = 'number' then (i.content->>'pointsPossible')::numeric end,
        (select g.points_possible from grades g where g.item_id = i.id limit 1),
        case when i.kind = 'quiz' and coalesce(jsonb_array_length(i.content->'pools'), 0) = 0 and coalesce(jsonb_array_length(i.content->'questionIds'), 0) > 0
          then (select sum(q.points) from questions q where q.id::text in (select jsonb_array_elements_text(i.content->'questionIds'))) end
      ) as points
    from course_items i
    join course_modules m on m.tenant_id = i.tenant_id and m.id = i.module_id
    left join grade_categories c on c.tenant_id = i.tenant_id and c.id = i.grade_category_id and c.course_id = i.course_id
    where i.course_id = ${courseId} and i.kind in (${gradableKinds})
    order by m.position, i.position, i.id`);
  return rows.map((r) => ({ id: r.id, title: r.title, kind: r.kind, categoryId: r.category_id, pointsPossible: num(r.points) }));
}

export async function loadCategories(tx: Tx, courseId: string): Promise<GradebookCategory[]> {
  const rows = await tx.execute<{ id: string; name: string; weight: string; drop_lowest: number; position: number }>(sql`
    select id, name, weight, drop_lowest, position from grade_categories where course_id = ${courseId} order by position, created_at, id`);
  return rows.map((r) => ({ id: r.id, name: r.name, weight: Number(r.weight), dropLowest: r.drop_lowest, position: r.position }));
}

/**
 * Each learner's category percentages and total, computed in one statement. With `page`, also returns how
 * many learners matched (for pagination); sorting by name pages before computing (only the page's learners
 * are computed), sorting by total computes every matching learner and then pages.
 */
export async function computeTotals(tx: Tx, q: TotalsQuery): Promise<{ rows: LearnerTotals[]; matched: number }> {
  const filters: SQL[] = [sql`e.course_id = ${q.courseId}`, sql`e.role = 'learner'`, sql`e.status = 'active'`];
  if (q.enrolmentId) filters.push(sql`e.id = ${q.enrolmentId}`);
  if (q.search) {
    const pattern = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(sql`(u.name ilike ${pattern} or u.email ilike ${pattern})`);
  }
  const where = sql.join(filters, sql` and `);
  const dir = sql.raw(q.direction === 'desc' ? 'desc' : 'asc');
  const byName = q.sort !== 'total';
  const limit = q.page ? sql`limit ${q.page.size} offset ${(q.page.number - 1) * q.page.size}` : sql``;
  const released = q.releasedOnly ? sql`and g.released_at is not null and it.policy_allows` : sql``;
  // Sorting by name: page the learners first, so a page costs the same at 50 or 50,000 learners.
  const learners = byName
    ? sql`select e.id as enrolment_id, e.user_id, u.name, u.email, count(*) over () as matched
          from enrolments e join users u on u.id = e.user_id where ${where}
          order by u.name ${dir}, u.email ${dir}, e.id ${limit}`
    : sql`select e.id as enrolment_id, e.user_id, u.name, u.email, count(*) over () as matched
          from enrolments e join users u on u.id = e.user_id where ${where}`;
  const order = byName ? sql`l.name ${dir}, l.email ${dir}, l.enrolment_id` : sql`t.total ${dir} nulls last, l.name, l.email, l.enrolment_id`;
  // A whole course is a few hundred thousand cells: let the sorts and hashes stay in memory (this transaction only).
  if (!byName || !q.page) await tx.execute(sql`select set_config('work_mem', '64MB', true)`);
  const rows = await tx.execute<{
    enrolment_id: string;
    user_id: string;
    name: string;
    email: string;
    matched: string;
    total: string | null;
    categories: Record<string, { earned: string; possible: string }> | null;
    dropped: string[] | null;
  }>(sql`
    with items as (
      select i.id, c.id as category_id, coalesce(c.drop_lowest, 0) as drop_lowest,
             row_number() over (order by m.position, i.position, i.id) as ord, ${policyAllowsScore} as policy_allows
      from course_items i
      join course_modules m on m.tenant_id = i.tenant_id and m.id = i.module_id
      left join grade_categories c on c.tenant_id = i.tenant_id and c.id = i.grade_category_id and c.course_id = i.course_id
      where i.course_id = ${q.courseId} and i.kind in (${gradableKinds})
    ),
    cats as (select id, weight from grade_categories where course_id = ${q.courseId}),
    weighting as (select coalesce(sum(weight), 0) > 0 as weighted from cats),
    learners as (${learners}),
    counted as (
      select g.enrolment_id, g.item_id, it.category_id, it.drop_lowest, it.ord,
             coalesce(g.override_score, g.score) as counted, g.points_possible as possible
      from grades g
      join items it on it.id = g.item_id
      where g.enrolment_id in (select enrolment_id from learners)
        and not g.excused and coalesce(g.override_score, g.score) is not null ${released}
    ),
    -- Only categories that drop scores need ranking. The percentage is compared as a ratio of whole
    -- cents in float8: exact integers, correctly rounded division, so equal ratios tie exactly.
    dropped as (
      select enrolment_id, category_id, item_id, counted, possible
      from (
        select c.*, row_number() over w as rk, count(*) over (partition by c.enrolment_id, c.category_id) as n
        from counted c where c.drop_lowest > 0
        window w as (partition by c.enrolment_id, c.category_id
                     order by (c.counted * 100)::float8 / nullif(c.possible * 100, 0)::float8 asc nulls last, c.ord)
      ) r
      where r.rk <= least(r.drop_lowest, r.n - 1)
    ),
    per_cat as (
      select a.enrolment_id, a.category_id, a.earned - coalesce(d.earned, 0) as earned, a.possible - coalesce(d.possible, 0) as possible
      from (select enrolment_id, category_id, sum(counted) as earned, sum(possible) as possible from counted group by enrolment_id, category_id) a
      left join (select enrolment_id, category_id, sum(counted) as earned, sum(possible) as possible from dropped group by enrolment_id, category_id) d
        on d.enrolment_id = a.enrolment_id and d.category_id is not distinct from a.category_id
    ),
    totals as (
      select p.enrolment_id,
        case when (select weighted from weighting)
          then 100 * sum(k.weight * p.earned / p.possible) filter (where k.weight > 0 and p.possible > 0)
               / nullif(sum(k.weight) filter (where k.weight > 0 and p.possible > 0), 0)
          else 100 * sum(p.earned) / nullif(sum(p.possible), 0)
        end as total,
        jsonb_object_agg(coalesce(p.category_id::text, ''), jsonb_build_object('earned', p.earned, 'possible', p.possible)) as categories
      from per_cat p
      left join cats k on k.id = p.category_id
      group by p.enrolment_id
    ),
    drops as (select enrolment_id, array_agg(item_id) as dropped from dropped group by enrolment_id)
    select l.enrolment_id, l.user_id, l.name, l.email, l.matched, t.total, t.categories, d.dropped
    from learners l
    left join totals t on t.enrolment_id = l.enrolment_id
    left join drops d on d.enrolment_id = l.enrolment_id
    order by ${order}
    ${byName ? sql`` : limit}`);
  return {
    matched: rows.length ? Number(rows[0]!.matched) : 0,
    rows: rows.map((r) => {
      const categories: Record<string, CategoryResult> = {};
      for (const [k, v] of Object.entries(r.categories ?? {})) {
        const earned = Number(v.earned);
        const possible = Number(v.possible);
        categories[k] = { earned, possible, percent: possible > 0 ? (100 * earned) / possible : null };
      }
      return { enrolmentId: r.enrolment_id, userId: r.user_id, name: r.name, email: r.email, total: num(r.total), categories, dropped: r.dropped ?? [] };
    }),
  };
}

/** The cells of some learners (a page, or everyone for the export), every gradable item of the course. */
export async function loadCells(tx: Tx, courseId: string, enrolmentIds: string[] | 'all'): Promise<Cell[]> {
  if (enrolmentIds !== 'all' && !enrolmentIds.length) return [];
  const who =
    enrolmentIds === 'all'
      ? sql`g.enrolment_id in (select id from enrolments where course_id = ${courseId} and role = 'learner' and status = 'active')`
      : sql`g.enrolment_id = any(${uuidArray(enrolmentIds)}::uuid[])`;
  const rows = await tx.execute<{
    enrolment_id: string;
    item_id: string;
    score: string | null;
    override_score: string | null;
    override_reason: string | null;
    excused: boolean;
    points_possible: string;
    released: boolean;
  }>(sql`
    select g.enrolment_id, g.item_id, g.score, g.override_score, g.override_reason, g.excused, g.points_possible,
           g.released_at is not null and ${policyAllowsScore} as released
    from grades g
    join course_items i on i.tenant_id = g.tenant_id and i.id = g.item_id
    where ${who} and i.course_id = ${courseId} and i.kind in (${gradableKinds})`);
  return rows.map((r) => {
    const score = num(r.score);
    const overrideScore = num(r.override_score);
    return {
      enrolmentId: r.enrolment_id,
      itemId: r.item_id,
      score,
      overrideScore,
      overrideReason: r.override_reason,
      excused: r.excused,
      pointsPossible: Number(r.points_possible),
      released: r.released,
      counted: r.excused ? null : (overrideScore ?? score),
    };
  });
}
