import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveQuestion, BANK_FORMAT, createQuestion, exportBank, importBank, listQuestions, updateQuestion } from '@/lib/assessment/bank';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, type Course } from '@/lib/courses/service';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());


const single = {
  type: 'single_choice',
  promptHtml: '<p>Which chart suits a trend over time?</p><script>alert(1)</script>',
  points: 2,
  tags: ['Charts', 'charts'],
  definition: {
    options: [
      { id: 'a', text: 'Line chart', correct: true, feedback: 'Yes: time runs left to right.' },
      { id: 'b', text: 'Pie chart', correct: false },
    ],
  },
};
const numeric = { type: 'numeric', promptHtml: '<p>What is 22 / 7 to two decimals?</p>', points: 1, tags: [], definition: { mode: 'exact', value: 3.14, tolerance: 0.005 } };

let acme: Org;
let globex: Org;
let instructor: MemberContext;
let course: Course;

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  instructor = await addMember(acme.tenant, 'instructor');
  course = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Quizzed' }));
});

describe('question bank', () => {
  it('stores a valid question with its prompt sanitised and tags normalised', async () => {
    const q = await as(instructor, (tx, ctx) => createQuestion(tx, ctx, course.id, single));
    expect(q).toMatchObject({ type: 'single_choice', promptHtml: '<p>Which chart suits a trend over time?</p>', points: 2, tags: ['charts'] });
    const updated = await as(instructor, (tx, ctx) => updateQuestion(tx, ctx, q.id, { ...single, points: 3 }));
    expect(updated.points).toBe(3);
  });

  it('refuses invalid definitions and unknown types with a field error', async () => {
    const twoCorrect = { ...single, definition: { options: [{ id: 'a', text: 'A', correct: true }, { id: 'b', text: 'B', correct: true }] } };
    await expect(as(instructor, (tx, ctx) => createQuestion(tx, ctx, course.id, twoCorrect))).rejects.toMatchObject({ code: 'questionInvalid', field: 'definition' });
    await expect(as(instructor, (tx, ctx) => createQuestion(tx, ctx, course.id, { ...single, type: 'telepathy' }))).rejects.toMatchObject({ code: 'questionInvalid', field: 'type' });
  });

  it('keeps answer keys from learners, other instructors and other organisations', async () => {
    const learner = await addMember(acme.tenant, 'learner');
    const other = await addMember(acme.tenant, 'instructor');
    await expect(as(learner, (tx, ctx) => listQuestions(tx, ctx, course.id))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(other, (tx, ctx) => exportBank(tx, ctx, course.id))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(globex.owner, (tx, ctx) => listQuestions(tx, ctx, course.id))).rejects.toBeInstanceOf(NotFoundError);
    const [q] = await as(instructor, (tx, ctx) => listQuestions(tx, ctx, course.id));
    await expect(as(globex.owner, (tx, ctx) => archiveQuestion(tx, ctx, q!.id))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('exports as JSON and imports all or nothing, naming every bad question', async () => {
    await as(instructor, (tx, ctx) => createQuestion(tx, ctx, course.id, numeric));
    const file = await as(instructor, (tx, ctx) => exportBank(tx, ctx, course.id));
    expect(file.format).toBe(BANK_FORMAT);
    expect(file.questions.map((q) => q.type)).toEqual(['single_choice', 'numeric']);

    const target = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Copy target' }));
    const broken = { format: BANK_FORMAT, questions: [file.questions[0], { ...numeric, definition: { mode: 'range', min: 5, max: 1 } }, { type: 'nope', promptHtml: 'x', points: 1 }] };
    const refused = await as(instructor, (tx, ctx) => importBank(tx, ctx, target.id, broken));
    expect(refused).toMatchObject({ problems: [{ index: 1, field: 'definition' }, { index: 2, field: 'type' }] });
    const [none] = await owner`select count(*)::int as n from questions where course_id = ${target.id}`;
    expect(none!.n).toBe(0);

    expect(await as(instructor, (tx, ctx) => importBank(tx, ctx, target.id, file))).toEqual({ imported: 2 });
    await expect(as(instructor, (tx, ctx) => importBank(tx, ctx, target.id, { questions: [] }))).rejects.toMatchObject({ code: 'bankFileInvalid' });
  });

  it('archives a question out of the bank', async () => {
    const [q] = await as(instructor, (tx, ctx) => listQuestions(tx, ctx, course.id, { tag: 'charts' }));
    await as(instructor, (tx, ctx) => archiveQuestion(tx, ctx, q!.id));
    const left = await as(instructor, (tx, ctx) => listQuestions(tx, ctx, course.id));
    expect(left.map((x) => x.type)).toEqual(['numeric']);
  });
});
