import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '@/lib/errors';
import { FormFlag, OptionalDate, optionalWholeNumber } from '@/lib/courses/schemas';
import { v } from '@/lib/i18n/validation';

/**
 * The pure rules of assignments: what an author may store (content, rubric), how late a submission is,
 * and what lateness costs. No database here, so every rule is unit-tested on its own.
 */

export const SUBMISSION_TYPES = ['text', 'file', 'url'] as const;
export type SubmissionType = (typeof SUBMISSION_TYPES)[number];

export type RubricLevel = { id: string; title: string; points: number };
export type RubricCriterion = { id: string; title: string; description: string; levels: RubricLevel[] };
export type Rubric = { criteria: RubricCriterion[] };

export type AssignmentContent = {
  /** Sanitised by the kind module on write and on render. */
  instructionsHtml: string;
  submissionTypes: SubmissionType[];
  /** With a rubric: the sum of each criterion's highest level. */
  pointsPossible: number;
  dueAt: string | null;
  /** Percent of the raw score taken off per whole day late (0–100). */
  latePenaltyPercent: number;
  /** Days after the due date after which submissions are refused; null = never refused. */
  cutoffDays: number | null;
  allowResubmission: boolean;
  rubric: Rubric | null;
};

export const LIMITS = {
  instructionsHtml: 200_000,
  criteria: 30,
  levels: 10,
  title: 200,
  description: 1_000,
  points: 10_000,
  /** What a learner may send. */
  bodyHtml: 100_000,
  url: 2_000,
  files: 5,
  fileBytes: 25 * 1024 * 1024,
  comment: 5_000,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Whole days late, rounded up: one minute past the due date is one day late. 0 when on time or no due date. */
export function lateDays(dueAt: Date | string | null, submittedAt: Date): number {
  if (!dueAt) return 0;
  const late = submittedAt.getTime() - new Date(dueAt).getTime();
  return late <= 0 ? 0 : Math.ceil(late / DAY_MS);
}

/** Share of the raw score lost, in percent: per-day percent × days late, capped at 100. */
export function penaltyPercent(perDay: number, days: number): number {
  return Math.min(100, Math.max(0, perDay) * Math.max(0, days));
}

/** Points taken off a raw score: raw × min(100, pct × days) / 100, to 2 decimals. */
export function latePenalty(raw: number, perDay: number, days: number): number {
  return round2((raw * penaltyPercent(perDay, days)) / 100);
}

/** The moment after which submissions are refused, or null when there is none. */
export function cutoffAt(content: Pick<AssignmentContent, 'dueAt' | 'cutoffDays'>): Date | null {
  if (!content.dueAt || content.cutoffDays === null) return null;
  return new Date(new Date(content.dueAt).getTime() + content.cutoffDays * DAY_MS);
}

/** A rubric's points possible: each criterion's highest level, summed. */
export function rubricPoints(rubric: Rubric): number {
  return round2(rubric.criteria.reduce((sum, c) => sum + Math.max(0, ...c.levels.map((l) => l.points)), 0));
}

const Id = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/);
const RawRubric = z.object({
  criteria: z.array(
    z.object({
      id: z.unknown().optional(),
      title: z.unknown().optional(),
      description: z.unknown().optional(),
      levels: z.array(z.object({ id: z.unknown().optional(), title: z.unknown().optional(), points: z.unknown().optional() })).optional(),
    }),
  ),
});

const str = (x: unknown) => (typeof x === 'string' ? x.trim() : '');

/**
 * The author's rubric (JSON from the item form, or an object) checked with a message that names the
 * criterion or level at fault. Missing ids are given fresh ones; existing ids are kept, so grades that
 * name them stay readable.
 */
export function parseRubric(raw: unknown): Rubric | null {
  let value = raw;
  if (typeof raw === 'string') {
    if (!raw.trim()) return null;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ValidationError('rubricInvalid', { field: 'rubric' });
    }
  }
  if (value === null || value === undefined) return null;
  const parsed = RawRubric.safeParse(value);
  if (!parsed.success) throw new ValidationError('rubricInvalid', { field: 'rubric' });
  const criteria = parsed.data.criteria;
  if (criteria.length === 0) return null;
  if (criteria.length > LIMITS.criteria) throw new ValidationError('rubricTooManyCriteria', { field: 'rubric', params: { limit: LIMITS.criteria } });
  const seen = new Set<string>();
  const freshId = (x: unknown) => {
    const id = Id.safeParse(x).success ? (x as string).trim() : randomUUID();
    if (seen.has(id)) throw new ValidationError('rubricInvalid', { field: 'rubric' });
    seen.add(id);
    return id;
  };
  const out: RubricCriterion[] = criteria.map((c, i) => {
    const n = i + 1;
    const title = str(c.title);
    if (!title) throw new ValidationError('rubricCriterionTitle', { field: 'rubric', params: { n } });
    if (title.length > LIMITS.title) throw new ValidationError('rubricTextTooLong', { field: 'rubric', params: { n } });
    const description = str(c.description);
    if (description.length > LIMITS.description) throw new ValidationError('rubricTextTooLong', { field: 'rubric', params: { n } });
    const levels = c.levels ?? [];
    if (levels.length === 0) throw new ValidationError('rubricNoLevels', { field: 'rubric', params: { n, title } });
    if (levels.length > LIMITS.levels) throw new ValidationError('rubricTooManyLevels', { field: 'rubric', params: { n, limit: LIMITS.levels } });
    const points = new Set<number>();
    const parsedLevels = levels.map((l, j) => {
      const levelTitle = str(l.title);
      if (!levelTitle) throw new ValidationError('rubricLevelTitle', { field: 'rubric', params: { n, level: j + 1 } });
      if (levelTitle.length > LIMITS.title) throw new ValidationError('rubricTextTooLong', { field: 'rubric', params: { n } });
      const p = typeof l.points === 'number' ? l.points : typeof l.points === 'string' && l.points.trim() ? Number(l.points.replace(',', '.')) : NaN;
      if (!Number.isFinite(p) || p < 0 || p > LIMITS.points || round2(p) !== p) throw new ValidationError('rubricLevelPoints', { field: 'rubric', params: { n, level: j + 1, max: LIMITS.points } });
      if (points.has(p)) throw new ValidationError('rubricDuplicatePoints', { field: 'rubric', params: { n, title, points: p } });
      points.add(p);
      return { id: freshId(l.id), title: levelTitle, points: p };
    });
    return { id: freshId(c.id), title, description, levels: parsedLevels.sort((a, b) => b.points - a.points) };
  });
  const rubric = { criteria: out };
  if (rubricPoints(rubric) <= 0) throw new ValidationError('rubricNoPoints', { field: 'rubric' });
  return rubric;
}

const Settings = z.object({
  pointsPossible: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((x, c) => {
      if (x === null || x === undefined || (typeof x === 'string' && !x.trim())) return null;
      const n = typeof x === 'number' ? x : Number(x.replace(',', '.'));
      if (!Number.isFinite(n) || n <= 0 || n > LIMITS.points || round2(n) !== n) {
        c.addIssue({ code: 'custom', message: v('numberInvalid') });
        return z.NEVER;
      }
      return n;
    }),
  dueAt: OptionalDate.transform((d) => d?.toISOString() ?? null),
  latePenaltyPercent: optionalWholeNumber(0, 100, v('numberInvalid')).transform((n) => n ?? 0),
  cutoffDays: optionalWholeNumber(0, 365, v('daysInvalid')),
  allowResubmission: FormFlag,
});

/** Which submission types the author ticked: an array (JSON) or `typeText` / `typeFile` / `typeUrl` checkboxes (form). */
function submissionTypesOf(raw: Record<string, unknown>): SubmissionType[] {
  if (Array.isArray(raw.submissionTypes)) return SUBMISSION_TYPES.filter((t) => (raw.submissionTypes as unknown[]).includes(t));
  const on = (x: unknown) => x === 'on' || x === 'true' || x === true;
  return SUBMISSION_TYPES.filter((t) => on(raw[`type${t[0]!.toUpperCase()}${t.slice(1)}`]));
}

/**
 * An assignment's settings from the item form (strings) or JSON, checked field by field; the instructions
 * are returned as given (the kind module sanitises them). Throws a ValidationError naming the field.
 */
export function parseAssignmentSettings(raw: Record<string, unknown>): Omit<AssignmentContent, 'instructionsHtml'> {
  const submissionTypes = submissionTypesOf(raw);
  if (submissionTypes.length === 0) throw new ValidationError('assignmentNoSubmissionType', { field: 'submissionTypes' });
  const parsed = Settings.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'pointsPossible');
    const code = field === 'pointsPossible' ? 'assignmentPointsInvalid' : field === 'latePenaltyPercent' ? 'assignmentPenaltyInvalid' : field === 'cutoffDays' ? 'assignmentCutoffInvalid' : field === 'dueAt' ? 'assignmentDueInvalid' : 'assignmentInvalid';
    throw new ValidationError(code, { field });
  }
  const s = parsed.data;
  const rubric = parseRubric(raw.rubric);
  if (s.cutoffDays !== null && !s.dueAt) throw new ValidationError('assignmentCutoffNeedsDue', { field: 'cutoffDays' });
  const pointsPossible = rubric ? rubricPoints(rubric) : s.pointsPossible;
  if (pointsPossible === null) throw new ValidationError('assignmentPointsInvalid', { field: 'pointsPossible' });
  return { submissionTypes, pointsPossible, dueAt: s.dueAt, latePenaltyPercent: s.latePenaltyPercent, cutoffDays: s.cutoffDays, allowResubmission: s.allowResubmission, rubric };
}

/** A learner's URL: http(s) only, no credentials, ≤ 2,000 characters. */
export function parseSubmissionUrl(raw: string): string | null {
  const s = raw.trim();
  if (!s) return null;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new ValidationError('submissionUrlInvalid', { field: 'url' });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || s.length > LIMITS.url) throw new ValidationError('submissionUrlInvalid', { field: 'url' });
  return url.toString();
}

export type RubricSelection = Record<string, { levelId: string; comment?: string }>;

/**
 * A grader's rubric choices checked against the rubric: every criterion chosen once, every level one of
 * that criterion's, no criterion the rubric doesn't have. The points come from the rubric, never the client.
 */
export function scoreRubric(rubric: Rubric, selection: Record<string, unknown>): { raw: number; assessment: Record<string, { levelId: string; points: number; comment?: string }> } {
  const byId = new Map(rubric.criteria.map((c) => [c.id, c]));
  for (const id of Object.keys(selection)) if (!byId.has(id)) throw new ValidationError('rubricCriterionUnknown', { field: 'rubric' });
  const assessment: Record<string, { levelId: string; points: number; comment?: string }> = {};
  let raw = 0;
  rubric.criteria.forEach((c, i) => {
    const chosen = selection[c.id] as { levelId?: unknown; comment?: unknown } | undefined;
    if (!chosen || typeof chosen !== 'object' || typeof chosen.levelId !== 'string' || !chosen.levelId) throw new ValidationError('rubricIncomplete', { field: `criterion-${c.id}`, params: { n: i + 1, title: c.title } });
    const level = c.levels.find((l) => l.id === chosen.levelId);
    if (!level) throw new ValidationError('rubricLevelUnknown', { field: `criterion-${c.id}`, params: { n: i + 1, title: c.title } });
    const comment = typeof chosen.comment === 'string' ? chosen.comment.trim() : '';
    if (comment.length > LIMITS.comment) throw new ValidationError('commentTooLong', { field: `comment-${c.id}`, params: { limit: LIMITS.comment } });
    assessment[c.id] = comment ? { levelId: level.id, points: level.points, comment } : { levelId: level.id, points: level.points };
    raw += level.points;
  });
  return { raw: round2(raw), assessment };
}
