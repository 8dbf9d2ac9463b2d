import { eq } from 'drizzle-orm';
import { schema, withGlobal } from '@/db/client';
import { DEMO_ORGS, seedDemo as seedDemoOrganisations } from '@/db/seed';
import { seedDemoCertificates } from './certificates';
import { seedDemoCourses } from './courses';

/**
 * The whole demo for a newcomer: the organisations and people (db/seed.ts), then courses with content,
 * enrolments and progress, a program and a certificate, made through the domain services. Skips if any organisation exists.
 */
export async function seedDemo(log: (line: string) => void = console.log): Promise<boolean> {
  if (!(await seedDemoOrganisations(log))) return false;
  for (const org of DEMO_ORGS) {
    const [tenant] = await withGlobal((tx) => tx.select({ id: schema.tenants.id, slug: schema.tenants.slug, name: schema.tenants.name }).from(schema.tenants).where(eq(schema.tenants.slug, org.slug)));
    await seedDemoCourses(tenant!, log);
    await seedDemoCertificates(tenant!, log);
  }
  return true;
}
