import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache, type ReactNode } from 'react';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { CheckoutWaiter } from '@/components/billing/checkout-waiter';
import { CourseCover } from '@/components/catalogue/course-cover';
import { EnrolButton } from '@/components/catalogue/enrol-button';
import { formatDay, languageName } from '@/components/learn/format';
import { Icon, KindIcon } from '@/components/learn/icons';
import { PROSE } from '@/components/learn/prose';
import { buttonClass } from '@/components/ui/button';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { getMember, requireTenant } from '@/lib/auth/guard';
import { withTenantOf } from '@/lib/auth/with-member';
import { courseSalesOpen } from '@/lib/billing/course-sales';
import { getBranding } from '@/lib/branding/service';
import { courseLanding } from '@/lib/courses/catalogue';
import { sanitizeRichText } from '@/lib/courses/sanitize';
import { NotFoundError } from '@/lib/errors';
import { fileUrl } from '@/lib/files/urls';
import { hasRole } from '@/lib/members/roles';
import { buyAction, enrolAction, leaveAction } from './actions';

type Props = { params: Promise<{ tenant: string; slug: string }>; searchParams: Promise<{ purchase?: string }> };

/** The landing page's data (shared by the page and its metadata). Drafts: course staff and admins only. */
const load = cache(async (tenantSlug: string, courseSlug: string) => {
  const tenant = await requireTenant(tenantSlug);
  const member = await getMember(tenantSlug);
  const admin = member ? hasRole(member.role, 'admin') : false;
  try {
    const [landing, salesOpen] = await withTenantOf(tenant, (tx) => Promise.all([courseLanding(tx, courseSlug, member), courseSalesOpen(tx, tenant.id)]));
    return { tenant, member, admin, landing, salesOpen };
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, slug } = await params;
  const { landing } = await load(tenant, slug);
  return { title: landing.course.title, description: landing.course.summary || undefined };
}

/** A course's public page: what it is, its outline (titles only), who teaches it, and how to join. */
export default async function CourseLandingPage({ params, searchParams }: Props) {
  const { tenant: tenantSlug, slug } = await params;
  const { purchase } = await searchParams;
  const { tenant, member, admin, landing, salesOpen } = await load(tenantSlug, slug);
  const { course, modules, instructors, enrolment, seatsLeft } = landing;
  const [t, te, tk, format, locale, branding] = await Promise.all([
    getTranslations('courseLanding'),
    getTranslations('errors'),
    getTranslations('player.kinds'),
    getFormatter(),
    getLocale(),
    getBranding(tenant),
  ]);
  const description = await sanitizeRichText(course.descriptionHtml);
  const cover = course.coverKey ? fileUrl(tenant, course.coverKey, { filename: 'cover', disposition: 'inline' }) : null;
  const itemCount = modules.reduce((n, m) => n + m.items.length, 0);
  const staffRole = enrolment?.status === 'active' && enrolment.role !== 'learner';
  const canManage = admin || staffRole;
  const ended = course.endsAt !== null && course.endsAt <= new Date();
  const price = course.priceCents !== null && course.priceCurrency ? format.number(course.priceCents / 100, { style: 'currency', currency: course.priceCurrency.toUpperCase() }) : null;
  const enrolledAsLearner = enrolment?.status === 'active' && enrolment.role === 'learner';

  let enrolArea: ReactNode;
  if (course.status !== 'published') {
    enrolArea = <Notice icon="eye" title={t('notPublishedTitle')} body={t('notPublishedBody')} />;
  } else if (enrolment?.status === 'active' && enrolment.role === 'learner') {
    enrolArea = (
      <>
        <Notice icon="check" tone="success" title={t('enrolledTitle')} />
        <Link href={`/learn/${course.slug}`} className={buttonClass('primary', 'w-full py-3 text-base')}>
          {t('continue')}
          <Icon name="arrowRight" />
        </Link>
        <div className="text-center">
          <ConfirmForm
            action={leaveAction}
            hidden={{ courseId: course.id }}
            trigger={t('leave')}
            title={t('leaveTitle', { course: course.title })}
            body={price ? t('leavePaidBody') : t('leaveBody')}
            confirmLabel={t('leaveConfirm')}
            pendingLabel={t('leaving')}
          />
        </div>
      </>
    );
  } else if (staffRole) {
    enrolArea = <Notice icon="users" title={t(`staffTitle.${enrolment!.role === 'ta' ? 'ta' : 'instructor'}`)} />;
  } else if (!member) {
    enrolArea = (
      <>
        {course.enrolmentMode === 'invite' && <Notice icon="lock" title={t('inviteOnly')} body={t('inviteOnlyBody')} />}
        <Link href={`/sign-in?callbackUrl=${encodeURIComponent(`/courses/${course.slug}`)}`} className={buttonClass('primary', 'w-full py-3 text-base')}>
          {t('signInToEnrol')}
        </Link>
        <p className="text-center text-sm text-slate-600">
          {t('signInHint', { org: branding.displayName })}
          {branding.allowSelfSignup && (
            <>
              {' '}
              <Link href="/sign-up" className="font-medium text-slate-900 underline underline-offset-2">
                {t('createAccount')}
              </Link>
            </>
          )}
        </p>
      </>
    );
  } else if (enrolment?.status === 'pending') {
    enrolArea = (
      <>
        <Notice icon="clock" tone="warning" title={t('requestPending')} body={t('requestPendingBody')} />
        <div className="text-center">
          <ConfirmForm
            action={leaveAction}
            hidden={{ courseId: course.id }}
            trigger={t('withdraw')}
            title={t('withdrawTitle', { course: course.title })}
            body={t('withdrawBody')}
            confirmLabel={t('withdraw')}
            pendingLabel={t('leaving')}
          />
        </div>
      </>
    );
  } else if (course.enrolmentMode === 'invite') {
    enrolArea = <Notice icon="lock" title={t('inviteOnly')} body={t('inviteOnlyBody')} />;
  } else if (ended) {
    enrolArea = <Notice icon="calendar" title={t('closedTitle')} body={te('courseEnded')} />;
  } else if (seatsLeft === 0) {
    enrolArea = <Notice icon="users" tone="warning" title={t('fullTitle')} body={te('courseFull')} />;
  } else if (price) {
    enrolArea = salesOpen ? (
      <EnrolButton action={buyAction} courseId={course.id} label={t('buy', { price })} pendingLabel={t('openingCheckout')} />
    ) : (
      <Notice icon="lock" title={t('notForSaleTitle')} body={te('courseNotForSale')} />
    );
  } else {
    const approval = course.enrolmentMode === 'approval';
    enrolArea = (
      <>
        {approval && <p className="text-sm text-slate-700">{enrolment?.status === 'declined' ? t('requestDeclined') : t('requestHint')}</p>}
        <EnrolButton action={enrolAction} courseId={course.id} label={approval ? t('requestToJoin') : t('enrol')} pendingLabel={approval ? t('requesting') : t('enrolling')} />
      </>
    );
  }

  return (
    <main>
      {course.status !== 'published' && (
        <div className="border-b border-amber-300 bg-amber-50 px-6 py-2 text-center text-sm text-amber-950" role="status">
          {t(course.status === 'draft' ? 'draftBanner' : 'archivedBanner')}
        </div>
      )}
      <section className="border-b border-slate-200 bg-white">
        <div className="mx-auto max-w-6xl px-6 py-10 lg:grid lg:grid-cols-[minmax(0,1fr)_22rem] lg:gap-12">
          <div>
            <Link href="/courses" className="inline-flex items-center gap-1 rounded text-sm font-medium text-slate-600 hover:text-slate-900">
              <Icon name="arrowLeft" className="size-4" />
              {t('allCourses')}
            </Link>
            <div className="mt-5 flex flex-wrap items-center gap-2 text-xs font-medium">
              {course.category && (
                <Link href={`/courses?category=${encodeURIComponent(course.category)}`} className="rounded-full bg-slate-100 px-2.5 py-1 text-slate-700 hover:bg-slate-200">
                  {course.category}
                </Link>
              )}
              <span className="inline-flex items-center gap-1 rounded-full border border-slate-200 px-2.5 py-1 text-slate-700">
                <Icon name="globe" className="size-3.5" />
                {languageName(locale, course.language)}
              </span>
            </div>
            <h1 className="mt-3 text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">{course.title}</h1>
            {course.summary && <p className="mt-4 max-w-2xl text-lg text-slate-700">{course.summary}</p>}
            <dl className="mt-6 flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-700">
              {(course.startsAt || course.endsAt) && (
                <div className="flex items-center gap-1.5">
                  <dt>
                    <Icon name="calendar" />
                    <span className="sr-only">{t('dates')}</span>
                  </dt>
                  <dd>
                    {course.startsAt && course.endsAt
                      ? t('dateRange', { start: formatDay(format, course.startsAt), end: formatDay(format, course.endsAt) })
                      : course.startsAt
                        ? t('startsOn', { date: formatDay(format, course.startsAt) })
                        : t('endsOn', { date: formatDay(format, course.endsAt!) })}
                  </dd>
                </div>
              )}
              <div className="flex items-center gap-1.5">
                <dt>
                  <Icon name="lesson" />
                  <span className="sr-only">{t('outlineTitle')}</span>
                </dt>
                <dd>{t('outlineCount', { modules: modules.length, items: itemCount })}</dd>
              </div>
              {instructors.length > 0 && (
                <div className="flex items-center gap-1.5">
                  <dt>
                    <Icon name="users" />
                    <span className="sr-only">{t('instructorsTitle')}</span>
                  </dt>
                  <dd>{instructors.filter((i) => i.role === 'instructor').map((i) => i.name).join(', ') || instructors[0]!.name}</dd>
                </div>
              )}
            </dl>
          </div>

          <div className="mt-8 lg:mt-0">
            <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-md" data-testid="enrol-area">
              <CourseCover url={cover} title={course.title} />
              <div className="space-y-4 p-5">
                {price && !enrolledAsLearner && !staffRole && (
                  <p className="text-center text-2xl font-bold text-slate-900" data-testid="course-price">
                    {price}
                  </p>
                )}
                {purchase === 'success' && !staffRole && (
                  <CheckoutWaiter confirmed={enrolledAsLearner} waiting={t('purchaseWaiting')} done={t('purchaseDone')} late={t('purchaseLate')} />
                )}
                {purchase === 'cancelled' && !enrolledAsLearner && <Notice icon="clock" title={t('purchaseCancelled')} />}
                {enrolArea}
                {seatsLeft !== null && course.status === 'published' && !(enrolment?.status === 'active') && (
                  <p className="flex items-center justify-center gap-1.5 text-sm text-slate-700" data-testid="seats-left">
                    <Icon name="users" />
                    {t('seatsLeft', { count: seatsLeft })}
                  </p>
                )}
                {canManage && (
                  <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
                    <Link href={`/learn/${course.slug}`} className={buttonClass('secondary', 'flex-1')}>
                      <Icon name="eye" />
                      {t('preview')}
                    </Link>
                    <Link href={`/teach/${course.slug}`} className={buttonClass('secondary', 'flex-1')}>
                      {t('manage')}
                    </Link>
                  </div>
                )}
              </div>
            </div>
          </div>
        </div>
      </section>

      <div className="mx-auto max-w-6xl px-6 py-10 lg:grid lg:grid-cols-[minmax(0,1fr)_22rem] lg:gap-12">
        <div className="space-y-10">
          {description.trim() && (
            <section aria-labelledby="about">
              <h2 id="about" className="text-xl font-semibold">
                {t('aboutTitle')}
              </h2>
              <div className={`mt-4 ${PROSE}`} dangerouslySetInnerHTML={{ __html: description }} />
            </section>
          )}

          <section aria-labelledby="outline">
            <h2 id="outline" className="text-xl font-semibold">
              {t('outlineTitle')}
            </h2>
            {modules.length === 0 ? (
              <p className="mt-4 rounded-xl border border-dashed border-slate-300 bg-white p-6 text-slate-600">{t('outlineEmpty')}</p>
            ) : (
              <ol className="mt-4 space-y-4">
                {modules.map((m, i) => (
                  <li key={m.id} className="overflow-hidden rounded-xl border border-slate-200 bg-white">
                    <h3 className="flex items-baseline justify-between gap-4 border-b border-slate-200 bg-slate-50 px-5 py-3">
                      <span className="font-semibold">
                        <span className="mr-2 text-slate-600">{i + 1}.</span>
                        {m.title}
                      </span>
                      <span className="shrink-0 text-xs font-normal text-slate-600">{t('itemCount', { count: m.items.length })}</span>
                    </h3>
                    {m.items.length > 0 && (
                      <ul className="divide-y divide-slate-100">
                        {m.items.map((item) => (
                          <li key={item.id} className="flex items-center gap-3 px-5 py-2.5 text-sm text-slate-800">
                            <span className="flex size-7 items-center justify-center rounded-full bg-slate-100 text-slate-600">
                              <KindIcon kind={item.kind} className="size-4" />
                            </span>
                            <span className="min-w-0 flex-1">{item.title}</span>
                            <span className="shrink-0 text-xs text-slate-600">{tk(item.kind)}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <aside className="mt-10 space-y-6 lg:mt-0">
          <section aria-labelledby="details" className="rounded-xl border border-slate-200 bg-white p-5">
            <h2 id="details" className="font-semibold">
              {t('detailsTitle')}
            </h2>
            <dl className="mt-3 space-y-3 text-sm">
              <Detail label={t('starts')}>{course.startsAt ? formatDay(format, course.startsAt) : t('anytime')}</Detail>
              {course.endsAt && <Detail label={t('ends')}>{formatDay(format, course.endsAt)}</Detail>}
              <Detail label={t('language')}>{languageName(locale, course.language)}</Detail>
              {course.category && <Detail label={t('category')}>{course.category}</Detail>}
              <Detail label={t('enrolment')}>{t(`mode.${course.enrolmentMode}`)}</Detail>
              {seatsLeft !== null && <Detail label={t('seats')}>{t('seatsOf', { left: seatsLeft, capacity: course.capacity ?? 0 })}</Detail>}
            </dl>
            {course.tags.length > 0 && (
              <div className="mt-4 border-t border-slate-200 pt-4">
                <h3 className="text-sm text-slate-600">{t('tags')}</h3>
                <ul className="mt-2 flex flex-wrap gap-1.5">
                  {course.tags.map((tag) => (
                    <li key={tag} className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700">
                      #{tag}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </section>

          {instructors.length > 0 && (
            <section aria-labelledby="instructors" className="rounded-xl border border-slate-200 bg-white p-5">
              <h2 id="instructors" className="font-semibold">
                {t('instructorsTitle')}
              </h2>
              <ul className="mt-3 space-y-3">
                {instructors.map((p) => (
                  <li key={`${p.role}-${p.name}`} className="flex items-center gap-3">
                    <span aria-hidden className="flex size-9 items-center justify-center rounded-full bg-brand text-sm font-semibold text-on-brand">
                      {initials(p.name)}
                    </span>
                    <span className="min-w-0">
                      <span className="block truncate text-sm font-medium">{p.name}</span>
                      <span className="block text-xs text-slate-600">{t(`roles.${p.role}`)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>
    </main>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w.charAt(0).toUpperCase())
    .join('');
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-right font-medium text-slate-900">{children}</dd>
    </div>
  );
}

const tones = { info: 'border-slate-200 bg-slate-50 text-slate-800', success: 'border-green-300 bg-green-50 text-green-950', warning: 'border-amber-300 bg-amber-50 text-amber-950' };

function Notice({ icon, title, body, tone = 'info' }: { icon: 'check' | 'clock' | 'lock' | 'users' | 'calendar' | 'eye'; title: string; body?: string; tone?: keyof typeof tones }) {
  return (
    <div className={`flex gap-3 rounded-lg border p-4 text-sm ${tones[tone]}`} data-testid="enrol-notice">
      <Icon name={icon} className="mt-0.5 size-5" />
      <div>
        <p className="font-semibold">{title}</p>
        {body && <p className="mt-1">{body}</p>}
      </div>
    </div>
  );
}
