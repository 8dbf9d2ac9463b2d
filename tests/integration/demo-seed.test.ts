import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemo } from '@/lib/demo';
import { ownerSql } from '../support/owner';

// Uploaded demo files go to a throwaway folder, never the developer's .data/.
const filesDir = mkdtempSync(path.join(os.tmpdir(), 'lectern-demo-seed-'));
process.env.FILES_DIR = filesDir;
const owner = ownerSql();
afterAll(async () => {
  await owner.end();
  rmSync(filesDir, { recursive: true, force: true });
});

describe('the demo seed a newcomer gets from npm start', () => {
  it('builds published courses with a video, a PDF and learners part-way through, once', async () => {
    expect(await seedDemo(() => {})).toBe(true);
    const courses = await owner`
      select t.slug as org, c.slug, c.status, c.title,
        (select count(*)::int from course_items i where i.course_id = c.id) as items,
        (select count(*)::int from enrolments e where e.course_id = c.id and e.role = 'learner' and e.status = 'active') as learners
      from courses c join tenants t on t.id = c.tenant_id order by t.slug, c.title`;
    const acme = courses.filter((c) => c.org === 'acme');
    expect(acme.filter((c) => c.status === 'published').length).toBeGreaterThanOrEqual(3);
    expect(courses.filter((c) => c.org === 'globex' && c.status === 'published').length).toBeGreaterThanOrEqual(2);
    const data = acme.find((c) => c.slug === 'data-literacy-essentials')!;
    expect(data.items).toBe(8); // two modules of three, a quiz and an assignment
    const [attempts] = await owner`
      select count(*) filter (where status = 'graded')::int as graded, count(*) filter (where status = 'submitted')::int as waiting
      from quiz_attempts`;
    expect(attempts).toEqual({ graded: 3, waiting: 2 }); // two essays wait for the instructor
    expect(data.learners).toBe(12);
    // The gradebook is populated: two weighted categories, quiz and rubric grades, releases and an override.
    const [book] = await owner`
      select (select count(*)::int from grade_categories k join courses c on c.id = k.course_id where c.slug = 'data-literacy-essentials') as categories,
             count(*) filter (where i.kind = 'quiz')::int as quiz_cells,
             count(*) filter (where i.kind = 'assignment' and g.rubric is not null)::int as rubric_cells,
             count(*) filter (where g.released_at is not null)::int as released,
             count(*) filter (where g.override_score is not null and g.override_reason <> '')::int as overrides
      from grades g join course_items i on i.id = g.item_id`;
    expect(book).toEqual({ categories: 2, quiz_cells: 3, rubric_cells: 4, released: 7, overrides: 1 });
    const [submissions] = await owner`select count(*)::int as n, max(version)::int as versions, count(*) filter (where late_days > 0)::int as late from assignment_submissions`;
    expect(submissions).toEqual({ n: 7, versions: 2, late: 1 });
    const history = await owner`select kind, count(*)::int as n from grade_changes group by kind order by kind`;
    expect(history).toEqual([{ kind: 'manual', n: 7 }, { kind: 'override', n: 1 }]); // every quiz attempt here had an essay graded by hand
    const kinds = await owner`select distinct kind, content->>'source' as source from course_items where tenant_id = (select id from tenants where slug = 'acme')`;
    expect(kinds).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'video', source: 'upload' }), expect.objectContaining({ kind: 'file' })]));
    const [progress] = await owner`
      select count(*) filter (where e.completed_at is not null)::int as finished,
             count(*) filter (where e.completed_at is null and exists (select 1 from item_progress p where p.enrolment_id = e.id))::int as part_way
      from enrolments e join courses c on c.id = e.course_id where c.slug = 'data-literacy-essentials'`;
    expect(progress!.finished).toBeGreaterThan(0);
    expect(progress!.part_way).toBeGreaterThan(0);
    const [files] = await owner`select count(*)::int as n from files`;
    expect(files!.n).toBeGreaterThanOrEqual(2);
    // A program of two courses, and learner1's certificate for the course they finished (with its PDF and notice).
    const programs = await owner`
      select p.title, p.status, array_agg(c.slug order by pc.position) as courses
      from programs p join program_courses pc on pc.program_id = p.id join courses c on c.id = pc.course_id group by p.tenant_id, p.id`;
    expect([...programs]).toEqual([{ title: 'New Starter Essentials', status: 'published', courses: ['workplace-safety-101', 'data-literacy-essentials'] }]);
    const certificates = await owner`
      select u.email, c.title, c.file_key, c.revoked_at, (select count(*)::int from notifications n where n.user_id = c.user_id and n.type = 'certificate-issued') as notices
      from certificates c join users u on u.id = c.user_id`;
    expect([...certificates]).toEqual([{ email: 'learner1@acme.test', title: 'Workplace Safety 101', file_key: expect.stringMatching(/\.pdf$/), revoked_at: null, notices: 1 }]);
    const { objectStore } = await import('@/lib/storage');
    expect((await objectStore().get(certificates[0]!.file_key as string))?.body.subarray(0, 5).toString()).toBe('%PDF-');
    // When the worker then meets the seed's completion events, learner1 gets nothing twice.
    const { drainOnce } = await import('@/lib/jobs/worker');
    while ((await drainOnce()).claimed > 0);
    const [learner1] = await owner`
      select count(*)::int as certificates, (select count(*)::int from notifications n join users u on u.id = n.user_id where u.email = 'learner1@acme.test' and n.type = 'certificate-issued') as notices
      from certificates c join users u on u.id = c.user_id where u.email = 'learner1@acme.test'`;
    expect(learner1).toEqual({ certificates: 1, notices: 1 });
    expect(await seedDemo(() => {})).toBe(false); // a second start leaves the data alone
  }, 60_000);
});
