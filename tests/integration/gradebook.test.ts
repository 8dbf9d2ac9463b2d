import { randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, type Course } from '@/lib/courses/service';
import { addModule } from '@/lib/courses/structure';
import { enrolMembers } from '@/lib/enrolment/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { computeTotals } from '@/lib/gradebook/compute';
import { exportGradebookCsv } from '@/lib/gradebook/export';
import { writeGrade } from '@/lib/gradebook/grades';
import { checkGradeImport, commitGradeImport } from '@/lib/gradebook/import';
import { cellDetail, editCell, gradebookPage, myGrades } from '@/lib/gradebook/service';
import { assignCategories, createCategory, deleteCategory, gradebookSettings, setGradingScheme, updateCategory } from '@/lib/gradebook/settings';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { referenceTotals, rng, type RefCategory, type RefCell, type RefItem } from '../support/gradebook-reference';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());

let acme: Org;
let globex: Org;
let instructor: MemberContext;
let ta: MemberContext;
let otherInstructor: MemberContext;
let course: Course;
let moduleId: string;
const learners: MemberContext[] = [];
const enrolmentOf = new Map<string, string>();

/** Gradable items are inserted directly (the assignment kind is built elsewhere; quiz items need a bank). */
async function addGradable(courseId: string, modId: string, kind: 'quiz' | 'assignment', title: string, position: number, categoryId: string | null = null): Promise<string> {
  const id = randomUUID();
  await owner`insert into course_items (tenant_id, id, course_id, module_id, kind, title, position, grade_category_id)
              values (${acme.tenant.id}, ${id}, ${courseId}, ${modId}, ${kind}, ${title}, ${position}, ${categoryId})`;
  return id;
}

/** A graded cell as quiz settling or hand grading would leave it (automatic, released). */
function grade(itemId: string, learner: MemberContext, score: number | null, points: number, opts: { release?: boolean } = {}) {
  return withTenant(acme.tenant.id, (tx) =>
    writeGrade(tx, acme.tenant.id, { itemId, enrolmentId: enrolmentOf.get(learner.user.id)!, pointsPossible: points, rawScore: score, release: opts.release ?? true }, { userId: null, kind: 'auto' }),
  );
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  instructor = await addMember(acme.tenant, 'instructor');
  otherInstructor = await addMember(acme.tenant, 'instructor');
  ta = await addMember(acme.tenant, 'learner', { name: 'Tessa TA' });
  course = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Statistics' }));
  await as(otherInstructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Another course' }));
  moduleId = (await as(instructor, (tx, ctx) => addModule(tx, ctx, course.id, { title: 'Week 1' }))).id;
  for (const name of ['Ada Lovelace', 'Brook Taylor', 'Carl Gauss']) learners.push(await addMember(acme.tenant, 'learner', { name }));
  await as(instructor, (tx, ctx) =>
    enrolMembers(tx, ctx, course.id, [{ email: ta.user.email, role: 'ta' }, ...learners.map((l) => ({ email: l.user.email, role: 'learner' as const }))]),
  );
  const rows = await owner<{ id: string; user_id: string }[]>`select id, user_id from enrolments where course_id = ${course.id}`;
  for (const r of rows) enrolmentOf.set(r.user_id, r.id);
});

describe('gradebook computation', () => {
  let quizzes: string[];
  let essays: string[];
  let quizCat: string;
  let essayCat: string;

  beforeAll(async () => {
    quizCat = (await as(instructor, (tx, ctx) => createCategory(tx, ctx, course.id, { name: 'Quizzes', weight: 40, dropLowest: 1 }))).id;
    essayCat = (await as(instructor, (tx, ctx) => createCategory(tx, ctx, course.id, { name: 'Essays', weight: 60, dropLowest: 0 }))).id;
    quizzes = [await addGradable(course.id, moduleId, 'quiz', 'Quiz 1', 1), await addGradable(course.id, moduleId, 'quiz', 'Quiz 2', 2), await addGradable(course.id, moduleId, 'quiz', 'Quiz 3', 3)];
    essays = [await addGradable(course.id, moduleId, 'assignment', 'Essay 1', 4), await addGradable(course.id, moduleId, 'assignment', 'Essay 2', 5)];
    await as(instructor, (tx, ctx) => assignCategories(tx, ctx, course.id, [...quizzes.map((itemId) => ({ itemId, categoryId: quizCat })), ...essays.map((itemId) => ({ itemId, categoryId: essayCat }))]));
    const [ada, brook] = learners;
    // Ada: quizzes 10/10, 5/10 (dropped), 8/10 → 90 %; essays 18/20 and ungraded → 90 %. Total 90 %.
    await grade(quizzes[0]!, ada!, 10, 10);
    await grade(quizzes[1]!, ada!, 5, 10);
    await grade(quizzes[2]!, ada!, 8, 10);
    await grade(essays[0]!, ada!, 18, 20);
    // Brook: one quiz 6/10 (nothing dropped: never the only one); Essay 1 excused, Essay 2 15/20 → 40·60 % + 60·75 % = 69 %.
    await grade(quizzes[0]!, brook!, 6, 10);
    await grade(essays[1]!, brook!, 15, 20);
    await as(instructor, (tx, ctx) => editCell(tx, ctx, { action: 'excuse', itemId: essays[0]!, enrolmentId: enrolmentOf.get(brook!.user.id)!, reason: 'Medical note' }));
    // Carl: nothing graded.
  });

  it('weights categories, drops the lowest, ignores excused and ungraded cells, and gives letters', async () => {
    const page = await as(instructor, (tx, ctx) => gradebookPage(tx, ctx, course.slug, {}));
    expect(page.rows.map((r) => r.name)).toEqual(['Ada Lovelace', 'Brook Taylor', 'Carl Gauss']);
    const [ada, brook, carl] = page.rows;
    expect(ada!.categories[quizCat]).toMatchObject({ earned: 18, possible: 20, percent: 90 });
    expect(ada!.categories[essayCat]).toMatchObject({ percent: 90 });
    expect(ada!.dropped).toEqual([quizzes[1]]);
    expect(ada!.total).toBeCloseTo(90, 6);
    expect(ada!.letter).toBe('A-');
    expect(brook!.total).toBeCloseTo(69, 6);
    expect(brook!.letter).toBe('D+');
    expect(brook!.cells[essays[0]!]).toMatchObject({ excused: true, counted: null });
    expect(carl!).toMatchObject({ total: null, letter: null, dropped: [] });
    expect(page.columns.map((c) => [c.name, c.items.length])).toEqual([
      ['Quizzes', 3],
      ['Essays', 2],
    ]);
    expect(page.weighting).toBe('weighted');
  });

  it('sorts by total across the whole course, searches by name or email, and pages', async () => {
    const byTotal = await as(ta, (tx, ctx) => gradebookPage(tx, ctx, course.slug, { sort: 'total' }));
    expect(byTotal.rows.map((r) => r.name)).toEqual(['Ada Lovelace', 'Brook Taylor', 'Carl Gauss']);
    const asc = await as(ta, (tx, ctx) => gradebookPage(tx, ctx, course.slug, { sort: 'total', dir: 'asc' }));
    expect(asc.rows.map((r) => r.name)).toEqual(['Brook Taylor', 'Ada Lovelace', 'Carl Gauss']); // ungraded last either way
    const search = await as(ta, (tx, ctx) => gradebookPage(tx, ctx, course.slug, { q: 'GAUSS' }));
    expect(search.rows.map((r) => r.name)).toEqual(['Carl Gauss']);
    expect(search.total).toBe(1);
    const byEmail = await as(ta, (tx, ctx) => gradebookPage(tx, ctx, course.slug, { q: learners[1]!.user.email }));
    expect(byEmail.rows.map((r) => r.name)).toEqual(['Brook Taylor']);
  });

  it('uses total points when no category has a weight, and a custom letter scheme', async () => {
    await as(instructor, (tx, ctx) => updateCategory(tx, ctx, quizCat, { name: 'Quizzes', weight: 0, dropLowest: 1 }));
    await as(instructor, (tx, ctx) => updateCategory(tx, ctx, essayCat, { name: 'Essays', weight: 0, dropLowest: 0 }));
    await as(instructor, (tx, ctx) => setGradingScheme(tx, ctx, course.id, [{ letter: 'Pass', min: 50 }, { letter: 'Fail', min: 0 }]));
    const page = await as(instructor, (tx, ctx) => gradebookPage(tx, ctx, course.slug, {}));
    // Ada: kept 18/20 quizzes + 18/20 essays = 36/40 = 90 %. Brook: 6/10 + 15/20 = 21/30 = 70 %.
    expect(page.weighting).toBe('points');
    expect(page.rows[0]!.total).toBeCloseTo(90, 6);
    expect(page.rows[1]!.total).toBeCloseTo(70, 6);
    expect(page.rows[0]!.letter).toBe('Pass');
    await as(instructor, (tx, ctx) => updateCategory(tx, ctx, quizCat, { name: 'Quizzes', weight: 40, dropLowest: 1, position: '' as unknown as number }));
    await as(instructor, (tx, ctx) => updateCategory(tx, ctx, essayCat, { name: 'Essays', weight: 60, dropLowest: 0 }));
    await as(instructor, (tx, ctx) => setGradingScheme(tx, ctx, course.id, null));
  });

  it('refuses a letter scheme that is not strictly descending, does not end at 0, or repeats a letter', async () => {
    const bad = [
      [[{ letter: 'A', min: 90 }, { letter: 'B', min: 90 }, { letter: 'F', min: 0 }], 'schemeNotDescending'],
      [[{ letter: 'A', min: 90 }, { letter: 'B', min: 10 }], 'schemeLastNotZero'],
      [[{ letter: 'A', min: 90 }, { letter: 'a', min: 0 }], 'schemeLettersUnique'],
      [[], 'schemeEmpty'],
    ] as const;
    for (const [scheme, code] of bad) {
      await expect(as(instructor, (tx, ctx) => setGradingScheme(tx, ctx, course.id, [...scheme]))).rejects.toMatchObject({ code });
    }
  });

  it('override needs a reason; the history keeps who, when, kind, old → new and the reason; an event is queued', async () => {
    const [ada] = learners;
    const enrolmentId = enrolmentOf.get(ada!.user.id)!;
    await expect(as(ta, (tx, ctx) => editCell(tx, ctx, { action: 'override', itemId: essays[0]!, enrolmentId, score: '19', reason: '  ' }))).rejects.toMatchObject({ code: 'gradeReasonRequired' });
    await expect(as(ta, (tx, ctx) => editCell(tx, ctx, { action: 'override', itemId: essays[0]!, enrolmentId, score: '21', reason: 'x' }))).rejects.toMatchObject({ code: 'gradeScoreAbovePoints' });
    await expect(as(ta, (tx, ctx) => editCell(tx, ctx, { action: 'override', itemId: essays[0]!, enrolmentId, score: '-1', reason: 'x' }))).rejects.toMatchObject({ code: 'gradeScoreNegative' });
    await expect(as(ta, (tx, ctx) => editCell(tx, ctx, { action: 'override', itemId: essays[0]!, enrolmentId, score: 'ten', reason: 'x' }))).rejects.toMatchObject({ code: 'gradeScoreInvalid' });
    // A TA may grade (as in Canvas).
    await as(ta, (tx, ctx) => editCell(tx, ctx, { action: 'override', itemId: essays[0]!, enrolmentId, score: '19.5', reason: 'Regraded after appeal' }));
    const detail = await as(instructor, (tx, ctx) => cellDetail(tx, ctx, { itemId: essays[0]!, enrolmentId }));
    expect(detail.grade).toMatchObject({ score: 18, overrideScore: 19.5, overrideReason: 'Regraded after appeal' });
    expect(detail.history[0]).toMatchObject({ kind: 'override', actorName: 'Tessa TA', oldScore: 18, newScore: 19.5, reason: 'Regraded after appeal' });
    expect(detail.history[1]).toMatchObject({ kind: 'auto', actorName: null, oldScore: null, newScore: 18 });
    const events = await owner<{ payload: Record<string, unknown> }[]>`
      select payload from outbox where name = 'lectern/grade.changed.v1' and payload->>'itemId' = ${essays[0]!} and payload->>'enrolmentId' = ${enrolmentId} order by created_at`;
    expect(events.at(-1)!.payload).toMatchObject({ oldScore: 18, newScore: 19.5, kind: 'override', grader: ta.user.id });
    // Clearing goes back to the graded score, also recorded.
    await as(instructor, (tx, ctx) => editCell(tx, ctx, { action: 'clear', itemId: essays[0]!, enrolmentId, reason: '' }));
    const after = await as(instructor, (tx, ctx) => cellDetail(tx, ctx, { itemId: essays[0]!, enrolmentId }));
    expect(after.grade!.overrideScore).toBeNull();
    expect(after.history[0]).toMatchObject({ kind: 'override', actorName: instructor.user.name, oldScore: 19.5, newScore: 18 });
    const excused = await as(instructor, (tx, ctx) => cellDetail(tx, ctx, { itemId: essays[0]!, enrolmentId: enrolmentOf.get(learners[1]!.user.id)! }));
    expect(excused.history[0]).toMatchObject({ kind: 'excused', oldExcused: false, newExcused: true, reason: 'Medical note', actorName: instructor.user.name });
  });

  it('learners see only their own released grades, computed from released cells', async () => {
    const [ada, brook] = learners;
    // A hand grade not yet released: Ada's Essay 2.
    await grade(essays[1]!, ada!, 2, 20, { release: false });
    const mine = await as(ada!, (tx, ctx) => myGrades(tx, ctx, course.slug));
    expect(mine.cells[essays[1]!]).toEqual({ hidden: true });
    expect(mine.cells[essays[0]!]).toMatchObject({ counted: 18 });
    expect(mine.total).toBeCloseTo(90, 6); // the hidden 2/20 does not count yet
    const staff = await as(instructor, (tx, ctx) => gradebookPage(tx, ctx, course.slug, { q: 'Ada' }));
    expect(staff.rows[0]!.total).toBeCloseTo(0.4 * 90 + 0.6 * 50, 6); // staff see it: essays 20/40
    expect(staff.rows[0]!.cells[essays[1]!]).toMatchObject({ released: false, counted: 2 });
    const json = JSON.stringify(mine);
    expect(json).not.toContain(brook!.user.email);
    expect(json).not.toContain(enrolmentOf.get(brook!.user.id));
    // Nothing of the staff side opens to a learner, for their own cell or anyone else's.
    await expect(as(ada!, (tx, ctx) => gradebookPage(tx, ctx, course.slug, {}))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(ada!, (tx, ctx) => cellDetail(tx, ctx, { itemId: essays[0]!, enrolmentId: enrolmentOf.get(brook!.user.id)! }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(ada!, (tx, ctx) => editCell(tx, ctx, { action: 'override', itemId: essays[0]!, enrolmentId: enrolmentOf.get(ada!.user.id)!, score: '20', reason: 'me' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(ada!, (tx, ctx) => exportGradebookCsv(tx, ctx, course.id))).rejects.toBeInstanceOf(ForbiddenError);
    // Staff are not learners of the course: they have no own-grades page.
    await expect(as(instructor, (tx, ctx) => myGrades(tx, ctx, course.slug))).rejects.toMatchObject({ code: 'notEnrolled' });
  });

  it('TAs edit cells but not settings; other courses’ instructors are refused; another organisation finds nothing', async () => {
    await expect(as(ta, (tx, ctx) => createCategory(tx, ctx, course.id, { name: 'Labs', weight: 10, dropLowest: 0 }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(ta, (tx, ctx) => setGradingScheme(tx, ctx, course.id, null))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(ta, (tx, ctx) => deleteCategory(tx, ctx, quizCat))).rejects.toBeInstanceOf(ForbiddenError);
    expect((await as(ta, (tx, ctx) => gradebookSettings(tx, ctx, course.slug))).access.canAuthor).toBe(false);
    const enrolmentId = enrolmentOf.get(learners[0]!.user.id)!;
    await expect(as(otherInstructor, (tx, ctx) => gradebookPage(tx, ctx, course.slug, {}))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(otherInstructor, (tx, ctx) => editCell(tx, ctx, { action: 'excuse', itemId: quizzes[0]!, enrolmentId, reason: '' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(otherInstructor, (tx, ctx) => checkGradeImport(tx, ctx, course.id, 'email\n'))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(globex.owner, (tx, ctx) => gradebookPage(tx, ctx, course.slug, {}))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(globex.owner, (tx, ctx) => editCell(tx, ctx, { action: 'excuse', itemId: quizzes[0]!, enrolmentId, reason: '' }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(globex.owner, (tx, ctx) => exportGradebookCsv(tx, ctx, course.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(globex.owner, (tx, ctx) => updateCategory(tx, ctx, quizCat, { name: 'x', weight: 1, dropLowest: 0 }))).rejects.toBeInstanceOf(NotFoundError);
    const audit = await owner<{ action: string }[]>`select action from audit_log where tenant_id = ${acme.tenant.id} and action like 'gradebook.%'`;
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['gradebook.category.created', 'gradebook.category.updated', 'gradebook.items.categorised', 'gradebook.scheme.updated']));
  });

  it('exports every learner as CSV with formula-looking cells escaped', async () => {
    await owner`update users set name = '=HYPERLINK("http://evil")' where id = ${learners[2]!.user.id}`;
    const out = await as(ta, (tx, ctx) => exportGradebookCsv(tx, ctx, course.id));
    const parsed = Papa.parse<string[]>(out.csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(['Name', 'Email', 'Quiz 1', 'Quiz 2', 'Quiz 3', 'Essay 1', 'Essay 2', 'Quizzes %', 'Essays %', 'Total %', 'Letter']);
    const carl = parsed.find((r) => r[1] === learners[2]!.user.email)!;
    expect(carl[0]).toBe(`'=HYPERLINK("http://evil")`);
    const brook = parsed.find((r) => r[1] === learners[1]!.user.email)!;
    expect(brook.slice(2, 7)).toEqual(['6', '', '', 'EX', '15']);
    expect(brook.slice(9)).toEqual(['69', 'D+']);
    await owner`update users set name = 'Carl Gauss' where id = ${learners[2]!.user.id}`;
  });

  it('imports manual grades: preview without writing, commit through writeGrade, re-import changes nothing', async () => {
    const [ada, brook, carl] = learners;
    const file = [
      'email,Name,Quiz 1,Essay 2,Quizzes %,Bonus',
      `${ada!.user.email},Ada,9,,90,`, // quiz 1: 10 → 9 (override)
      `${carl!.user.email},Carl,EX,12.5,,`, // quiz 1 excused (no cell yet), essay 2 → 12.5 (score)
      `${brook!.user.email},Brook,6,abc,,`, // quiz 1 unchanged; essay 2 not a number
      `nobody@example.com,Nobody,1,1,,`,
      `${ada!.user.email},Ada again,1,1,,`,
      `${carl!.user.email.toUpperCase()}x,Carl,-1,,,`,
    ].join('\n');
    const check = await as(ta, (tx, ctx) => checkGradeImport(tx, ctx, course.id, file));
    expect(check.rows).toBe(6);
    expect(check.changes.map((c) => [c.email, c.item, c.old, c.new])).toEqual([
      [ada!.user.email, 'Quiz 1', 10, 9],
      [carl!.user.email, 'Quiz 1', null, 'EX'],
      [carl!.user.email, 'Essay 2', null, 12.5],
    ]);
    expect(check.unchanged).toBe(1);
    expect(check.errors.map((e) => [e.line, e.problem])).toEqual([
      [4, 'notNumber'],
      [5, 'unknownLearner'],
      [6, 'duplicateLearner'],
      [7, 'unknownLearner'],
    ]);
    expect(check.ignoredColumns).toEqual(['Name', 'Quizzes %']);
    expect(check.unknownColumns).toEqual(['Bonus']);
    // Nothing written by checking.
    const before = await owner<{ n: number }[]>`select count(*)::int as n from grade_changes where kind = 'import'`;
    expect(before[0]!.n).toBe(0);

    await expect(as(ta, (tx, ctx) => commitGradeImport(tx, ctx, course.id, file, 'stale'))).rejects.toBeInstanceOf(ConflictError);
    const done = await as(ta, (tx, ctx) => commitGradeImport(tx, ctx, course.id, file, check.fingerprint));
    expect(done).toEqual({ changed: 3, skipped: 4 });
    const quiz = await as(instructor, (tx, ctx) => cellDetail(tx, ctx, { itemId: quizzes[0]!, enrolmentId: enrolmentOf.get(ada!.user.id)! }));
    expect(quiz.grade).toMatchObject({ score: 10, overrideScore: 9, overrideReason: 'CSV import' });
    expect(quiz.history[0]).toMatchObject({ kind: 'import', actorName: 'Tessa TA', oldScore: 10, newScore: 9, reason: 'CSV import' });
    const essay = await as(instructor, (tx, ctx) => cellDetail(tx, ctx, { itemId: essays[1]!, enrolmentId: enrolmentOf.get(carl!.user.id)! }));
    expect(essay.grade).toMatchObject({ score: 12.5, overrideScore: null });
    const changes = await owner<{ n: number }[]>`select count(*)::int as n from grade_changes where kind = 'import'`;
    expect(changes[0]!.n).toBe(3);

    // The same file again: no changes, nothing to commit, no new history.
    const again = await as(ta, (tx, ctx) => checkGradeImport(tx, ctx, course.id, file));
    expect(again.changes).toEqual([]);
    await expect(as(ta, (tx, ctx) => commitGradeImport(tx, ctx, course.id, file, again.fingerprint))).rejects.toMatchObject({ code: 'gradeImportNothing' });
    // An unedited export imports as no change at all.
    const exported = await as(ta, (tx, ctx) => exportGradebookCsv(tx, ctx, course.id));
    const roundTrip = await as(ta, (tx, ctx) => checkGradeImport(tx, ctx, course.id, exported.csv));
    expect(roundTrip.changes).toEqual([]);
    expect(roundTrip.errors).toEqual([]);
    const after = await owner<{ n: number }[]>`select count(*)::int as n from grade_changes where kind = 'import'`;
    expect(after[0]!.n).toBe(3);
  });

  it('refuses malformed, empty, oversized and email-less files, writing nothing', async () => {
    const cases: [string, string][] = [
      ['email,Quiz 1\n"unclosed,5\n', 'gradeImportMalformed'],
      ['email,Quiz 1\nada@x.test,5,6\n', 'gradeImportMalformed'],
      ['email,Quiz 1\n\n', 'gradeImportEmpty'],
      ['', 'gradeImportEmpty'],
      ['name,Quiz 1\nAda,5\n', 'gradeImportNoEmail'],
      [`email,Quiz 1\n${'a@x.test,1\n'.repeat(600_000)}`, 'gradeImportTooLarge'],
      [`email,Quiz 1\n${'a@x.test,1\n'.repeat(10_001)}`, 'gradeImportTooManyRows'],
      ['email,Quiz 1,quiz 1\nada@x.test,5,6\n', 'gradeImportDuplicateColumn'],
    ];
    for (const [text, code] of cases) {
      await expect(as(instructor, (tx, ctx) => checkGradeImport(tx, ctx, course.id, text))).rejects.toSatisfy((e: unknown) => e instanceof ValidationError && e.code === code);
    }
  });

  it('deleting a category leaves its items uncategorised', async () => {
    const extra = (await as(instructor, (tx, ctx) => createCategory(tx, ctx, course.id, { name: 'Labs', weight: 0, dropLowest: 0 }))).id;
    const lab = await addGradable(course.id, moduleId, 'quiz', 'Lab 1', 6, extra);
    await as(instructor, (tx, ctx) => deleteCategory(tx, ctx, extra));
    const settings = await as(instructor, (tx, ctx) => gradebookSettings(tx, ctx, course.slug));
    expect(settings.categories.map((c) => [c.name, c.position])).toEqual([
      ['Quizzes', 0],
      ['Essays', 1],
    ]);
    expect(settings.items.find((i) => i.id === lab)!.categoryId).toBeNull();
  });
});

describe('the SQL computation agrees with the reference implementation on random gradebooks', () => {
  const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);
  let c2: Course;
  let mod2: string;

  beforeAll(async () => {
    c2 = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Random' }));
    mod2 = (await as(instructor, (tx, ctx) => addModule(tx, ctx, c2.id, { title: 'M' }))).id;
    const people: MemberContext[] = [];
    for (let i = 0; i < 12; i++) people.push(await addMember(acme.tenant, 'learner', { name: `R${String(i).padStart(2, '0')}` }));
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, c2.id, people.map((p) => ({ email: p.user.email, role: 'learner' as const }))));
  });

  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const r = rng(seed);
      await owner`delete from course_items where course_id = ${c2.id}`;
      await owner`delete from grade_categories where course_id = ${c2.id}`;
      const enrolments = await owner<{ id: string }[]>`select id from enrolments where course_id = ${c2.id} and role = 'learner' order by id`;
      const categories: RefCategory[] = [];
      const allZero = r.chance(0.25);
      for (let i = 0; i < r.int(0, 4); i++) {
        const cat = { id: randomUUID(), weight: allZero ? 0 : r.pick([0, 10, 25, 33.33, 40, 60]), dropLowest: r.pick([0, 0, 1, 2, 5]) };
        categories.push(cat);
        await owner`insert into grade_categories (tenant_id, id, course_id, name, weight, drop_lowest, position) values (${acme.tenant.id}, ${cat.id}, ${c2.id}, ${`C${i}`}, ${cat.weight}, ${cat.dropLowest}, ${i})`;
      }
      const items: RefItem[] = [];
      const itemCount = r.int(1, 12);
      for (let i = 0; i < itemCount; i++) {
        const categoryId = categories.length && r.chance(0.8) ? r.pick(categories).id : null;
        const id = await addGradable(c2.id, mod2, r.pick(['quiz', 'assignment'] as const), `I${i}`, i, categoryId);
        items.push({ id, ord: i, categoryId });
      }
      const cellsBy = new Map<string, RefCell[]>();
      const values: unknown[][] = [];
      for (const e of enrolments) {
        const list: RefCell[] = [];
        for (const item of items) {
          if (r.chance(0.15)) continue; // no cell at all
          const points = r.pick([0, 1, 5, 10, 10, 20, 7.5]);
          const score = r.chance(0.15) ? null : Math.round(r.next() * points * 4) / 4;
          const overrideScore = r.chance(0.15) ? Math.round(r.next() * points * 2) / 2 : null;
          const cell = { itemId: item.id, score, overrideScore, excused: r.chance(0.1), pointsPossible: points, released: r.chance(0.7) };
          list.push(cell);
          values.push([acme.tenant.id, item.id, e.id, cell.score, cell.score, cell.pointsPossible, cell.overrideScore, cell.excused, cell.released ? new Date() : null]);
        }
        cellsBy.set(e.id, list);
      }
      for (const v of values) {
        await owner`insert into grades (tenant_id, item_id, enrolment_id, raw_score, score, points_possible, override_score, excused, released_at) values (${v[0] as string}, ${v[1] as string}, ${v[2] as string}, ${v[3] as number | null}, ${v[4] as number | null}, ${v[5] as number}, ${v[6] as number | null}, ${v[7] as boolean}, ${v[8] as Date | null})`;
      }
      for (const releasedOnly of [false, true]) {
        const sqlRows = await withTenant(acme.tenant.id, (tx) => computeTotals(tx, { courseId: c2.id, releasedOnly }));
        expect(sqlRows.rows).toHaveLength(enrolments.length);
        for (const row of sqlRows.rows) {
          const ref = referenceTotals(items, categories, cellsBy.get(row.enrolmentId)!, { releasedOnly });
          const where = `seed ${seed}, releasedOnly ${releasedOnly}, ${row.name}`;
          if (ref.total === null) expect(row.total, where).toBeNull();
          else expect(row.total, where).toBeCloseTo(ref.total, 8);
          expect(new Set(row.dropped), where).toEqual(ref.dropped);
          expect(Object.keys(row.categories).sort(), where).toEqual([...ref.categories.keys()].sort());
          for (const [key, c] of ref.categories) {
            expect(row.categories[key]!.earned, where).toBeCloseTo(c.earned, 8);
            expect(row.categories[key]!.possible, where).toBeCloseTo(c.possible, 8);
          }
        }
        // Sorting by total and paging: the pages, joined, are the whole course in total order.
        const pages = [];
        for (let p = 1; p <= 3; p++) {
          pages.push(...(await withTenant(acme.tenant.id, (tx) => computeTotals(tx, { courseId: c2.id, releasedOnly, sort: 'total', direction: 'desc', page: { number: p, size: 5 } }))).rows);
        }
        const totals = pages.map((p) => p.total);
        const expected = [...sqlRows.rows].sort((a, b) => (b.total ?? -Infinity) - (a.total ?? -Infinity) || a.name.localeCompare(b.name)).map((x) => x.total);
        expect(totals).toEqual(expected);
      }
    });
  }
});
