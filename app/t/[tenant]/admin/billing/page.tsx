import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CheckoutWaiter } from '@/components/billing/checkout-waiter';
import { CourseSalesForm } from '@/components/billing/course-sales-form';
import { PlanForm, type PlanChoice } from '@/components/billing/plan-form';
import { PortalButton } from '@/components/billing/portal-button';
import { SeatBar } from '@/components/billing/seat-bar';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { planName } from '@/lib/billing/entitlements';
import { PAID_PLAN_IDS, seatRange } from '@/lib/billing/plans';
import { billingOverview, listInvoices, planPrices } from '@/lib/billing/service';
import { changeSubscriptionAction, openPortalAction, setCourseSalesAction, startCheckoutAction } from './actions';

export const metadata: Metadata = { title: 'Billing' };

export default async function BillingPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ checkout?: string }> }) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const { checkout } = await searchParams;
  const [t, tc, format] = await Promise.all([getTranslations('billing'), getTranslations('common'), getFormatter()]);
  const [overview, invoices] = await withMember(ctx, (tx) => Promise.all([billingOverview(tx, ctx), listInvoices(tx, ctx)]));
  const prices = await planPrices();
  const { entitlements: e, usage } = overview;
  const isOwner = ctx.role === 'owner';
  const onStripe = e.source === 'stripe';
  const needed = usage.learners + usage.pendingInvitations;
  const date = (d: Date) => format.dateTime(d, { dateStyle: 'long' });

  const choices: PlanChoice[] = PAID_PLAN_IDS.map((id) => {
    const price = prices[id];
    const label = t(id === 'team' ? 'planTeam' : 'planBusiness');
    const range = seatRange(id);
    return {
      id,
      label,
      seatsHint: t('seatsHint', { needed, plan: label, ...range }),
      blurb: t(id === 'team' ? 'planTeamBlurb' : 'planBusinessBlurb'),
      price: price ? t('perSeat', { price: format.number(price.unitAmount / 100, { style: 'currency', currency: price.currency.toUpperCase() }), interval: price.interval }) : t('priceUnknown'),
      ...range,
    };
  });
  const planLabels = { plan: t('plan'), seats: t('seats') };
  const initialPlan = e.plan === 'business' ? 'business' : 'team';
  const initialSeats = onStripe ? e.seatLimit : Math.max(needed + 5, seatRange(initialPlan).min);

  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-700">{t('lede')}</p>
      </div>
      {!overview.configured && <Alert tone="info">{t('notConfigured')}</Alert>}
      {checkout === 'success' && <CheckoutWaiter confirmed={onStripe} waiting={t('checkoutSuccess')} done={t('checkoutConfirmed')} late={t('checkoutWaitingLong')} />}
      {checkout === 'cancelled' && (
        <div role="status">
          <Alert tone="info">{t('checkoutCancelled')}</Alert>
        </div>
      )}

      <Card title={t('planTitle')}>
        <div className="space-y-4" data-testid="plan-summary">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <p className="text-xl font-semibold">{t('planName', { plan: planName(e.plan) })}</p>
            <p className="text-sm text-slate-600">{t(`source.${e.source}`)}</p>
            {onStripe && <p className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-800">{t.has(`status.${e.status}`) ? t(`status.${e.status}` as 'status.active') : e.status}</p>}
          </div>
          <SeatBar used={needed} limit={e.seatLimit} label={t('seatsLabel')} text={t('seatsUsed', { used: needed, limit: e.seatLimit })} />
          {usage.pendingInvitations > 0 && <p className="text-sm text-slate-700">{t('seatsBreakdown', { learners: usage.learners, pending: usage.pendingInvitations })}</p>}
          {usage.learners > e.seatLimit && <Alert tone="warning">{t('overLimit')}</Alert>}
          <p className="text-sm text-slate-700">
            {e.publishedCourseLimit === null ? t('coursesUnlimited', { used: overview.publishedCourses }) : t('coursesUsed', { used: overview.publishedCourses, limit: e.publishedCourseLimit })}
          </p>
          {onStripe && e.currentPeriodEnd && <p className="text-sm text-slate-700">{e.cancelAtPeriodEnd ? t('ends', { date: date(e.currentPeriodEnd) }) : t('renews', { date: date(e.currentPeriodEnd) })}</p>}
        </div>
      </Card>

      {overview.configured && !isOwner && <Alert tone="info">{t('ownersOnly')}</Alert>}

      {e.source === 'grant' && <Alert tone="info">{t('grantedNote')}</Alert>}

      {overview.configured && isOwner && e.source === 'free' && (
        <Card title={t('upgradeTitle')} description={t('upgradeLede')}>
          <PlanForm action={startCheckoutAction} plans={choices} initial={{ plan: initialPlan, seats: initialSeats }} labels={{ ...planLabels, submit: t('continueToCheckout'), pending: t('redirecting') }} />
        </Card>
      )}

      {overview.configured && isOwner && onStripe && (
        <Card title={t('changeTitle')} description={t('changeLede')}>
          <PlanForm
            action={changeSubscriptionAction}
            plans={choices}
            initial={{ plan: initialPlan, seats: initialSeats }}
            current={{ plan: initialPlan, seats: e.seatLimit }}
            labels={{
              ...planLabels,
              submit: t('updateSubscription'),
              pending: t('updating'),
              confirm: { title: t('confirmChangeTitle'), confirm: t('updateSubscription'), cancel: tc('cancel') },
            }}
          />
        </Card>
      )}

      {overview.configured && isOwner && overview.hasCustomer && (
        <Card title={t('manage')} description={t('manageLede')}>
          <PortalButton action={openPortalAction} label={t('manage')} pendingLabel={t('redirecting')} />
        </Card>
      )}

      <Card title={t('salesTitle')} description={t('salesLede')}>
        <div className="space-y-3">
          <p className="text-sm font-medium">{overview.sellsCourses ? t('salesOn') : t('salesOff')}</p>
          {!overview.configured ? (
            <p className="text-sm text-slate-600">{t('salesNeedsStripe')}</p>
          ) : !e.sellsCourses ? (
            <p className="text-sm text-slate-600">{t('salesNeedsPlan')}</p>
          ) : (
            <CourseSalesForm action={setCourseSalesAction} on={overview.sellsCourses} labels={{ turnOn: t('turnOn'), turnOff: t('turnOff'), saving: t('saving') }} />
          )}
        </div>
      </Card>

      {overview.configured && (
        <Card title={t('invoicesTitle')}>
          {invoices === null ? (
            <Alert tone="warning">{t('invoicesUnavailable')}</Alert>
          ) : (
            <DataTable
              caption={t('invoicesTitle')}
              empty={invoices.length === 0}
              emptyText={t('invoicesEmpty')}
              columns={[
                { label: t('invoiceDate') },
                { label: t('invoiceNumber') },
                { label: t('invoiceAmount'), align: 'right' },
                { label: t('invoiceStatus') },
                { label: t('invoiceView'), hidden: true },
              ]}
            >
              {invoices.map((i) => (
                <tr key={i.id}>
                  <td className="py-2 pr-4">{date(i.createdAt)}</td>
                  <td className="py-2 pr-4 font-mono text-xs">{i.number ?? '—'}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{format.number(i.totalCents / 100, { style: 'currency', currency: i.currency.toUpperCase() })}</td>
                  <td className="py-2 pr-4">{i.status && t.has(`invoiceStatusName.${i.status}`) ? t(`invoiceStatusName.${i.status}` as 'invoiceStatusName.paid') : (i.status ?? '—')}</td>
                  <td className="space-x-3 py-2">
                    {i.url && (
                      <a href={i.url} className="underline" target="_blank" rel="noreferrer" aria-label={t('invoiceViewLabel', { number: i.number ?? i.id })}>
                        {t('invoiceView')}
                      </a>
                    )}
                    {i.pdf && (
                      <a href={i.pdf} className="underline" target="_blank" rel="noreferrer" aria-label={t('invoicePdfLabel', { number: i.number ?? i.id })}>
                        {t('invoicePdf')}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </Card>
      )}
    </main>
  );
}
