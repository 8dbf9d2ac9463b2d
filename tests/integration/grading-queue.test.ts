import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { gradeAttempt, saveAnswer, startAttempt, submitAttempt } from '@/lib/assessment/attempts';
import { createQuestion, type Question } from '@/lib/assessment/bank';
import { gradeAnswerByHand } from '@/lib/assessment/grading';
import { attemptForGrading, gradingQueue } from '@/lib/assessment/queue';
import { releaseGrades } from '@/lib/gradebook/release';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, type Course } from '@/lib/courses/service';
import { addItem, addModule } from '@/lib/courses/structure';
import { enrolMembers, selfEnrol } from '@/lib/enrolment/service';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());


let acme: Org;
let globex: Org;
let instructor: MemberContext;
let ta: MemberContext;
let otherInstructor: MemberContext;
let learner: MemberContext;
let course: Course;
let essay: Question;
let single: Question;
const attemptIds: string[] = [];

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  instructor = await addMember(acme.tenant, 'instructor');
  otherInstructor = await addMember(acme.tenant, 'instructor');
  ta = await addMember(acme.tenant, 'learner', { email: `ta-${Date.now()}@acme.test` });
  course = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Graded by hand' }));
  await as(otherInstructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Someone else’s' }));
  await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [{ email: ta.user.email, role: 'ta' }]));
  const moduleId = (await as(instructor, (tx, ctx) => addModule(tx, ctx, course.id, { title: 'Week 1' }))).id;
  single = await as(instructor, (tx, ctx) =>
    createQuestion(tx, ctx, course.id, { type: 'single_choice', promptHtml: '<p>Pick</p>', points: 2, definition: { options: [{ id: 'a', text: 'A', correct: true }, { id: 'b', text: 'B', correct: false }] } }),
  );
  essay = await as(instructor, (tx, ctx) =>
    createQuestion(tx, ctx, course.id, { type: 'essay', promptHtml: '<p>Explain.</p>', points: 3, definition: { graderNotes: 'GRADER-ONLY rubric' } }),
  );
  await as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, course.id, 'published'));
  const item = await as(instructor, (tx, ctx) => addItem(tx, ctx, moduleId, 'quiz', { title: 'Essay quiz', questionIds: `${single.id},${essay.id}` }));
  for (const n of [1, 2]) {
    const l = await addMember(acme.tenant, 'learner', { name: `Learner ${n}` });
    if (n === 1) learner = l;
    await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, single.id, 'a'));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, essay.id, `Line one ${n}\nLine two`));
    await as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, `submit-key-${n}-abc`));
    await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, attempt.id));
    attemptIds.push(attempt.id);
  }
});

describe('grading queue', () => {
  it('shows course staff the attempts waiting for a person, oldest first', async () => {
    for (const staff of [instructor, ta]) {
      const queue = await as(staff, (tx, ctx) => gradingQueue(tx, ctx, course.slug));
      expect(queue.rows.map((r) => r.attemptId)).toEqual(attemptIds);
      expect(queue.rows[0]).toMatchObject({ quizTitle: 'Essay quiz', learnerName: 'Learner 1', waiting: 1 });
      expect(queue.rows[0]!.learnerEmail).toContain('@');
      expect(queue.rows[0]!.submittedAt).toBeInstanceOf(Date);
    }
  });

  it('refuses learners and other courses’ instructors; another organisation finds nothing', async () => {
    await expect(as(learner, (tx, ctx) => gradingQueue(tx, ctx, course.slug))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(otherInstructor, (tx, ctx) => gradingQueue(tx, ctx, course.slug))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(learner, (tx, ctx) => attemptForGrading(tx, ctx, attemptIds[0]!))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(otherInstructor, (tx, ctx) => attemptForGrading(tx, ctx, attemptIds[0]!))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(globex.owner, (tx, ctx) => gradingQueue(tx, ctx, course.slug))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(globex.owner, (tx, ctx) => attemptForGrading(tx, ctx, attemptIds[0]!))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(instructor, (tx, ctx) => attemptForGrading(tx, ctx, 'not-a-uuid'))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lays out an attempt for grading with answers, scores, grader notes and its neighbours', async () => {
    const view = await as(ta, (tx, ctx) => attemptForGrading(tx, ctx, attemptIds[0]!));
    expect(view.learner.name).toBe('Learner 1');
    expect(view.quiz.title).toBe('Essay quiz');
    expect(view.questions.map((q) => q.id)).toEqual(expect.arrayContaining([single.id, essay.id]));
    const e = view.questions.find((q) => q.id === essay.id)!;
    expect(e).toMatchObject({ type: 'essay', points: 3, score: null, answer: 'Line one 1\nLine two', graderNotes: 'GRADER-ONLY rubric' });
    expect(view.questions.find((q) => q.id === single.id)).toMatchObject({ score: 2, correct: true, graderNotes: null });
    expect(view).toMatchObject({ previousId: null, nextId: attemptIds[1], waiting: 1 });
    const second = await as(ta, (tx, ctx) => attemptForGrading(tx, ctx, attemptIds[1]!));
    expect(second).toMatchObject({ previousId: attemptIds[0], nextId: null });
  });

  it('drops an attempt from the queue once its essay is graded', async () => {
    await as(ta, (tx, ctx) => gradeAnswerByHand(tx, ctx, attemptIds[0]!, essay.id, { score: 2.5 }));
    const queue = await as(instructor, (tx, ctx) => gradingQueue(tx, ctx, course.slug));
    expect(queue.rows.map((r) => r.attemptId)).toEqual([attemptIds[1]]);
    // Graded by a person: listed as ready to release until staff release it.
    expect(queue.toRelease).toEqual([{ itemId: expect.any(String), title: 'Essay quiz', hidden: 1 }]);
    await as(ta, (tx, ctx) => releaseGrades(tx, ctx, queue.toRelease[0]!.itemId));
    expect((await as(instructor, (tx, ctx) => gradingQueue(tx, ctx, course.slug))).toRelease).toEqual([]);
    const view = await as(instructor, (tx, ctx) => attemptForGrading(tx, ctx, attemptIds[0]!));
    expect(view.attempt).toMatchObject({ status: 'graded', score: 4.5, pointsPossible: 5 });
    expect(view.nextId).toBe(attemptIds[1]);
  });
});
