import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { sweepOnce } from '@/lib/jobs/sweeps';
import { drainOnce } from '@/lib/jobs/worker';
import { autoSubmitOverdue, gradeAttempt, learnerAttemptView, saveAnswer, startAttempt, submitAttempt, submitReceipt } from '@/lib/assessment/attempts';
import { createQuestion, updateQuestion, type Question } from '@/lib/assessment/bank';
import { attemptsUsingQuestion, gradeAnswerByHand, learnerAccommodations, regradeQuestion, setAccommodation } from '@/lib/assessment/grading';
import { enrolMembers } from '@/lib/enrolment/service';
import { releaseGrades } from '@/lib/gradebook/release';
import { gradebookAll, myGrades } from '@/lib/gradebook/service';
import { ForbiddenError } from '@/lib/errors';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, type Course } from '@/lib/courses/service';
import { addItem, addModule, type CourseItem } from '@/lib/courses/structure';
import { selfEnrol } from '@/lib/enrolment/service';
import { NotFoundError } from '@/lib/errors';
import { loadPlayer } from '@/lib/learning/player';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());


let acme: Org;
let globex: Org;
const globexOwner = () => globex.owner;
let instructor: MemberContext;
let course: Course;
let moduleId: string;
const q: Record<string, Question> = {};

async function quizItem(title: string, settings: Record<string, string>): Promise<CourseItem> {
  return as(instructor, (tx, ctx) => addItem(tx, ctx, moduleId, 'quiz', { title, required: 'on', ...settings }));
}

async function learnerIn(): Promise<MemberContext> {
  const l = await addMember(acme.tenant, 'learner');
  await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
  return l;
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  instructor = await addMember(acme.tenant, 'instructor');
  course = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Assessed' }));
  moduleId = (await as(instructor, (tx, ctx) => addModule(tx, ctx, course.id, { title: 'Week 1' }))).id;
  const make = (input: Parameters<typeof createQuestion>[3]) => as(instructor, (tx, ctx) => createQuestion(tx, ctx, course.id, input));
  q.single = await make({
    type: 'single_choice',
    promptHtml: '<p>Best chart for a trend?</p>',
    points: 2,
    definition: { options: [{ id: 'line', text: 'Line', correct: true, feedback: 'Time runs left to right.' }, { id: 'pie', text: 'Pie', correct: false }] },
  });
  q.numeric = await make({ type: 'numeric', promptHtml: '<p>22 / 7 to two decimals?</p>', points: 1, definition: { mode: 'exact', value: 3.14, tolerance: 0.005 } });
  q.essay = await make({ type: 'essay', promptHtml: '<p>Explain your choice.</p>', points: 3, definition: { wordLimit: 200, graderNotes: 'GRADER-ONLY: look for time on the x axis' } });
  for (const n of [1, 2, 3]) q[`pool${n}`] = await make({ type: 'true_false', promptHtml: `<p>Statement ${n}</p>`, points: 1, tags: ['warm-up'], definition: { correct: true } });
  await as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, course.id, 'published'));
});

describe('quiz attempts', () => {
  it('never shows a learner the answer key while answering, and freezes the paper', async () => {
    const item = await quizItem('Checkpoint', { questionIds: `${q.single!.id},${q.numeric!.id}`, pools: JSON.stringify([{ tag: 'warm-up', count: 2 }]), shuffleOptions: 'on', showScore: 'immediately', showAnswers: 'immediately' });
    const l = await learnerIn();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    expect(attempt.layout).toHaveLength(4);
    const again = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    expect(again.id).toBe(attempt.id); // resuming, not a second attempt
    const view = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id));
    const json = JSON.stringify(view);
    for (const secret of ['"correct"', 'Time runs left to right', '3.14', 'tolerance', '"correct":true']) expect(json).not.toContain(secret);
    expect(view.results).toBeNull();
    // The player's own payload for the quiz item holds settings and question ids, never definitions.
    const player = await as(l, (tx, ctx) => loadPlayer(tx, ctx, course.slug, item.id));
    const content = JSON.stringify(player.current!.content);
    for (const secret of ['"correct"', 'Time runs left to right', 'tolerance']) expect(content).not.toContain(secret);
  });

  it('autosaves answers, refuses forged questions and wrong shapes, submits once, and grades in the background', async () => {
    const item = await quizItem('Graded', { questionIds: `${q.single!.id},${q.numeric!.id}`, passMark: '50', showScore: 'immediately', showAnswers: 'never' });
    const l = await learnerIn();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'pie'));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'line')); // changed their mind
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.numeric!.id, '3,14'));
    await expect(as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.essay!.id, 'not on my paper'))).rejects.toMatchObject({ code: 'answerForged' });
    await expect(as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, { nope: 1 }))).rejects.toMatchObject({ code: 'answerShape' });
    await expect(as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'forged-option'))).rejects.toMatchObject({ code: 'answerShape' });

    const other = await learnerIn();
    await expect(as(other, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(other, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'other-key-123'))).rejects.toBeInstanceOf(NotFoundError);

    const [first, second] = await Promise.all([
      as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'client-key-1')),
      as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'client-key-1')),
    ]);
    expect(first.id).toBe(second.id);
    const submitted = await owner`select count(*)::int as n from outbox where name = 'lectern/attempt.submitted.v1' and payload->>'attemptId' = ${attempt.id}`;
    expect(submitted[0]!.n).toBe(1);
    await expect(as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'pie'))).rejects.toMatchObject({ code: 'attemptClosed' });

    const pending = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id));
    expect(pending.results).toMatchObject({ score: null }); // submitted, grading not done yet

    await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, attempt.id));
    await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, attempt.id)); // a retried job changes nothing
    const graded = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id));
    expect(graded.attempt.status).toBe('graded');
    expect(graded.results).toMatchObject({ score: 3, pointsPossible: 3 });
    expect(JSON.stringify(graded.results)).not.toContain('"key"'); // answers policy: never
    const events = await owner`select payload from outbox where name = 'lectern/attempt.graded.v1' and payload->>'attemptId' = ${attempt.id}`;
    expect(events).toHaveLength(1);
    const player = await as(l, (tx, ctx) => loadPlayer(tx, ctx, course.slug, null));
    expect(player.modules.flatMap((m) => m.items).find((i) => i.id === item.id)!.completed).toBe(true);
  });

  it('fixes the deadline on the server, refuses late answers, and submits overdue attempts automatically', async () => {
    const item = await quizItem('Timed', { questionIds: `${q.single!.id},${q.essay!.id}`, timeLimitMinutes: '10', attemptsAllowed: '1' });
    const l = await learnerIn();
    const t0 = new Date();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id, t0));
    expect(attempt.deadlineAt!.getTime()).toBe(t0.getTime() + 10 * 60_000);
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.essay!.id, 'Because lines show change.', new Date(t0.getTime() + 60_000)));
    const late = new Date(t0.getTime() + 11 * 60_000);
    await expect(as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'line', late))).rejects.toMatchObject({ code: 'attemptClosed' });
    expect(await withTenant(acme.tenant.id, (tx) => autoSubmitOverdue(tx, acme.tenant.id, late))).toBeGreaterThanOrEqual(1);
    const [row] = await owner`select status, auto_submitted from quiz_attempts where id = ${attempt.id}`;
    expect(row).toMatchObject({ status: 'submitted', auto_submitted: true });
    // The essay waits for a person: the attempt stays submitted after auto-grading.
    const graded = await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, attempt.id));
    expect(graded).toMatchObject({ status: 'submitted', score: 0, pointsPossible: 5 });
    const [essay] = await owner`select answer, score from attempt_answers where attempt_id = ${attempt.id} and question_id = ${q.essay!.id}`;
    expect(essay).toMatchObject({ answer: 'Because lines show change.', score: null });
    await expect(as(l, (tx, ctx) => startAttempt(tx, ctx, item.id, late))).rejects.toMatchObject({ code: 'noAttemptsLeft' });
  });

  it('keeps results hidden until the due date when the policy says so', async () => {
    const due = new Date(Date.now() + 86_400_000);
    const item = await quizItem('Due later', { questionIds: q.single!.id, dueAt: due.toISOString(), showScore: 'after_due', showAnswers: 'after_due' });
    const l = await learnerIn();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'line'));
    await as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'due-later-key'));
    await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, attempt.id));
    const before = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id));
    expect(before.results).toBeNull();
    expect(JSON.stringify(before)).not.toContain('"score":2');
    const after = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id, new Date(due.getTime() + 1000)));
    expect(after.results).toMatchObject({ score: 2, questions: [{ correct: true, feedback: ['Time runs left to right.'] }] });
  });

  it('refuses a quiz built from another course’s questions', async () => {
    const other = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Elsewhere' }));
    const mod = await as(instructor, (tx, ctx) => addModule(tx, ctx, other.id, { title: 'M' }));
    await expect(as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'quiz', { title: 'Borrowed', required: 'on', questionIds: q.single!.id }))).rejects.toMatchObject({ code: 'quizQuestionMissing' });
    await expect(as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'quiz', { title: 'Empty', required: 'on' }))).rejects.toMatchObject({ code: 'quizEmpty' });
  });
});

describe('deadlines without a scheduler', () => {
  it('submits an overdue attempt when the learner comes back to it', async () => {
    const item = await quizItem('Forgotten', { questionIds: q.single!.id, timeLimitMinutes: '5', attemptsAllowed: '2' });
    const l = await learnerIn();
    const t0 = new Date();
    const first = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id, t0));
    const later = new Date(t0.getTime() + 60 * 60_000);
    const view = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, first.id, later));
    expect(view.attempt.status).toBe('submitted');
    const second = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id, later));
    expect(second).toMatchObject({ number: 2, status: 'in_progress' });
  });
});

describe('grading as a background job', () => {
  it('grades a submitted attempt when the worker drains the outbox', async () => {
    const item = await quizItem('Worker-graded', { questionIds: `${q.single!.id},${q.numeric!.id}`, showScore: 'immediately' });
    const l = await learnerIn();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'line'));
    await as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'worker-key-1'));
    expect((await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id))).attempt.status).toBe('submitted');
    await drainOnce();
    const view = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id));
    expect(view.attempt.status).toBe('graded');
    expect(view.results).toMatchObject({ score: 2, pointsPossible: 3 });
  });
});

describe('staff: accommodations, hand grading and regrades', () => {
  it('grants extra time and an extra attempt to one learner', async () => {
    const item = await quizItem('Accommodated', { questionIds: q.single!.id, timeLimitMinutes: '10', attemptsAllowed: '1' });
    const l = await learnerIn();
    await expect(as(l, (tx, ctx) => setAccommodation(tx, ctx, item.id, l.user.id, { extraMinutes: 60, extraAttempts: 5 }))).rejects.toBeInstanceOf(ForbiddenError);
    await as(instructor, (tx, ctx) => setAccommodation(tx, ctx, item.id, l.user.id, { extraMinutes: 15, extraAttempts: 1 }));
    const t0 = new Date();
    const first = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id, t0));
    expect(first.deadlineAt!.getTime()).toBe(t0.getTime() + 25 * 60_000);
    await as(l, (tx, ctx) => submitAttempt(tx, ctx, first.id, 'accommodated-1'));
    const second = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    expect(second.number).toBe(2);
  });

  it('lets course staff grade an essay by hand, then the attempt is graded; others may not', async () => {
    const item = await quizItem('Essay', { questionIds: `${q.single!.id},${q.essay!.id}`, showScore: 'immediately', showAnswers: 'immediately' });
    const l = await learnerIn();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'line'));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.essay!.id, 'Lines show change over time.'));
    await as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'essay-key-1'));
    await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, attempt.id));

    await expect(as(l, (tx, ctx) => gradeAnswerByHand(tx, ctx, attempt.id, q.essay!.id, { score: 3 }))).rejects.toBeInstanceOf(ForbiddenError);
    const stranger = await addMember(acme.tenant, 'instructor');
    await expect(as(stranger, (tx, ctx) => gradeAnswerByHand(tx, ctx, attempt.id, q.essay!.id, { score: 3 }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(globexOwner(), (tx, ctx) => gradeAnswerByHand(tx, ctx, attempt.id, q.essay!.id, { score: 3 }))).rejects.toBeInstanceOf(NotFoundError);

    const ta = await addMember(acme.tenant, 'learner');
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [{ email: ta.user.email, role: 'ta' }]));
    await expect(as(ta, (tx, ctx) => gradeAnswerByHand(tx, ctx, attempt.id, q.essay!.id, { score: 4 }))).rejects.toMatchObject({ code: 'scoreAbovePoints' });
    await as(ta, (tx, ctx) => gradeAnswerByHand(tx, ctx, attempt.id, q.essay!.id, { score: 2.5 }));
    // Graded by a person: hidden from the learner (and from the gradebook they see) until staff release it.
    const hidden = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id));
    expect(hidden.attempt.status).toBe('submitted');
    // A retried submit's receipt says no more than the view does.
    expect(submitReceipt(await as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'essay-key-1'))).status).toBe('submitted');
    expect(hidden.results).toMatchObject({ score: 2 });
    expect(hidden.results!.questions.find((x) => x.id === q.essay!.id)).toMatchObject({ score: null, correct: null });
    const [cell] = await owner`select score, released_at, graded_by from grades where item_id = ${item.id} and enrolment_id = ${attempt.enrolmentId}`;
    expect(cell).toMatchObject({ score: '4.50', released_at: null, graded_by: ta.user.id });
    // Nor does passing complete the quiz before release: that would tell the learner how the essay went.
    const progress = () => owner`select completed_at from item_progress where item_id = ${item.id} and enrolment_id = ${attempt.enrolmentId}`;
    expect((await progress())[0]?.completed_at ?? null).toBeNull();
    await expect(as(l, (tx, ctx) => releaseGrades(tx, ctx, item.id))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await as(ta, (tx, ctx) => releaseGrades(tx, ctx, item.id))).toBe(1);
    expect((await progress())[0]?.completed_at).toBeInstanceOf(Date);
    const view = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id));
    expect(view.attempt.status).toBe('graded');
    expect(view.results).toMatchObject({ score: 4.5, pointsPossible: 5 });
    expect(JSON.stringify(view)).not.toContain('GRADER-ONLY'); // answers are shown immediately here, grader notes never
    const [audit] = await owner`select before, after from audit_log where action = 'attempt.answer_graded' and target_id = ${attempt.id}`;
    expect(audit).toMatchObject({ before: { score: null }, after: { score: 2.5 } });
  });

  it('keeps the best graded attempt in the gradebook, with one history row and one grade.changed event per change', async () => {
    const item = await quizItem('Best of two', { questionIds: `${q.single!.id},${q.numeric!.id}`, attemptsAllowed: '2', showScore: 'immediately' });
    const l = await learnerIn();
    const take = async (single: string, key: string) => {
      const a = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
      await as(l, (tx, ctx) => saveAnswer(tx, ctx, a.id, q.single!.id, single));
      await as(l, (tx, ctx) => submitAttempt(tx, ctx, a.id, key));
      await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, a.id));
      return a;
    };
    const good = await take('line', 'best-of-two-1'); // 2 of 3
    await take('pie', 'best-of-two-2'); // 0 of 3: the better attempt still counts
    const [cell] = await owner`select score, points_possible, attempt_id, released_at, graded_by from grades where item_id = ${item.id} and enrolment_id = ${good.enrolmentId}`;
    expect(cell).toMatchObject({ score: '2.00', points_possible: '3.00', attempt_id: good.id, graded_by: null });
    expect(cell!.released_at).not.toBeNull(); // machine-graded: visible at once
    const history = await owner`select old_score, new_score, kind, actor_id from grade_changes where item_id = ${item.id} and enrolment_id = ${good.enrolmentId}`;
    expect(history).toEqual([{ old_score: null, new_score: '2.00', kind: 'auto', actor_id: null }]);
    const events = await owner`select payload from outbox where name = 'lectern/grade.changed.v1' and payload->>'itemId' = ${item.id}`;
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ enrolmentId: good.enrolmentId, oldScore: null, newScore: 2, pointsPossible: 3, grader: null })]);
  });

  it('shows staff a learner\'s accommodations on every quiz; only authors may change them', async () => {
    const item = await quizItem('Accommodated view', { questionIds: q.single!.id, timeLimitMinutes: '15', attemptsAllowed: '1' });
    const l = await learnerIn();
    await as(instructor, (tx, ctx) => setAccommodation(tx, ctx, item.id, l.user.id, { extraMinutes: 10, extraAttempts: 1 }));
    const ta = await addMember(acme.tenant, 'learner');
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [{ email: ta.user.email, role: 'ta' }]));
    const seen = await as(ta, (tx, ctx) => learnerAccommodations(tx, ctx, course.id, l.user.id));
    expect(seen.canEdit).toBe(false);
    expect(seen.quizzes.find((x) => x.itemId === item.id)).toMatchObject({ timeLimitMinutes: 15, attemptsAllowed: 1, extraMinutes: 10, extraAttempts: 1 });
    await expect(as(ta, (tx, ctx) => setAccommodation(tx, ctx, item.id, l.user.id, { extraMinutes: 0, extraAttempts: 0 }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(l, (tx, ctx) => learnerAccommodations(tx, ctx, course.id, l.user.id))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(globexOwner(), (tx, ctx) => learnerAccommodations(tx, ctx, course.id, l.user.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(instructor, (tx, ctx) => setAccommodation(tx, ctx, item.id, l.user.id, { extraMinutes: -5, extraAttempts: 0 }))).rejects.toMatchObject({ name: 'ZodError' });
    const [audit] = await owner`select before, after from audit_log where action = 'quiz.accommodation_set' and target_id = ${item.id}`;
    expect(audit).toMatchObject({ before: { extraMinutes: 0, extraAttempts: 0 }, after: { extraMinutes: 10, extraAttempts: 1 } });
  });

  it('hides a hand-given score while another essay of the attempt still waits', async () => {
    const second = await as(instructor, (tx, ctx) => createQuestion(tx, ctx, course.id, { type: 'essay', promptHtml: '<p>And why not a pie?</p>', points: 2, definition: {} }));
    const item = await quizItem('Two essays', { questionIds: `${q.single!.id},${q.essay!.id},${second.id}`, showScore: 'immediately', showAnswers: 'immediately' });
    const l = await learnerIn();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'line'));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.essay!.id, 'Time on the x axis.'));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, second.id, 'Parts of a whole only.'));
    await as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'two-essays-1'));
    await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, attempt.id));
    await as(instructor, (tx, ctx) => gradeAnswerByHand(tx, ctx, attempt.id, q.essay!.id, { score: 3 }));
    const view = await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id));
    expect(view.attempt.status).toBe('submitted');
    expect(view.results!.score).toBe(2); // the automatic part only, not the essay's 3
    expect(view.results!.questions.find((x) => x.id === q.essay!.id)).toMatchObject({ score: null, correct: null });
  });

  it("keeps a quiz's score out of the learner's gradebook while its results policy hides it", async () => {
    const item = await quizItem('Secret score', { questionIds: q.single!.id, showScore: 'never' });
    const l = await learnerIn();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'line'));
    await as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'secret-score-1'));
    await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, attempt.id));
    const mine = await as(l, (tx, ctx) => myGrades(tx, ctx, course.slug));
    expect(mine.cells[item.id]).toEqual({ hidden: true });
    expect(JSON.stringify(mine)).not.toContain('"counted":2');
    // Staff see the score, marked as not visible to the learner.
    const book = await as(instructor, (tx, ctx) => gradebookAll(tx, ctx, course.id));
    const cell = book.rows.find((r) => r.enrolmentId === attempt.enrolmentId)!.cells[item.id]!;
    expect(cell).toMatchObject({ counted: 2, released: false });
  });

  it('regrades every attempt after an answer key changes, and audits it', async () => {
    const numeric = await as(instructor, (tx, ctx) => createQuestion(tx, ctx, course.id, { type: 'numeric', promptHtml: '<p>Pi to 2 dp?</p>', points: 1, definition: { mode: 'exact', value: 3.15, tolerance: 0 } }));
    const item = await quizItem('Regraded', { questionIds: numeric.id, showScore: 'immediately' });
    const l = await learnerIn();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, numeric.id, 3.14));
    await as(l, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'regrade-key-1'));
    await withTenant(acme.tenant.id, (tx) => gradeAttempt(tx, acme.tenant.id, attempt.id));
    expect((await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id))).results).toMatchObject({ score: 0 });

    await as(instructor, (tx, ctx) => updateQuestion(tx, ctx, numeric.id, { type: 'numeric', promptHtml: '<p>Pi to 2 dp?</p>', points: 1, definition: { mode: 'exact', value: 3.14, tolerance: 0 } }));
    expect(await as(instructor, (tx, ctx) => attemptsUsingQuestion(tx, ctx, numeric.id))).toBe(1);
    await expect(as(l, (tx, ctx) => attemptsUsingQuestion(tx, ctx, numeric.id))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await as(instructor, (tx, ctx) => regradeQuestion(tx, ctx, numeric.id))).toEqual({ attempts: 1, changed: 1 });
    expect((await as(l, (tx, ctx) => learnerAttemptView(tx, ctx, attempt.id))).results).toMatchObject({ score: 1 });
    const [audit] = await owner`select after from audit_log where action = 'question.regraded' and target_id = ${numeric.id}`;
    expect(audit!.after).toEqual({ attempts: 1, changed: 1 });
    const history = await owner`select old_score, new_score, kind, actor_id from grade_changes where item_id = ${item.id} order by created_at`;
    expect(history).toEqual([
      { old_score: null, new_score: '0.00', kind: 'auto', actor_id: null },
      { old_score: '0.00', new_score: '1.00', kind: 'regrade', actor_id: instructor.user.id },
    ]);
  });
});

describe('the deadline sweep', () => {
  it('submits and then grades an attempt whose learner never came back', async () => {
    const item = await quizItem('Abandoned', { questionIds: q.single!.id, timeLimitMinutes: '1', showScore: 'immediately' });
    const l = await learnerIn();
    const t0 = new Date();
    const attempt = await as(l, (tx, ctx) => startAttempt(tx, ctx, item.id, t0));
    await as(l, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, q.single!.id, 'line', t0));
    expect((await sweepOnce(new Date(t0.getTime() + 30_000)))['auto-submit-overdue-attempts']).toBe(0);
    expect((await sweepOnce(new Date(t0.getTime() + 2 * 60_000)))['auto-submit-overdue-attempts']).toBeGreaterThanOrEqual(1);
    await drainOnce();
    const [row] = await owner`select status, auto_submitted, score from quiz_attempts where id = ${attempt.id}`;
    expect(row).toMatchObject({ status: 'graded', auto_submitted: true, score: '2.00' });
  });
});
