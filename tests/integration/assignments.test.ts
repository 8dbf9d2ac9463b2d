import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentQueue, gradeSubmission, submissionForGrading, submissionsForGrading } from '@/lib/assignments/grading';
import type { AssignmentContent } from '@/lib/assignments/rules';
import { mySubmissions, submitAssignment } from '@/lib/assignments/submissions';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, type Course } from '@/lib/courses/service';
import { addItem, addModule, findItem, updateItem } from '@/lib/courses/structure';
import { enrolMembers, selfEnrol } from '@/lib/enrolment/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { storeUpload } from '@/lib/files/upload';
import { releaseGrades } from '@/lib/gradebook/release';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

// Learners' files go to the local directory store, in a folder of this file's own.
process.env.FILES_STORE = 'local';
process.env.FILES_DIR = mkdtempSync(path.join(os.tmpdir(), 'lectern-assignments-test-'));
const PDF = readFileSync(path.join(import.meta.dirname, '..', '..', 'db', 'seed-assets', 'course-notes.pdf'));

const owner = ownerSql();
afterAll(() => owner.end());

const DAY = 86_400_000;
const due = new Date(Date.now() + 2 * DAY);
const at = (days: number, minutes = 0) => new Date(due.getTime() + days * DAY + minutes * 60_000);

let acme: Org;
let globex: Org;
let instructor: MemberContext;
let ta: MemberContext;
let otherInstructor: MemberContext;
let l1: MemberContext;
let l2: MemberContext;
let l3: MemberContext;
let course: Course;
let moduleId: string;
let essayId: string; // rubric, text/file/url, 10 %/day late, cut-off 3 days, resubmissions allowed
let reportId: string; // 10 points, files only, one submission
let rubric: NonNullable<AssignmentContent['rubric']>;

const RUBRIC = {
  criteria: [
    { title: 'Argument', description: 'Is the claim supported?', levels: [{ title: 'Strong', points: 6 }, { title: 'Weak', points: 2 }, { title: 'Missing', points: 0 }] },
    { title: 'Style', description: '', levels: [{ title: 'Clear', points: 4 }, { title: 'Muddled', points: 1 }] },
  ],
};

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  instructor = await addMember(acme.tenant, 'instructor');
  otherInstructor = await addMember(acme.tenant, 'instructor');
  ta = await addMember(acme.tenant, 'learner', { name: 'Tess TA' });
  course = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Writing' }));
  await as(otherInstructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Another course' }));
  await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [{ email: ta.user.email, role: 'ta' }]));
  moduleId = (await as(instructor, (tx, ctx) => addModule(tx, ctx, course.id, { title: 'Week 1' }))).id;
  const essay = await as(instructor, (tx, ctx) =>
    addItem(tx, ctx, moduleId, 'assignment', {
      title: 'Essay',
      instructionsHtml: '<p>Write <strong>500</strong> words.</p><script>alert(1)</script>',
      submissionTypes: ['text', 'file', 'url'],
      dueAt: due.toISOString(),
      latePenaltyPercent: '10',
      cutoffDays: '3',
      allowResubmission: true,
      rubric: JSON.stringify(RUBRIC),
    }),
  );
  essayId = essay.id;
  rubric = (essay.content as AssignmentContent).rubric!;
  reportId = (await as(instructor, (tx, ctx) => addItem(tx, ctx, moduleId, 'assignment', { title: 'Report', typeFile: 'on', pointsPossible: '10' }))).id;
  await as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, course.id, 'published'));
  l1 = await addMember(acme.tenant, 'learner', { name: 'Ada Learner' });
  l2 = await addMember(acme.tenant, 'learner', { name: 'Bob Learner' });
  l3 = await addMember(acme.tenant, 'learner', { name: 'Cy Learner' });
  for (const l of [l1, l2, l3]) await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
});

describe('authoring an assignment', () => {
  it('stores sanitised instructions, the rubric with ids, and points possible from the rubric', async () => {
    const item = await as(instructor, (tx) => findItem(tx, essayId));
    const c = item!.content as AssignmentContent;
    expect(c.instructionsHtml).toBe('<p>Write <strong>500</strong> words.</p>');
    expect(c).toMatchObject({ submissionTypes: ['text', 'file', 'url'], pointsPossible: 10, latePenaltyPercent: 10, cutoffDays: 3, allowResubmission: true, dueAt: due.toISOString() });
    expect(c.rubric!.criteria.map((x) => x.levels.map((l) => l.points))).toEqual([[6, 2, 0], [4, 1]]);
    expect(new Set(c.rubric!.criteria.flatMap((x) => [x.id, ...x.levels.map((l) => l.id)])).size).toBe(7);
  });

  it('keeps rubric ids across an edit and refuses bad settings with the field at fault', async () => {
    const kept = { title: 'Essay', instructionsHtml: '<p>x</p>', typeText: 'on', dueAt: due.toISOString(), latePenaltyPercent: '10', cutoffDays: '3', allowResubmission: 'on', rubric: JSON.stringify(rubric) };
    const saved = await as(instructor, (tx, ctx) => updateItem(tx, ctx, essayId, { ...kept, typeFile: 'on', typeUrl: 'on' }));
    expect((saved.content as AssignmentContent).rubric).toEqual(rubric);
    const bad = async (raw: Record<string, unknown>, field: string, code: string) => {
      const e = await as(instructor, (tx, ctx) => addItem(tx, ctx, moduleId, 'assignment', { title: 'Bad', ...raw })).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ValidationError);
      expect(e).toMatchObject({ field, code });
    };
    await bad({ pointsPossible: '5' }, 'submissionTypes', 'assignmentNoSubmissionType');
    await bad({ typeText: 'on' }, 'pointsPossible', 'assignmentPointsInvalid');
    await bad({ typeText: 'on', pointsPossible: '-1' }, 'pointsPossible', 'assignmentPointsInvalid');
    await bad({ typeText: 'on', pointsPossible: '5', latePenaltyPercent: '120' }, 'latePenaltyPercent', 'assignmentPenaltyInvalid');
    await bad({ typeText: 'on', pointsPossible: '5', cutoffDays: '2' }, 'cutoffDays', 'assignmentCutoffNeedsDue');
    await bad({ typeText: 'on', rubric: JSON.stringify({ criteria: [{ title: 'Empty', levels: [] }] }) }, 'rubric', 'rubricNoLevels');
    await bad({ typeText: 'on', rubric: JSON.stringify({ criteria: [{ title: 'Twins', levels: [{ title: 'A', points: 2 }, { title: 'B', points: 2 }] }] }) }, 'rubric', 'rubricDuplicatePoints');
    await bad({ typeText: 'on', rubric: JSON.stringify({ criteria: [{ title: 'Neg', levels: [{ title: 'A', points: -2 }] }] }) }, 'rubric', 'rubricLevelPoints');
    await bad({ typeText: 'on', rubric: '{not json' }, 'rubric', 'rubricInvalid');
  });
});

describe('submitting', () => {
  it('refuses a learner of another organisation and staff (they are not learners of it)', async () => {
    await expect(as(globex.owner, (tx, ctx) => submitAssignment(tx, ctx, essayId, { submitKey: 'key-globex-1', bodyHtml: '<p>x</p>' }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(instructor, (tx, ctx) => submitAssignment(tx, ctx, essayId, { submitKey: 'key-staff-01', bodyHtml: '<p>x</p>' }))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('makes version 1, completes the item and emits the event; the same key again is the same version', async () => {
    const s = await as(l1, (tx, ctx) => submitAssignment(tx, ctx, essayId, { submitKey: 'l1-first-key', bodyHtml: '<p>My essay</p><img src=x onerror=alert(1)>' }, at(-1)));
    expect(s).toMatchObject({ version: 1, lateDays: 0, bodyHtml: '<p>My essay</p>' });
    const again = await as(l1, (tx, ctx) => submitAssignment(tx, ctx, essayId, { submitKey: 'l1-first-key', bodyHtml: '<p>Changed</p>' }, at(-1, 1)));
    expect(again.id).toBe(s.id);
    const events = await owner`select payload from outbox where tenant_id = ${acme.tenant.id} and name = 'lectern/assignment.submitted.v1' and payload->>'itemId' = ${essayId}`;
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ version: 1, userId: l1.user.id, lateDays: 0 });
    const progress = await owner`select completed_at from item_progress where tenant_id = ${acme.tenant.id} and item_id = ${essayId}`;
    expect(progress).toHaveLength(1);
    expect(progress[0]!.completed_at).not.toBeNull();
  });

  it('keeps every version: a resubmission is N+1, late days counted in whole days up', async () => {
    const file = await as(l1, (tx, ctx) => storeUpload(tx, ctx, { courseId: course.id, purpose: 'submission', filename: 'essay.pdf', bytes: PDF }));
    const v2 = await as(l1, (tx, ctx) => submitAssignment(tx, ctx, essayId, { submitKey: 'l1-second-key', files: [{ key: file.key, name: 'essay.pdf' }], url: 'https://example.org/draft' }, at(1, 30)));
    expect(v2).toMatchObject({ version: 2, lateDays: 2, url: 'https://example.org/draft', bodyHtml: null });
    expect(v2.files).toEqual([expect.objectContaining({ key: file.key, name: 'essay.pdf', contentType: 'application/pdf' })]);
    const mine = await as(l1, (tx, ctx) => mySubmissions(tx, ctx, essayId));
    expect(mine.versions.map((v) => [v.version, v.lateDays, v.penaltyPercent])).toEqual([[2, 2, 20], [1, 0, 0]]);
    expect(mine.versions[1]!.bodyHtml).toBe('<p>My essay</p>');
    expect(mine.grade).toBeNull();
  });

  it('refuses after the cut-off, the wrong type, oversized text, bad URLs, empty and forged files', async () => {
    const refused = async (ctx: MemberContext, itemId: string, input: Parameters<typeof submitAssignment>[3], code: string, now = at(-1)) => {
      const e = await as(ctx, (tx, c) => submitAssignment(tx, c, itemId, input, now)).catch((x: unknown) => x);
      expect(e, code).toMatchObject({ code });
    };
    await refused(l2, essayId, { submitKey: 'l2-late-key-1', bodyHtml: '<p>late</p>' }, 'assignmentClosed', at(3, 1));
    await refused(l2, reportId, { submitKey: 'l2-report-k1', bodyHtml: '<p>text</p>' }, 'submissionTypeNotAllowed');
    await refused(l2, essayId, { submitKey: 'l2-long-key-1', bodyHtml: `<p>${'x'.repeat(100_001)}</p>` }, 'submissionTextTooLong');
    await refused(l2, essayId, { submitKey: 'l2-url-key-01', url: 'javascript:alert(1)' }, 'submissionUrlInvalid');
    await refused(l2, essayId, { submitKey: 'l2-empty-key1', bodyHtml: '<p></p>' }, 'submissionEmpty');
    await refused(l2, essayId, { submitKey: 'l2-forged-key', files: [{ key: `t/${acme.tenant.id}/00/${'0'.repeat(64)}.pdf`, name: 'x.pdf' }] }, 'fileRequired');
    // Another learner's upload (its key seen in a shared link): not theirs to hand in.
    const someoneElses = await as(l1, (tx, ctx) => storeUpload(tx, ctx, { courseId: course.id, purpose: 'submission', filename: 'mine.pdf', bytes: Buffer.concat([PDF, Buffer.from('\n% l1 only')]) }));
    await refused(l2, essayId, { submitKey: 'l2-borrowed-k', files: [{ key: someoneElses.key, name: 'mine.pdf' }] }, 'fileRequired');
    // Exactly at the cut-off is still accepted: 3 days late, 30 %.
    const last = await as(l2, (tx, ctx) => submitAssignment(tx, ctx, essayId, { submitKey: 'l2-at-cutoff1', bodyHtml: '<p>Just in</p>' }, at(3)));
    expect(last).toMatchObject({ version: 1, lateDays: 3 });
  });

  it('takes one submission only when resubmission is off', async () => {
    const file = await as(l3, (tx, ctx) => storeUpload(tx, ctx, { courseId: course.id, purpose: 'submission', filename: 'report.pdf', bytes: PDF }));
    await as(l3, (tx, ctx) => submitAssignment(tx, ctx, reportId, { submitKey: 'l3-report-k1', files: [{ key: file.key, name: 'report.pdf' }] }));
    await expect(as(l3, (tx, ctx) => submitAssignment(tx, ctx, reportId, { submitKey: 'l3-report-k2', files: [{ key: file.key, name: 'report.pdf' }] }))).rejects.toBeInstanceOf(ConflictError);
  });

  it('lets only enrolled learners upload submission files', async () => {
    await expect(as(otherInstructor, (tx, ctx) => storeUpload(tx, ctx, { courseId: course.id, purpose: 'submission', filename: 'x.pdf', bytes: PDF }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(globex.owner, (tx, ctx) => storeUpload(tx, ctx, { courseId: course.id, purpose: 'submission', filename: 'x.pdf', bytes: PDF }))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('grading', () => {
  const fullMarks = () => Object.fromEntries(rubric.criteria.map((c) => [c.id, { levelId: c.levels[0]!.id }]));

  it('shows staff every learner’s state and the waiting submissions; refuses everyone else', async () => {
    const list = await as(ta, (tx, ctx) => submissionsForGrading(tx, ctx, essayId));
    expect(list.learners.map((l) => [l.name, l.state, l.latestVersion])).toEqual([
      ['Ada Learner', 'submitted', 2],
      ['Bob Learner', 'submitted', 1],
      ['Cy Learner', 'not_submitted', null],
    ]);
    const queue = await as(instructor, (tx, ctx) => assignmentQueue(tx, ctx, course.slug));
    expect(queue.waiting.map((w) => [w.title, w.name, w.version])).toEqual([
      ['Report', 'Cy Learner', 1],
      ['Essay', 'Ada Learner', 2],
      ['Essay', 'Bob Learner', 1],
    ]);
    expect(queue.assignments.find((a) => a.id === essayId)!.counts).toEqual({ not_submitted: 1, submitted: 2, graded_hidden: 0, released: 0 });

    await expect(as(l2, (tx, ctx) => submissionForGrading(tx, ctx, essayId, l1.user.id))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(otherInstructor, (tx, ctx) => submissionForGrading(tx, ctx, essayId, l1.user.id))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(globex.owner, (tx, ctx) => submissionForGrading(tx, ctx, essayId, l1.user.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(globex.owner, (tx, ctx) => assignmentQueue(tx, ctx, course.slug))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(l2, (tx, ctx) => assignmentQueue(tx, ctx, course.slug))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('a learner reads only their own submissions', async () => {
    const mine = await as(l2, (tx, ctx) => mySubmissions(tx, ctx, essayId));
    expect(mine.versions.map((v) => v.bodyHtml)).toEqual(['<p>Just in</p>']);
    expect(JSON.stringify(mine)).not.toContain('My essay');
    await expect(as(globex.owner, (tx, ctx) => mySubmissions(tx, ctx, essayId))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('learners and other courses’ instructors cannot grade', async () => {
    await expect(as(l2, (tx, ctx) => gradeSubmission(tx, ctx, essayId, l1.user.id, { rubric: fullMarks() }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(otherInstructor, (tx, ctx) => gradeSubmission(tx, ctx, essayId, l1.user.id, { rubric: fullMarks() }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(globex.owner, (tx, ctx) => gradeSubmission(tx, ctx, essayId, l1.user.id, { rubric: fullMarks() }))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses forged criteria, levels of another criterion, incomplete rubrics and out-of-range points', async () => {
    const [a, s] = rubric.criteria;
    const grade = (ctx: MemberContext, itemId: string, userId: string, input: Parameters<typeof gradeSubmission>[4]) => as(ctx, (tx, c) => gradeSubmission(tx, c, itemId, userId, input)).catch((e: unknown) => e);
    expect(await grade(ta, essayId, l1.user.id, { rubric: { ...fullMarks(), forged: { levelId: a!.levels[0]!.id } } })).toMatchObject({ code: 'rubricCriterionUnknown' });
    expect(await grade(ta, essayId, l1.user.id, { rubric: { [a!.id]: { levelId: s!.levels[0]!.id }, [s!.id]: { levelId: s!.levels[0]!.id } } })).toMatchObject({ code: 'rubricLevelUnknown' });
    expect(await grade(ta, essayId, l1.user.id, { rubric: { [a!.id]: { levelId: a!.levels[0]!.id } } })).toMatchObject({ code: 'rubricIncomplete' });
    expect(await grade(ta, essayId, l1.user.id, { points: 5 })).toMatchObject({ code: 'rubricIncomplete' });
    expect(await grade(ta, reportId, l3.user.id, { points: 11 })).toMatchObject({ code: 'scoreOutOfRange' });
    expect(await grade(ta, reportId, l3.user.id, { points: -1 })).toMatchObject({ code: 'scoreOutOfRange' });
    expect(await grade(ta, essayId, l1.user.id, { version: 9, rubric: fullMarks() })).toMatchObject({ code: 'submissionMissing' });
    expect(await owner`select 1 from grades where tenant_id = ${acme.tenant.id}`).toHaveLength(0);
  });

  it('grades with the rubric minus the late penalty of the graded version, hidden until released, with history, event and audit', async () => {
    const [a, s] = rubric.criteria;
    // Version 2 was 2 days late at 10 %/day: 20 % off 8 points.
    const g = await as(ta, (tx, ctx) => gradeSubmission(tx, ctx, essayId, l1.user.id, { rubric: { [a!.id]: { levelId: a!.levels[0]!.id, comment: 'Well argued' }, [s!.id]: { levelId: s!.levels[1]!.id } }, comment: 'Good work' }));
    expect(g).toMatchObject({ rawScore: 7, latePenalty: 1.4, score: 5.6, pointsPossible: 10, submissionVersion: 2, comment: 'Good work', releasedAt: null });
    expect(g.rubric).toEqual({ [a!.id]: { levelId: a!.levels[0]!.id, points: 6, comment: 'Well argued' }, [s!.id]: { levelId: s!.levels[1]!.id, points: 1 } });
    // Version 1 was on time: no penalty.
    const on = await as(ta, (tx, ctx) => gradeSubmission(tx, ctx, essayId, l1.user.id, { version: 1, rubric: fullMarks() }));
    expect(on).toMatchObject({ rawScore: 10, latePenalty: 0, score: 10, submissionVersion: 1 });

    const history = await owner`select kind, actor_id, old_score, new_score from grade_changes where tenant_id = ${acme.tenant.id} and item_id = ${essayId} order by created_at`;
    expect(history.map((h) => [h.kind, h.actor_id, h.old_score, h.new_score])).toEqual([
      ['manual', ta.user.id, null, '5.60'],
      ['manual', ta.user.id, '5.60', '10.00'],
    ]);
    const events = await owner`select payload from outbox where tenant_id = ${acme.tenant.id} and name = 'lectern/grade.changed.v1' and payload->>'itemId' = ${essayId}`;
    expect(events).toHaveLength(2);
    const audit = await owner`select action, actor_user_id from audit_log where tenant_id = ${acme.tenant.id} and action = 'assignment.graded'`;
    expect(audit).toHaveLength(2);
    expect(audit[0]!.actor_user_id).toBe(ta.user.id);

    expect((await as(l1, (tx, ctx) => mySubmissions(tx, ctx, essayId))).grade, 'hidden until released').toBeNull();
    const list = await as(ta, (tx, ctx) => submissionsForGrading(tx, ctx, essayId));
    expect(list.learners[0]).toMatchObject({ state: 'graded_hidden', waiting: true }); // version 2 is newer than the graded version 1
  });

  it('lays out one learner with versions and neighbours for "next learner"', async () => {
    const view = await as(instructor, (tx, ctx) => submissionForGrading(tx, ctx, essayId, l1.user.id));
    expect(view.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(view).toMatchObject({ previousUserId: null, nextUserId: l2.user.id, nextWaitingUserId: l2.user.id });
    const last = await as(instructor, (tx, ctx) => submissionForGrading(tx, ctx, essayId, l3.user.id));
    expect(last).toMatchObject({ previousUserId: l2.user.id, nextUserId: null, versions: [] });
    await expect(as(instructor, (tx, ctx) => submissionForGrading(tx, ctx, essayId, ta.user.id))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('releases: the learner then sees score, rubric and comment; a later correction stays visible', async () => {
    await as(ta, (tx, ctx) => gradeSubmission(tx, ctx, essayId, l1.user.id, { version: 2, rubric: fullMarks(), comment: 'Final' }));
    expect(await as(instructor, (tx, ctx) => releaseGrades(tx, ctx, essayId))).toBe(1);
    const mine = await as(l1, (tx, ctx) => mySubmissions(tx, ctx, essayId));
    expect(mine.grade).toMatchObject({ rawScore: 10, latePenalty: 2, score: 8, pointsPossible: 10, submissionVersion: 2, comment: 'Final' });
    expect(Object.keys(mine.grade!.rubric!).sort()).toEqual(rubric.criteria.map((c) => c.id).sort());
    expect((await as(l2, (tx, ctx) => mySubmissions(tx, ctx, essayId))).grade).toBeNull();
    await as(ta, (tx, ctx) => gradeSubmission(tx, ctx, essayId, l1.user.id, { version: 2, rubric: fullMarks(), comment: 'Final, corrected' }));
    expect((await as(l1, (tx, ctx) => mySubmissions(tx, ctx, essayId))).grade).toMatchObject({ comment: 'Final, corrected' });
    const list = await as(ta, (tx, ctx) => submissionsForGrading(tx, ctx, essayId));
    expect(list.learners[0]).toMatchObject({ state: 'released', waiting: false });
  });

  it('a resubmission after grading puts the learner back in the queue', async () => {
    await as(l1, (tx, ctx) => submitAssignment(tx, ctx, essayId, { submitKey: 'l1-third-key', bodyHtml: '<p>v3</p>' }, at(2)));
    const queue = await as(instructor, (tx, ctx) => assignmentQueue(tx, ctx, course.slug));
    expect(queue.waiting.find((w) => w.userId === l1.user.id)).toMatchObject({ version: 3, regrade: true, lateDays: 2 });
  });
});
