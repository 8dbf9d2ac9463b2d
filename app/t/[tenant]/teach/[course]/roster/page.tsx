import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { AddByEmailForm } from '@/components/teach/roster/add-by-email-form';
import { AnnouncerProvider, Announcements } from '@/components/teach/roster/announcer';
import { SaveOnChangeSelect } from '@/components/ui/save-on-change-select';
import { CsvImport } from '@/components/teach/roster/csv-import';
import { ProgressBar } from '@/components/teach/roster/progress-bar';
import { RemoveEnrolment } from '@/components/teach/roster/remove-enrolment';
import { RequestDecision } from '@/components/teach/roster/request-decision';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { IMPORT_MAX_ROWS } from '@/lib/enrolment/import';
import { listRoster } from '@/lib/enrolment/roster';
import { checkImportAction, commitImportAction, decideRequestAction, enrolByEmailAction, setCourseRoleAction, unenrolAction } from './actions';
import { loadTeachingCourse } from '../load-course';
import { pageError } from './page-errors';

type Props = { params: Promise<{ tenant: string; course: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const COURSE_ROLES = ['learner', 'ta', 'instructor'] as const;
const STATUSES = ['active', 'pending', 'declined'] as const;
/** Requests listed above the roster; the rest are one click away (the roster filtered to requests). */
const REQUESTS_SHOWN = 5;
const MAX_EMAILS = 500;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('roster'))('metaTitle', { course: loaded.course.title }) };
}

export default async function RosterPage({ params, searchParams }: Props) {
  const { tenant, course: slug } = await params;
  const ctx = await requireMember(tenant);
  const sp = await searchParams;
  const { roster, requests } = await withMember(ctx, async (tx) => {
    const roster = await listRoster(tx, ctx, slug, sp);
    const showRequests = roster.pendingCount > 0 && roster.query.status !== 'pending';
    return { roster, requests: showRequests ? await listRoster(tx, ctx, slug, { status: 'pending' }) : null };
  }).catch(pageError);
  const [t, format] = await Promise.all([getTranslations('roster'), getFormatter()]);
  const { course, access, rows, required, query } = roster;
  const canAuthor = access.canAuthor;
  const base = `/teach/${course.slug}/roster`;
  const filtered = Boolean(query.q || query.status || query.role);
  const roleOptions = COURSE_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
  const seatsLeft = course.capacity === null ? null : Math.max(0, course.capacity - course.seatsTaken);
  const date = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: 'medium' }) : null);
  const none = (label: string) => (
    <>
      <span aria-hidden className="text-slate-400">
        —
      </span>
      <span className="sr-only">{label}</span>
    </>
  );

  return (
    <AnnouncerProvider>
      <main className="space-y-6">
        <h2 className="sr-only">{t('title')}</h2>
        {!canAuthor && <Alert tone="info">{t('readOnly')}</Alert>}

        <Announcements dismissLabel={t('dismiss')} />

        {requests && (
          <Card
            title={t('requestsTitle')}
            description={t('requestsLede', { count: roster.pendingCount })}
            actions={
              <Link href={`${base}?status=pending`} className={buttonClass('secondary', 'shrink-0 px-3 py-1.5')}>
                {t('viewAllRequests', { count: roster.pendingCount })}
              </Link>
            }
          >
            <ul className="divide-y divide-slate-200" aria-label={t('requestsTitle')}>
              {requests.rows.slice(0, REQUESTS_SHOWN).map((r) => (
                <li key={r.enrolmentId} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
                  <div>
                    <Link href={`${base}/${r.userId}`} className="font-medium text-slate-900 underline-offset-2 hover:underline">
                      {r.name}
                    </Link>
                    <div className="text-slate-600">
                      {r.email} · {t('requestedOn', { date: date(r.requestedAt) ?? '' })}
                    </div>
                  </div>
                  {canAuthor && <RequestDecision action={decideRequestAction} enrolmentId={r.enrolmentId} name={r.name} />}
                </li>
              ))}
            </ul>
          </Card>
        )}

        <Card title={query.status === 'pending' ? t('requestsTitle') : t('listTitle', { total: roster.total })}>
          <form method="get" action={base} className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label={t('filtersLabel')}>
            <div className="min-w-48 flex-1">
              <label htmlFor="roster-q" className="block text-sm font-medium">
                {t('search')}
              </label>
              <input id="roster-q" name="q" type="search" defaultValue={query.q ?? ''} placeholder={t('searchPlaceholder')} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
            </div>
            <div>
              <label htmlFor="roster-status" className="block text-sm font-medium">
                {t('statusFilter')}
              </label>
              <select id="roster-status" name="status" defaultValue={query.status ?? ''} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
                <option value="">{t('allStatuses')}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`statuses.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="roster-role" className="block text-sm font-medium">
                {t('roleFilter')}
              </label>
              <select id="roster-role" name="role" defaultValue={query.role ?? ''} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
                <option value="">{t('allRoles')}</option>
                {COURSE_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="roster-sort" className="block text-sm font-medium">
                {t('sortLabel')}
              </label>
              <select id="roster-sort" name="sort" defaultValue={query.sort} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
                <option value="recent">{t('sortRecent')}</option>
                <option value="name">{t('sortName')}</option>
              </select>
            </div>
            <button type="submit" className={buttonClass('secondary')}>
              {t('applyFilters')}
            </button>
            {filtered && (
              <Link href={base} className={buttonClass('ghost')}>
                {t('clearFilters')}
              </Link>
            )}
          </form>

          {rows.length === 0 ? (
            <div className="rounded-md border border-dashed border-slate-300 px-6 py-10 text-center">
              <p className="font-medium text-slate-900">{filtered ? t('noMatches') : t('empty')}</p>
              <p className="mt-1 text-sm text-slate-600">{filtered ? t('noMatchesHint') : canAuthor ? t('emptyAuthor') : t('emptyReadOnly')}</p>
            </div>
          ) : (
            <div className="-mx-6 overflow-x-auto px-6">
              <table className="w-full min-w-[56rem] text-left text-sm">
                <caption className="sr-only">{t('caption', { course: course.title })}</caption>
                <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
                  <tr>
                    <th scope="col" className="py-2 pr-4">{t('colName')}</th>
                    <th scope="col" className="py-2 pr-4">{t('colRole')}</th>
                    <th scope="col" className="py-2 pr-4">{t('colStatus')}</th>
                    <th scope="col" className="w-44 py-2 pr-4">{t('colProgress')}</th>
                    <th scope="col" className="py-2 pr-4">{t('colEnrolled')}</th>
                    <th scope="col" className="py-2 pr-4">{t('colLastActivity')}</th>
                    <th scope="col" className="py-2 pr-4">{t('colCompleted')}</th>
                    {canAuthor && (
                      <th scope="col" className="py-2">
                        <span className="sr-only">{t('colActions')}</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rows.map((r) => {
                    const fraction = required ? r.done / required : 0;
                    const progressText = required ? t('progressText', { done: r.done, required, percent: fraction }) : t('noRequired');
                    return (
                      <tr key={r.enrolmentId} data-testid="roster-row" className="align-top">
                        <th scope="row" className="py-3 pr-4 text-left font-normal">
                          <Link href={`${base}/${r.userId}`} className="font-medium text-slate-900 underline-offset-2 hover:underline">
                            {r.name}
                          </Link>
                          <div className="text-slate-600">{r.email}</div>
                        </th>
                        <td className="py-3 pr-4">
                          {canAuthor ? (
                            <SaveOnChangeSelect action={setCourseRoleAction} hidden={{ enrolmentId: r.enrolmentId }} name="role" value={r.role} options={roleOptions} label={t('roleFor', { name: r.name })} />
                          ) : (
                            t(`roles.${r.role}`)
                          )}
                        </td>
                        <td className="py-3 pr-4">
                          <StatusBadge status={r.status} label={t(`statuses.${r.status}`)} />
                        </td>
                        <td className="py-3 pr-4">
                          {(r.role === 'learner' && r.status === 'active') || r.done > 0 ? (
                            <div className="space-y-1">
                              <ProgressBar value={fraction} label={t('progressFor', { name: r.name })} text={progressText} size="sm" />
                              <div className="text-xs tabular-nums text-slate-600">{progressText}</div>
                            </div>
                          ) : (
                            none(t('notApplicable'))
                          )}
                        </td>
                        <td className="whitespace-nowrap py-3 pr-4 text-slate-700">{date(r.enrolledAt) ?? none(r.status === 'pending' ? t('requestedOn', { date: date(r.requestedAt) ?? '' }) : t('notEnrolled'))}</td>
                        <td className="whitespace-nowrap py-3 pr-4 text-slate-700">
                          {r.lastActivityAt ? <time dateTime={r.lastActivityAt.toISOString()} title={format.dateTime(r.lastActivityAt, { dateStyle: 'medium', timeStyle: 'short' })}>{format.relativeTime(r.lastActivityAt)}</time> : <span className="text-slate-500">{t('never')}</span>}
                        </td>
                        <td className="whitespace-nowrap py-3 pr-4 text-slate-700">{date(r.completedAt) ?? none(t('notCompleted'))}</td>
                        {canAuthor && (
                          <td className="py-3 text-right">
                            <div className="flex flex-col items-end gap-1">
                              {r.status === 'pending' && <RequestDecision action={decideRequestAction} enrolmentId={r.enrolmentId} name={r.name} />}
                              <RemoveEnrolment
                                action={unenrolAction}
                                enrolmentId={r.enrolmentId}
                                name={r.name}
                                labels={{
                                  trigger: t('remove'),
                                  triggerLabel: t('removeNamed', { name: r.name }),
                                  title: t('removeTitle', { name: r.name }),
                                  body: (
                                    <div className="space-y-2">
                                      <p>{t('removeBody', { name: r.name, course: course.title })}</p>
                                      {r.done > 0 && <p className="font-medium text-red-800">{t('removeProgress', { done: r.done, required })}</p>}
                                    </div>
                                  ),
                                  confirm: t('removeConfirm'),
                                  pending: t('removing'),
                                }}
                              />
                            </div>
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <Pagination page={roster.page} pageSize={roster.pageSize} total={roster.total} params={{ q: query.q, status: query.status, role: query.role, sort: query.sort === 'recent' ? undefined : query.sort }} />
        </Card>

        {canAuthor && (
          <Card title={t('add.title')} description={t('add.lede', { org: ctx.tenant.name })}>
            <div className="space-y-8">
              <section aria-labelledby="add-by-email-title" className="space-y-3">
                <h3 id="add-by-email-title" className="text-base font-semibold text-slate-900">
                  {t('add.byEmailTitle')}
                </h3>
                <AddByEmailForm action={enrolByEmailAction} courseId={course.id} roles={roleOptions} maxEmails={MAX_EMAILS} />
              </section>
              <section aria-labelledby="add-csv-title" className="space-y-3 border-t border-slate-200 pt-6">
                <div>
                  <h3 id="add-csv-title" className="text-base font-semibold text-slate-900">
                    {t('csv.title')}
                  </h3>
                  <p className="mt-1 text-sm text-slate-600">{t('csv.lede')}</p>
                  {seatsLeft !== null && <p className="mt-1 text-sm text-slate-600">{t('csv.seatsLeft', { seats: seatsLeft })}</p>}
                </div>
                <CsvImport courseId={course.id} maxRows={IMPORT_MAX_ROWS} seatsLeft={seatsLeft} checkAction={checkImportAction} commitAction={commitImportAction} />
              </section>
            </div>
          </Card>
        )}
      </main>
    </AnnouncerProvider>
  );
}

function StatusBadge({ status, label }: { status: 'active' | 'pending' | 'declined'; label: string }) {
  const tones = { active: 'bg-green-50 text-green-800 ring-green-200', pending: 'bg-amber-50 text-amber-900 ring-amber-200', declined: 'bg-slate-100 text-slate-700 ring-slate-200' };
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[status]}`}>{label}</span>;
}
