import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { gradeAttempt, saveAnswer, startAttempt, submitAttempt } from '@/lib/assessment/attempts';
import { createQuestion } from '@/lib/assessment/bank';
import { gradeAnswerByHand } from '@/lib/assessment/grading';
import { gradeSubmission } from '@/lib/assignments/grading';
import { submitAssignment } from '@/lib/assignments/submissions';
import { schema, withTenant, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, updateCourse } from '@/lib/courses/service';
import { addItem, addModule } from '@/lib/courses/structure';
import { enrolMembers, selfEnrol } from '@/lib/enrolment/service';
import { storeUpload } from '@/lib/files/upload';
import { editCell } from '@/lib/gradebook/service';
import { assignCategories, createCategory } from '@/lib/gradebook/settings';
import { releaseGrades } from '@/lib/gradebook/release';
import { markItemComplete, recordVideoWatch } from '@/lib/learning/player';

/**
 * Demo courses for a newcomer, built through the same services the UI uses (so the demo is what the
 * product makes): published courses with modules, lessons, an uploaded video and a PDF, a drip-released
 * lesson, a prerequisite, and learners part-way through — plus a pending request and a draft.
 */

const ASSETS = path.join(process.cwd(), 'db', 'seed-assets');

type ItemSpec =
  | { kind: 'lesson'; title: string; html: string; releaseAfterDays?: number; after?: string; optional?: boolean }
  | { kind: 'video'; title: string; upload?: true; url?: string }
  | { kind: 'file'; title: string }
  | { kind: 'link'; title: string; url: string; description: string; optional?: boolean };

type CourseSpec = {
  title: string;
  summary: string;
  description: string;
  category: string;
  tags: string;
  language: string;
  mode: 'open' | 'approval' | 'invite';
  capacity?: number;
  status?: 'published' | 'draft';
  modules: { title: string; items: ItemSpec[] }[];
};

const p = (...paras: string[]) => paras.map((t) => `<p>${t}</p>`).join('');

const ACME: CourseSpec[] = [
  {
    title: 'Data Literacy Essentials',
    summary: 'Read, question and present data with confidence — no maths degree needed.',
    description:
      '<h2>What you will learn</h2><ul><li>How to tell a trustworthy chart from a misleading one</li><li>Cleaning and summarising a table</li><li>Presenting a finding in one slide</li></ul>' +
      p('Six short units, about <strong>three hours</strong> in all. Work at your own pace.'),
    category: 'Data',
    tags: 'data, spreadsheets, charts',
    language: 'en',
    mode: 'open',
    modules: [
      {
        title: 'Thinking in data',
        items: [
          {
            kind: 'lesson',
            title: 'Why data literacy matters',
            html:
              '<h2>Every decision has data behind it</h2>' +
              p('Whether you plan a budget, staff a shift or judge a campaign, someone has turned the world into numbers for you. Data literacy is the habit of asking <em>how</em>.') +
              '<h3>Three questions to ask of any number</h3><ol><li>Where did it come from?</li><li>What is it compared with?</li><li>What is left out?</li></ol>' +
              '<blockquote>“All models are wrong, but some are useful.” — George Box</blockquote>',
          },
          { kind: 'video', title: 'Welcome from your instructor', upload: true },
          { kind: 'file', title: 'Course notes (PDF)' },
        ],
      },
      {
        title: 'Working with tables',
        items: [
          {
            kind: 'lesson',
            title: 'Cleaning a table',
            html: p('Most analysis time goes into cleaning. Look for blank cells, duplicates, units that change half-way down a column and dates typed three different ways.') + '<ul><li>Sort each column and read both ends</li><li>Count distinct values</li><li>Write down every change you make</li></ul>',
          },
          { kind: 'link', title: 'Practice dataset', url: 'https://data.europa.eu/en', description: 'Pick any open dataset that interests you for the exercises.' },
          {
            kind: 'lesson',
            title: 'Your first pivot table',
            html: p('A pivot table answers “how much of what, by which” in seconds. Group by one column, sum another, and sort.') + '<pre><code>Region | Sales\nNorth  | 12,400\nSouth  |  9,850</code></pre>',
            releaseAfterDays: 7,
          },
        ],
      },
    ],
  },
  {
    title: 'Workplace Safety 101',
    summary: 'The essentials every new starter needs in their first week.',
    description: p('Required for all staff. Complete each unit in order; the assessment opens when you have read the policy.'),
    category: 'Compliance',
    tags: 'safety, onboarding',
    language: 'en',
    mode: 'open',
    modules: [
      {
        title: 'Before you start',
        items: [
          { kind: 'lesson', title: 'Our safety policy', html: '<h2>Everyone is responsible</h2>' + p('Report hazards the moment you see them. You will never be blamed for stopping work that looks unsafe.') },
          { kind: 'video', title: 'Fire safety in five minutes', url: 'https://www.youtube.com/watch?v=Xgc90CoJbDI' },
          { kind: 'lesson', title: 'Emergency exits and assembly points', html: p('Find the two nearest exits from your desk now. Our assembly point is the car park by the main gate.'), after: 'Our safety policy' },
        ],
      },
      {
        title: 'Everyday habits',
        items: [
          { kind: 'lesson', title: 'Desk set-up and breaks', html: p('Screen at arm’s length, top of the screen at eye level, feet flat. Stand up every 45 minutes.') },
          { kind: 'link', title: 'Health and safety at work (HSE)', url: 'https://www.hse.gov.uk/', description: 'The regulator’s guidance, for reference.', optional: true },
        ],
      },
    ],
  },
  {
    title: 'Giving Effective Feedback',
    summary: 'A practical workshop for new managers: specific, kind and useful feedback.',
    description: p('Places are limited and approved by the instructor. Request a place and we will confirm within two working days.'),
    category: 'Leadership',
    tags: 'management, communication',
    language: 'en',
    mode: 'approval',
    capacity: 25,
    modules: [
      {
        title: 'The SBI model',
        items: [
          { kind: 'lesson', title: 'Situation, behaviour, impact', html: p('Describe the <strong>situation</strong>, the observable <strong>behaviour</strong>, and its <strong>impact</strong>. Leave out guesses about intent.') },
          { kind: 'video', title: 'A feedback conversation', url: 'https://vimeo.com/76979871' },
        ],
      },
    ],
  },
  {
    title: 'Español para el trabajo',
    summary: 'Spanish for everyday workplace conversations: meetings, email and small talk.',
    description: p('Curso para principiantes. Ten units with vocabulary lists and short dialogues.'),
    category: 'Languages',
    tags: 'spanish, beginner',
    language: 'es',
    mode: 'open',
    modules: [
      {
        title: 'Saludos y presentaciones',
        items: [
          { kind: 'lesson', title: 'Hola, ¿qué tal?', html: p('<strong>Buenos días</strong> — good morning. <strong>Encantado/a</strong> — pleased to meet you.') },
          { kind: 'link', title: 'Diccionario de la lengua española', url: 'https://dle.rae.es/', description: 'The Real Academia’s dictionary.' },
        ],
      },
    ],
  },
  {
    title: 'Advanced Analytics',
    summary: 'Regression, experiments and forecasting. Coming next term.',
    description: p('Draft — not visible in the catalogue yet.'),
    category: 'Data',
    tags: 'statistics',
    language: 'en',
    mode: 'open',
    status: 'draft',
    modules: [{ title: 'Planning', items: [{ kind: 'lesson', title: 'Outline (draft)', html: p('To be written.') }] }],
  },
];

const GLOBEX: CourseSpec[] = [
  {
    title: 'Research Methods',
    summary: 'Designing studies that answer the question you actually asked.',
    description: p('Core module for first-year postgraduates.'),
    category: 'Research',
    tags: 'methods',
    language: 'en',
    mode: 'open',
    modules: [
      {
        title: 'Asking good questions',
        items: [
          { kind: 'lesson', title: 'From topic to question', html: p('A good research question is narrow, answerable and worth answering.') },
          { kind: 'file', title: 'Reading list (PDF)' },
          { kind: 'video', title: 'Introduction', upload: true },
        ],
      },
    ],
  },
  {
    title: 'Academic Writing',
    summary: 'Clear, well-structured writing for essays and papers.',
    description: p('Weekly exercises with feedback.'),
    category: 'Writing',
    tags: 'writing',
    language: 'en',
    mode: 'invite',
    modules: [{ title: 'Structure', items: [{ kind: 'lesson', title: 'The paragraph', html: p('One idea per paragraph; the first sentence says what it is.') }] }],
  },
];

async function memberByEmail(tenant: MemberContext['tenant'], email: string): Promise<MemberContext> {
  return withTenant(tenant.id, async (tx) => {
    const [r] = await tx
      .select({ membershipId: schema.memberships.id, role: schema.memberships.role, id: schema.users.id, email: schema.users.email, name: schema.users.name })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(and(eq(schema.memberships.tenantId, tenant.id), eq(schema.users.email, email)));
    if (!r) throw new Error(`demo: ${email} is not a member of ${tenant.slug}`);
    return { tenant, user: { id: r.id, email: r.email, name: r.name }, membershipId: r.membershipId, role: r.role };
  });
}

async function buildCourse(author: MemberContext, spec: CourseSpec, assets: { video: Buffer; pdf: Buffer }) {
  const as = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(author.tenant.id, fn);
  const course = await as((tx) => createCourse(tx, author, { title: spec.title }));
  await as((tx) =>
    updateCourse(tx, author, course.id, {
      title: spec.title,
      slug: course.slug,
      summary: spec.summary,
      descriptionHtml: spec.description,
      category: spec.category,
      tags: spec.tags,
      language: spec.language,
      enrolmentMode: spec.mode,
      capacity: spec.capacity ? String(spec.capacity) : '',
      startsAt: '',
      endsAt: '',
    } as never),
  );
  const items: { id: string; title: string; kind: string; upload: boolean }[] = [];
  for (const m of spec.modules) {
    const mod = await as((tx) => addModule(tx, author, course.id, { title: m.title }));
    for (const item of m.items) {
      const common: Record<string, unknown> = { title: item.title, required: 'optional' in item && item.optional ? '' : 'on' };
      if (item.kind === 'lesson') {
        Object.assign(common, { html: item.html, releaseAfterDays: item.releaseAfterDays ? String(item.releaseAfterDays) : '' });
        if (item.after) common.prerequisiteItemId = items.find((i) => i.title === item.after)!.id;
      }
      if (item.kind === 'link') Object.assign(common, { url: item.url, description: item.description });
      if (item.kind === 'video' && item.url) common.videoUrl = item.url;
      if ((item.kind === 'video' && item.upload) || item.kind === 'file') {
        const file = item.kind === 'video' ? { filename: 'welcome.webm', bytes: assets.video, purpose: 'video' as const } : { filename: 'course-notes.pdf', bytes: assets.pdf, purpose: 'document' as const };
        const stored = await as((tx) => storeUpload(tx, author, { courseId: course.id, ...file }));
        Object.assign(common, { fileKey: stored.key, filename: stored.filename });
        if (item.kind === 'video') common.durationSeconds = '8'; // what the author's browser measures for intro.webm
      }
      const row = await as((tx) => addItem(tx, author, mod.id, item.kind, common));
      items.push({ id: row.id, title: row.title, kind: row.kind, upload: item.kind === 'video' && Boolean(item.upload) });
    }
  }
  if (spec.status !== 'draft') await as((tx) => setCourseStatus(tx, author, course.id, 'published'));
  return { course, items };
}

/** Learner i works through the first `k` items (videos by watching them), some time ago. */
async function studySome(learner: MemberContext, courseId: string, items: { id: string; kind: string; upload: boolean }[], k: number, daysAgo: number) {
  await withTenant(learner.tenant.id, async (tx) => {
    await selfEnrol(tx, learner, courseId);
    // Back-date the enrolment so drip dates and "last activity" look like a course in progress.
    await tx
      .update(schema.enrolments)
      .set({ enrolledAt: sql`now() - make_interval(days => ${daysAgo})`, createdAt: sql`now() - make_interval(days => ${daysAgo})` })
      .where(and(eq(schema.enrolments.courseId, courseId), eq(schema.enrolments.userId, learner.user.id)));
  });
  for (const item of items.slice(0, k)) {
    await withTenant(learner.tenant.id, async (tx) => {
      if (item.upload) await recordVideoWatch(tx, learner, item.id, { duration: 8, ranges: [[0, 8]] });
      else await markItemComplete(tx, learner, item.id).catch(() => undefined); // a still-locked drip item stays open work
      await tx
        .update(schema.enrolments)
        .set({ lastItemId: item.id, lastActivityAt: sql`now() - make_interval(hours => ${Math.floor(Math.random() * 72)})` })
        .where(and(eq(schema.enrolments.courseId, courseId), eq(schema.enrolments.userId, learner.user.id)));
    });
  }
}

export async function seedDemoCourses(tenant: MemberContext['tenant'], log: (line: string) => void = console.log): Promise<void> {
  const assets = { video: await readFile(path.join(ASSETS, 'intro.webm')), pdf: await readFile(path.join(ASSETS, 'course-notes.pdf')) };
  const instructor = await memberByEmail(tenant, `instructor1@${tenant.slug}.test`);
  const specs = tenant.slug === 'acme' ? ACME : GLOBEX;
  const built = [];
  for (const spec of specs) built.push(await buildCourse(instructor, spec, assets));
  const learners = await Promise.all(Array.from({ length: 12 }, (_, i) => memberByEmail(tenant, `learner${i + 1}@${tenant.slug}.test`)));

  const [first, second, third] = built;
  // The first course: twelve learners at every stage, from just enrolled to finished.
  for (const [i, l] of learners.entries()) await studySome(l, first!.course.id, first!.items, i % (first!.items.length + 1), 3 + i);
  if (tenant.slug === 'acme') {
    const { moduleId, quizId } = await addDemoQuiz(instructor, first!.course.id, learners.slice(0, 5));
    const assignmentId = await addDemoAssignment(instructor, moduleId, learners.slice(0, 6));
    await setUpDemoGradebook(instructor, first!.course.id, { quizId, assignmentId }, learners[1]!);
  }
  if (tenant.slug === 'acme') {
    // learner1 has finished the safety course and is part-way through data literacy.
    await studySome(learners[0]!, second!.course.id, second!.items, second!.items.length, 20);
    for (const l of learners.slice(1, 5)) await studySome(l, second!.course.id, second!.items, 2, 10);
    // Requests waiting for the instructor in the approval course, and two people already in.
    for (const l of learners.slice(4, 6)) await withTenant(tenant.id, (tx) => selfEnrol(tx, l, third!.course.id));
    await withTenant(tenant.id, (tx) => enrolMembers(tx, instructor, third!.course.id, learners.slice(6, 8).map((l) => ({ email: l.user.email, role: 'learner' as const }))));
    const ta = await memberByEmail(tenant, `instructor2@${tenant.slug}.test`);
    await withTenant(tenant.id, (tx) => enrolMembers(tx, instructor, first!.course.id, [{ email: ta.user.email, role: 'ta' }]));
  }
  log(`Seeded ${built.length} courses for ${tenant.slug}.`);
}

/**
 * A quiz with a question of every type in the first course, and a graded history: five learners have taken
 * it (right and wrong answers, an essay graded by hand), so results and progress look lived-in.
 */
async function addDemoQuiz(instructor: MemberContext, courseId: string, takers: MemberContext[]): Promise<{ moduleId: string; quizId: string }> {
  const t = instructor.tenant.id;
  const as = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(t, fn);
  const q = async (type: string, promptHtml: string, points: number, definition: Record<string, unknown>, tags: string[] = ['check-1']) =>
    (await as((tx) => createQuestion(tx, instructor, courseId, { type, promptHtml, points, tags, definition }))).id;
  const ids = {
    single: await q('single_choice', '<p>Which chart shows a trend over time best?</p>', 2, {
      options: [
        { id: 'line', text: 'A line chart', correct: true, feedback: 'Yes: time runs left to right.' },
        { id: 'pie', text: 'A pie chart', correct: false, feedback: 'Pie charts show parts of a whole at one moment.' },
        { id: 'table', text: 'A table of numbers', correct: false },
      ],
    }),
    multiple: await q('multiple_answer', '<p>Which of these should you check when cleaning a table?</p>', 2, {
      options: [
        { id: 'blanks', text: 'Blank cells', correct: true },
        { id: 'dupes', text: 'Duplicate rows', correct: true },
        { id: 'font', text: 'The font', correct: false },
      ],
    }),
    trueFalse: await q('true_false', '<p>A correlation proves that one thing causes another.</p>', 1, { correct: false, feedbackFalse: 'Right: correlation is not causation.' }),
    short: await q('short_answer', '<p>What is the middle value of a sorted list called?</p>', 1, { accepted: ['median', 'the median'] }),
    numeric: await q('numeric', '<p>What is the average of 2, 4 and 9?</p>', 1, { mode: 'exact', value: 5, tolerance: 0 }),
    matching: await q('matching', '<p>Match each chart to its use.</p>', 2, {
      prompts: [
        { id: 'p-bar', text: 'Bar chart', matchId: 'm-compare' },
        { id: 'p-scatter', text: 'Scatter plot', matchId: 'm-relate' },
      ],
      matches: [
        { id: 'm-compare', text: 'Compare categories' },
        { id: 'm-relate', text: 'Show how two measures relate' },
        { id: 'm-decorate', text: 'Decorate a slide' },
      ],
    }),
    ordering: await q('ordering', '<p>Put the steps of an analysis in order.</p>', 2, {
      items: [
        { id: 'k3f9', text: 'Ask a question' },
        { id: 'a81c', text: 'Collect and clean the data' },
        { id: 'z02d', text: 'Analyse' },
        { id: 'c7e5', text: 'Present the finding' },
      ],
    }),
    essay: await q('essay', '<p>In two or three sentences: describe a chart you saw recently that misled you.</p>', 3, { wordLimit: 150, graderNotes: 'Full marks for naming the chart and saying how it misled.' }),
  };
  const mod = await as((tx) => addModule(tx, instructor, courseId, { title: 'Check your understanding' }));
  const quiz = await as((tx) =>
    addItem(tx, instructor, mod.id, 'quiz', {
      // Optional practice, so the seeded learners' completion (made before the quiz existed) stays true.
      title: 'Data literacy check',
      required: '',
      questionIds: Object.values(ids).join(','),
      shuffleOptions: 'on',
      attemptsAllowed: '2',
      timeLimitMinutes: '20',
      passMark: '60',
      showScore: 'immediately',
      showAnswers: 'immediately',
    }),
  );
  const good = { single: 'line', multiple: ['blanks', 'dupes'], trueFalse: false, short: 'Median', numeric: 5, matching: { 'p-bar': 'm-compare', 'p-scatter': 'm-relate' }, ordering: ['k3f9', 'a81c', 'z02d', 'c7e5'], essay: 'A bar chart of sales that started at 90 instead of 0, so a small rise looked huge.' };
  const weak = { single: 'pie', multiple: ['blanks', 'font'], trueFalse: true, short: 'mean', numeric: '4', matching: { 'p-bar': 'm-decorate' }, ordering: ['a81c', 'k3f9', 'z02d', 'c7e5'], essay: 'I do not remember one.' };
  for (const [i, learner] of takers.entries()) {
    const answers = i % 2 === 0 ? good : weak;
    const attempt = await withTenant(t, (tx) => startAttempt(tx, learner, quiz.id));
    for (const [key, questionId] of Object.entries(ids)) {
      await withTenant(t, (tx) => saveAnswer(tx, learner, attempt.id, questionId, answers[key as keyof typeof answers]));
    }
    await withTenant(t, (tx) => submitAttempt(tx, learner, attempt.id, `demo-${attempt.id}`));
    await withTenant(t, (tx) => gradeAttempt(tx, t, attempt.id));
    // The instructor has graded the first essays; the last ones wait in the queue.
    if (i < 3) await withTenant(t, (tx) => gradeAnswerByHand(tx, instructor, attempt.id, ids.essay, { score: i % 2 === 0 ? 3 : 1 }));
  }
  return { moduleId: mod.id, quizId: quiz.id };
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * An assignment with a rubric beside the quiz: six learners have handed it in (one twice, one late), four
 * are graded with the rubric and released; two wait in the grading queue.
 */
async function addDemoAssignment(instructor: MemberContext, moduleId: string, takers: MemberContext[]): Promise<string> {
  const t = instructor.tenant.id;
  const now = Date.now();
  const level = (id: string, title: string, points: number) => ({ id, title, points });
  const rubric = {
    criteria: [
      { id: 'chart', title: 'Choice of chart', description: 'The chart suits the question and the data.', levels: [level('chart-3', 'Fits the story', 4), level('chart-2', 'Workable', 2), level('chart-1', 'Misleading', 0)] },
      { id: 'honesty', title: 'Honest scales', description: 'Axes start where they should; nothing is cropped to exaggerate.', levels: [level('honesty-3', 'Honest', 3), level('honesty-2', 'One slip', 1), level('honesty-1', 'Misleading', 0)] },
      { id: 'story', title: 'The story in one sentence', description: 'A reader knows what to take away.', levels: [level('story-3', 'Clear', 3), level('story-2', 'Vague', 1), level('story-1', 'Missing', 0)] },
    ],
  };
  const item = await withTenant(t, (tx) =>
    addItem(tx, instructor, moduleId, 'assignment', {
      title: 'Tell a story with one chart',
      required: '',
      instructionsHtml:
        '<p>Pick a small public dataset, make <strong>one</strong> chart that answers a question about it, and write one sentence that says what the reader should take away.</p><p>Hand in the sentence as text, and the chart as an image or PDF, or a link to it.</p>',
      submissionTypes: ['text', 'file', 'url'],
      dueAt: new Date(now - 2 * DAY).toISOString(),
      latePenaltyPercent: '10',
      cutoffDays: '14',
      allowResubmission: 'on',
      rubric: JSON.stringify(rubric),
    }),
  );
  const story = [
    '<p>Rainfall in our town has moved from spring to autumn over 30 years: a line per decade, months on the x axis.</p>',
    '<p>Bus delays are worst on Mondays — a bar per weekday, starting at zero.</p>',
    '<p>Our library lends more e-books than paper books since 2021.</p>',
    '<p>Coffee prices vs. rainfall in Brazil.</p>',
    '<p>Cycling to work doubled after the new lanes opened (monthly counts, before and after).</p>',
    '<p>Most of our energy use happens at night.</p>',
  ];
  for (const [i, learner] of takers.entries()) {
    // Handed in before the due date (two days ago), except the last: a day late.
    const at = new Date(now - (i === takers.length - 1 ? 1 : 6 - i * 0.5) * DAY);
    await withTenant(t, (tx) => submitAssignment(tx, learner, item.id, { submitKey: `demo-${item.id}-${i}-1`, bodyHtml: story[i]!, url: i % 2 === 0 ? 'https://example.org/charts/demo' : '' }, at));
    // One learner improved their work and handed it in again.
    if (i === 1) await withTenant(t, (tx) => submitAssignment(tx, learner, item.id, { submitKey: `demo-${item.id}-${i}-2`, bodyHtml: `${story[i]!}<p>Now with the scale fixed to start at zero.</p>` }, new Date(at.getTime() + DAY / 2)));
  }
  const choices = [
    { chart: 'chart-3', honesty: 'honesty-3', story: 'story-3' },
    { chart: 'chart-3', honesty: 'honesty-2', story: 'story-3' },
    { chart: 'chart-2', honesty: 'honesty-3', story: 'story-2' },
    { chart: 'chart-1', honesty: 'honesty-2', story: 'story-2' },
  ];
  for (const [i, choice] of choices.entries()) {
    const selection = Object.fromEntries(Object.entries(choice).map(([criterion, levelId]) => [criterion, { levelId }]));
    await withTenant(t, (tx) => gradeSubmission(tx, instructor, item.id, takers[i]!.user.id, { rubric: selection, comment: i === 3 ? 'Coffee and rain may be related, but the chart needs a question first.' : 'Well chosen and clearly told.' }));
  }
  await withTenant(t, (tx) => releaseGrades(tx, instructor, item.id));
  return item.id;
}

/**
 * The course's gradebook: quizzes 40 % and assignments 60 %, both demo items in place, hand-graded quiz
 * essays released, and one override with its reason, so the grid, the totals and a history are all there.
 */
async function setUpDemoGradebook(instructor: MemberContext, courseId: string, items: { quizId: string; assignmentId: string }, overridden: MemberContext): Promise<void> {
  await withTenant(instructor.tenant.id, async (tx) => {
    const quizzes = await createCategory(tx, instructor, courseId, { name: 'Quizzes', weight: 40, dropLowest: 0 });
    const assignments = await createCategory(tx, instructor, courseId, { name: 'Assignments', weight: 60, dropLowest: 0 });
    await assignCategories(tx, instructor, courseId, [
      { itemId: items.quizId, categoryId: quizzes.id },
      { itemId: items.assignmentId, categoryId: assignments.id },
    ]);
    await releaseGrades(tx, instructor, items.quizId);
    const [enrolment] = await tx
      .select({ id: schema.enrolments.id })
      .from(schema.enrolments)
      .where(and(eq(schema.enrolments.courseId, courseId), eq(schema.enrolments.userId, overridden.user.id)));
    await editCell(tx, instructor, { action: 'override', itemId: items.assignmentId, enrolmentId: enrolment!.id, score: '9', reason: 'Presented the chart in class: full marks for the story.' });
  });
}
