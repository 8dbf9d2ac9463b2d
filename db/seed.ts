import { count } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/password';
import { grantPlan } from '@/lib/billing/service';
import type { PaidPlanId } from '@/lib/billing/plans';
import { db, enterTenant, schema, withGlobal } from './client';

export const DEMO_PASSWORD = 'lectern-demo';

type DemoOrg = { slug: string; name: string; primaryColor: string; accentColor: string; allowSelfSignup: boolean; plan: { id: PaidPlanId; seats: number } };

export const DEMO_ORGS: DemoOrg[] = [
  { slug: 'acme', name: 'Acme Academy', primaryColor: '#4338ca', accentColor: '#0f766e', allowSelfSignup: true, plan: { id: 'business', seats: 500 } },
  { slug: 'globex', name: 'Globex University', primaryColor: '#b91c1c', accentColor: '#1d4ed8', allowSelfSignup: false, plan: { id: 'team', seats: 50 } },
];

const FIRST = ['Ada', 'Ben', 'Chloé', 'Dev', 'Elif', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Nikos', 'Olu', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tara'];
const LAST = ['Lovelace', 'Okafor', 'Martin', 'Patel', 'Yilmaz', 'Adeyemi', 'Hopper', 'Tanaka', 'García', 'Berg', 'Mensah', 'Walsh', 'Cohen', 'Papadakis', 'Bello', 'Sharma', 'Lee', 'Rossi', 'Nilsson', 'Reddy'];

/** The people of one demo organisation: an owner, an admin, two instructors and twenty learners. */
export function demoPeople(slug: string) {
  const people: { email: string; name: string; role: 'owner' | 'admin' | 'instructor' | 'learner' }[] = [
    { email: `owner@${slug}.test`, name: `${FIRST[0]} ${LAST[0]}`, role: 'owner' },
    { email: `admin@${slug}.test`, name: `${FIRST[1]} ${LAST[1]}`, role: 'admin' },
    { email: `instructor1@${slug}.test`, name: `${FIRST[2]} ${LAST[2]}`, role: 'instructor' },
    { email: `instructor2@${slug}.test`, name: `${FIRST[3]} ${LAST[3]}`, role: 'instructor' },
  ];
  for (let i = 1; i <= 20; i++) people.push({ email: `learner${i}@${slug}.test`, name: `${FIRST[(i + 3) % 20]} ${LAST[(i * 7) % 20]}`, role: 'learner' });
  return people;
}

/** Demo data for a newcomer: `acme` and `globex`, everyone with the password DEMO_PASSWORD. Skips if any organisation exists. */
export async function seedDemo(log: (line: string) => void = console.log): Promise<boolean> {
  const [existing] = await db().select({ n: count() }).from(schema.tenants);
  if ((existing?.n ?? 0) > 0) {
    log('Organisations already exist; demo seed skipped.');
    return false;
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const org of DEMO_ORGS) {
    await withGlobal(async (tx) => {
      const [tenant] = await tx.insert(schema.tenants).values({ slug: org.slug, name: org.name }).returning();
      const people = demoPeople(org.slug);
      const users = await tx
        .insert(schema.users)
        .values(people.map((p) => ({ email: p.email, name: p.name, passwordHash })))
        .returning({ id: schema.users.id, email: schema.users.email });
      await enterTenant(tx, tenant!.id);
      await tx.insert(schema.tenantSettings).values({ tenantId: tenant!.id, displayName: org.name, primaryColor: org.primaryColor, accentColor: org.accentColor, allowSelfSignup: org.allowSelfSignup });
      const byEmail = new Map(users.map((u) => [u.email, u.id]));
      await tx.insert(schema.memberships).values(people.map((p) => ({ tenantId: tenant!.id, userId: byEmail.get(p.email)!, role: p.role })));
      // The demo organisations get a plan granted without Stripe, so the demo is not held to the Free limits.
      await grantPlan(tx, tenant!.id, org.plan.id, org.plan.seats);
      await tx.insert(schema.auditLog).values({ tenantId: tenant!.id, actorLabel: 'system', action: 'organisation.created', targetType: 'organisation', targetId: tenant!.id, targetLabel: org.name, after: { name: org.name, slug: org.slug, seeded: true } });
    });
    log(`Seeded ${org.name} (${org.slug}) with 24 members.`);
  }
  return true;
}
