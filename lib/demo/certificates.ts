import { and, eq, sql } from 'drizzle-orm';
import { schema, withTenant } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { announceCertificate, issueCertificate } from '@/lib/certificates/issue';
import { addProgramCourse, createProgram, setProgramStatus, updateProgram } from '@/lib/programs/service';

/**
 * Acme's program and a certificate to look at: "New Starter Essentials" (Workplace Safety 101, then Data
 * Literacy Essentials), published; learner1, who finished the safety course, holds its certificate (issued as
 * the job issues it, so when the worker later meets that completion event it finds the certificate and adds
 * nothing) and is one of two courses into the program.
 */
export async function seedDemoCertificates(tenant: MemberContext['tenant'], log: (line: string) => void = console.log): Promise<void> {
  if (tenant.slug !== 'acme') return;
  const admin = await member(tenant, 'admin@acme.test');
  const courses = await withTenant(tenant.id, (tx) =>
    tx
      .select({ id: schema.courses.id, slug: schema.courses.slug })
      .from(schema.courses)
      .where(sql`${schema.courses.slug} in ('workplace-safety-101', 'data-literacy-essentials')`),
  );
  const bySlug = new Map(courses.map((c) => [c.slug, c.id]));
  await withTenant(tenant.id, async (tx) => {
    const program = await createProgram(tx, admin, { title: 'New Starter Essentials' });
    await updateProgram(tx, admin, program.id, { title: program.title, slug: program.slug, summary: 'Everything a new colleague needs in their first weeks: working safely, then working with data.' });
    for (const slug of ['workplace-safety-101', 'data-literacy-essentials']) await addProgramCourse(tx, admin, { programId: program.id, courseId: bySlug.get(slug)! });
    await setProgramStatus(tx, admin, program.id, 'published');
  });

  const learner = await member(tenant, 'learner1@acme.test');
  await withTenant(tenant.id, async (tx) => {
    const [done] = await tx
      .select({ completedAt: schema.enrolments.completedAt })
      .from(schema.enrolments)
      .where(and(eq(schema.enrolments.courseId, bySlug.get('workplace-safety-101')!), eq(schema.enrolments.userId, learner.user.id), eq(schema.enrolments.role, 'learner')));
    if (!done?.completedAt) throw new Error('demo: learner1 should have completed Workplace Safety 101');
    const cert = await issueCertificate(tx, tenant.id, { userId: learner.user.id, subject: { courseId: bySlug.get('workplace-safety-101')! }, completedAt: done.completedAt });
    if (cert?.created) await announceCertificate(tx, tenant.id, cert, 'course');
  });
  log(`Seeded a program and a certificate for ${tenant.slug}.`);
}

async function member(tenant: MemberContext['tenant'], email: string): Promise<MemberContext> {
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
