import type Stripe from 'stripe';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { enterTenant, schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import type { MemberContext } from '@/lib/auth/context';
import { assertCanAuthor, findCourseById } from '@/lib/courses/permissions';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { emit } from '@/lib/events/outbox';
import { sendMail } from '@/lib/mail/service';
import { tenantOrigin } from '@/lib/tenancy/urls';
import { loadEntitlements } from './entitlements';
import { billingConfigured, idOf, stripe } from './stripe';
import { WebhookRefused } from './sync';

/** Currencies a course can be priced in (all with two decimal places, so cents are the minor unit). */
export const COURSE_CURRENCIES = ['usd', 'eur', 'gbp', 'cad', 'aud', 'chf', 'sek', 'nok', 'dkk', 'nzd'] as const;
export type CourseCurrency = (typeof COURSE_CURRENCIES)[number];

export const CoursePriceInput = z.object({
  // "49", "49.00", "1,299.50"; empty means free.
  price: z
    .string()
    .trim()
    .max(20)
    .transform((v) => v.replace(/[,\s]/g, '')),
  currency: z.enum(COURSE_CURRENCIES, { error: 'currencyInvalid' }),
});

/** "49.5" → 4950 cents; null for empty; refuses anything that is not a plain amount in range. */
export function parsePriceCents(value: string): number | null {
  if (value === '') return null;
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(value)) throw new ValidationError('coursePriceInvalid', { field: 'price' });
  const [whole, frac = ''] = value.split('.');
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (cents < 50 || cents > 100_000_000) throw new ValidationError('coursePriceInvalid', { field: 'price' });
  return cents;
}

/** Whether this organisation sells priced courses now: Stripe configured, a plan that sells, sales turned on. */
export async function courseSalesOpen(tx: Tx, tenantId: string): Promise<boolean> {
  if (!billingConfigured()) return false;
  const [[settings], entitlements] = await Promise.all([
    tx.select({ sells: schema.tenantSettings.sellsCourses }).from(schema.tenantSettings).where(eq(schema.tenantSettings.tenantId, tenantId)),
    loadEntitlements(tx, tenantId),
  ]);
  return (settings?.sells ?? false) && entitlements.sellsCourses;
}

/** The course's instructors (or an admin) set or clear its price, in an organisation that sells courses. */
export async function setCoursePrice(tx: Tx, ctx: MemberContext, courseId: string, raw: z.input<typeof CoursePriceInput>): Promise<void> {
  await assertCanAuthor(tx, ctx, courseId);
  const input = CoursePriceInput.parse(raw);
  const cents = parsePriceCents(input.price);
  if (cents !== null && !(await courseSalesOpen(tx, ctx.tenant.id))) throw new ForbiddenError('courseSalesOff');
  const course = await findCourseById(tx, courseId);
  await tx
    .update(schema.courses)
    .set({ priceCents: cents, priceCurrency: cents === null ? null : input.currency, updatedAt: new Date() })
    .where(eq(schema.courses.id, courseId));
  await recordAudit(tx, ctx, {
    action: 'course.price_set',
    targetType: 'course',
    targetId: courseId,
    targetLabel: course.title,
    before: { priceCents: course.priceCents, currency: course.priceCurrency },
    after: { priceCents: cents, currency: cents === null ? null : input.currency },
  });
}

/**
 * A learner starts buying a course: a pending order with the price read from the database now, and a
 * Checkout session for exactly that amount. Enrolment happens only when Stripe's webhook confirms payment.
 */
export async function startCoursePurchase(tx: Tx, ctx: MemberContext, courseId: string): Promise<{ url: string }> {
  const course = await findCourseById(tx, courseId);
  if (course.status !== 'published') throw new NotFoundError('courseNotFound');
  // Payment is the way in for a priced course (no approval step after paying); invite-only courses are not sold.
  if (course.priceCents === null || !course.priceCurrency || course.enrolmentMode === 'invite' || !(await courseSalesOpen(tx, ctx.tenant.id))) throw new ConflictError('courseNotForSale');
  const [enrolled] = await tx
    .select({ status: schema.enrolments.status })
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.courseId, courseId), eq(schema.enrolments.userId, ctx.user.id), eq(schema.enrolments.status, 'active')));
  if (enrolled) throw new ConflictError('alreadyBought');
  if (course.capacity !== null && course.seatsTaken >= course.capacity) throw new ConflictError('courseFull');

  const [order] = await tx
    .insert(schema.courseOrders)
    .values({ tenantId: ctx.tenant.id, courseId, membershipId: ctx.membershipId, buyerEmail: ctx.user.email, amountCents: course.priceCents, currency: course.priceCurrency })
    .returning();
  const origin = tenantOrigin(ctx.tenant.slug);
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe().checkout.sessions.create(
      {
        mode: 'payment',
        customer_email: ctx.user.email,
        client_reference_id: ctx.tenant.id,
        line_items: [{ quantity: 1, price_data: { currency: course.priceCurrency, unit_amount: course.priceCents, product_data: { name: course.title } } }],
        metadata: { tenant_id: ctx.tenant.id, order_id: order!.id, course_id: courseId },
        payment_intent_data: { metadata: { tenant_id: ctx.tenant.id, order_id: order!.id } },
        success_url: `${origin}/courses/${course.slug}?purchase=success`,
        cancel_url: `${origin}/courses/${course.slug}?purchase=cancelled`,
      },
      { idempotencyKey: `lectern-order-${order!.id}` },
    );
  } catch {
    throw new DomainError('stripeUnavailable', {}, 409);
  }
  if (!session.url) throw new DomainError('stripeUnavailable', {}, 409);
  await tx.update(schema.courseOrders).set({ checkoutSessionId: session.id }).where(eq(schema.courseOrders.id, order!.id));
  return { url: session.url };
}

const Metadata = z.object({ tenant_id: z.uuid(), order_id: z.uuid() });

/**
 * Stripe says a course Checkout session was paid: check it against the order (organisation, session,
 * amount, currency), mark the order paid, enrol the buyer and queue the receipt, all in one transaction.
 * A second delivery finds the order paid and changes nothing.
 */
export async function fulfilCourseOrder(tx: Tx, session: Stripe.Checkout.Session): Promise<'fulfilled' | 'already-paid' | 'awaiting-payment'> {
  const meta = Metadata.safeParse(session.metadata ?? {});
  if (!meta.success || session.client_reference_id !== meta.data.tenant_id) throw new WebhookRefused(`checkout session ${session.id} names no valid organisation and order`);
  const tenantId = meta.data.tenant_id;
  const [tenant] = await tx.select().from(schema.tenants).where(eq(schema.tenants.id, tenantId));
  if (!tenant) throw new WebhookRefused(`checkout session ${session.id} names an unknown organisation`);
  await enterTenant(tx, tenantId);
  const [order] = await tx.select().from(schema.courseOrders).where(eq(schema.courseOrders.id, meta.data.order_id)).for('update');
  if (!order || order.checkoutSessionId !== session.id) throw new WebhookRefused(`checkout session ${session.id} does not match order ${meta.data.order_id}`);
  if (session.amount_total !== order.amountCents || session.currency !== order.currency) {
    throw new WebhookRefused(`checkout session ${session.id} is for ${session.amount_total} ${session.currency}, order ${order.id} for ${order.amountCents} ${order.currency}`);
  }
  if (order.status === 'paid') return 'already-paid';
  if (session.payment_status !== 'paid') return 'awaiting-payment';

  const course = await findCourseById(tx, order.courseId);
  const [member] = order.membershipId
    ? await tx
        .select({ userId: schema.memberships.userId, name: schema.users.name })
        .from(schema.memberships)
        .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
        .where(eq(schema.memberships.id, order.membershipId))
    : [];
  await tx.update(schema.courseOrders).set({ status: 'paid', paidAt: new Date(), paymentIntentId: idOf(session.payment_intent) }).where(eq(schema.courseOrders.id, order.id));
  if (member) {
    // Paid is paid: the buyer is enrolled even if the course filled up meanwhile (the seat is counted, not refused).
    const [existing] = await tx
      .select({ id: schema.enrolments.id, status: schema.enrolments.status })
      .from(schema.enrolments)
      .where(and(eq(schema.enrolments.courseId, course.id), eq(schema.enrolments.userId, member.userId)))
      .for('update');
    if (existing?.status !== 'active') {
      const values = { role: 'learner' as const, status: 'active' as const, enrolledAt: new Date() };
      const [enrolment] = existing
        ? await tx.update(schema.enrolments).set(values).where(eq(schema.enrolments.id, existing.id)).returning()
        : await tx.insert(schema.enrolments).values({ tenantId, courseId: course.id, userId: member.userId, ...values }).returning();
      await tx.update(schema.courses).set({ seatsTaken: sql`${schema.courses.seatsTaken} + 1` }).where(eq(schema.courses.id, course.id));
      await emit(tx, tenantId, 'lectern/enrolment.created.v1', { enrolmentId: enrolment!.id, courseId: course.id, userId: member.userId, role: 'learner', source: 'purchase' });
    }
  }
  const amount = formatMoney(order.amountCents, order.currency);
  await sendMail(tx, tenantId, {
    to: order.buyerEmail,
    subject: `Your receipt: ${course.title}`,
    text: [
      `Thank you for buying ${course.title} from ${tenant.name}.`,
      '',
      `Amount paid: ${amount}`,
      `Order: ${order.id}`,
      `Date: ${new Date().toISOString().slice(0, 10)}`,
      '',
      member ? `Start learning: ${tenantOrigin(tenant.slug)}/learn/${course.slug}` : `Ask ${tenant.name} to add you to the course.`,
    ].join('\n'),
  });
  await recordAudit(tx, { tenant: { id: tenantId }, user: null }, {
    action: 'course.purchased',
    targetType: 'course',
    targetId: course.id,
    targetLabel: course.title,
    after: { orderId: order.id, buyer: order.buyerEmail, amountCents: order.amountCents, currency: order.currency },
  });
  return 'fulfilled';
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
}
