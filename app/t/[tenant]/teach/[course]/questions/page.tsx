import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { promptText } from '@/components/teach/questions/prompt-text';
import { ArchiveQuestion } from '@/components/teach/questions/archive-question';
import { QUESTION_TYPES, isQuestionTypeName } from '@/components/teach/questions/definition';
import { ImportBank } from '@/components/teach/questions/import-bank';
import { TypeBadge } from '@/components/teach/questions/type-badge';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { listQuestions } from '@/lib/assessment/bank';
import { withMember } from '@/lib/auth/with-member';
import { loadAuthoredCourse, loadTeachingCourse } from '../load-course';
import { archiveQuestionAction, importBankAction } from './actions';

type Props = { params: Promise<{ tenant: string; course: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('questions'))('metaTitle', { title: loaded.course.title }) };
}

const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');

/** The course's question bank: filter by type or tag, add, edit, archive, export and import. */
export default async function QuestionsPage({ params, searchParams }: Props) {
  const { tenant, course: slug } = await params;
  const sp = await searchParams;
  const type = isQuestionTypeName(one(sp.type)) ? one(sp.type) : '';
  const tag = one(sp.tag).trim().toLowerCase().slice(0, 40);
  const saved = one(sp.saved);
  const { ctx, course } = await loadAuthoredCourse(tenant, slug);
  const [t, all] = await Promise.all([getTranslations('questions'), withMember(ctx, (tx) => listQuestions(tx, ctx, course.id))]);
  const rows = all.filter((q) => (!type || q.type === type) && (!tag || q.tags.includes(tag)));
  const tags = [...new Set(all.flatMap((q) => q.tags))].sort();
  const excerpts = await Promise.all(rows.map((q) => promptText(q.promptHtml)));
  const base = `/teach/${course.slug}/questions`;
  const filtered = Boolean(type || tag);

  return (
    <main className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold text-slate-900">{t('title')}</h2>
          <p className="mt-1 text-sm text-slate-600">{t('lede')}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {all.length > 0 && (
            <a href={`${base}/export`} download className={buttonClass('secondary')} data-testid="export-link">
              {t('export')}
            </a>
          )}
          <Link href={`${base}/new`} className={buttonClass('primary')}>
            {t('new')}
          </Link>
        </div>
      </div>

      {saved && (saved === 'created' || saved === 'updated' || saved === 'archived') && <Alert tone="success">{t(`saved.${saved}`)}</Alert>}

      {all.length > 0 && (
        <form method="get" action={base} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" role="search" aria-label={t('filterLabel')}>
          <div>
            <label htmlFor="q-type" className="block text-xs font-medium text-slate-700">
              {t('filterType')}
            </label>
            <select id="q-type" name="type" defaultValue={type} className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
              <option value="">{t('allTypes')}</option>
              {QUESTION_TYPES.map((qt) => (
                <option key={qt} value={qt}>
                  {t(`types.${qt}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="q-tag" className="block text-xs font-medium text-slate-700">
              {t('filterTag')}
            </label>
            <select id="q-tag" name="tag" defaultValue={tag} className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
              <option value="">{t('allTags')}</option>
              {tags.map((tg) => (
                <option key={tg} value={tg}>
                  {tg}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={buttonClass('secondary', 'py-1.5')}>
            {t('applyFilter')}
          </button>
          {filtered && (
            <Link href={base} className="text-sm text-slate-700 underline">
              {t('clearFilter')}
            </Link>
          )}
        </form>
      )}

      {all.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center" data-testid="bank-empty">
          <p className="font-medium text-slate-900">{t('emptyTitle')}</p>
          <p className="mt-1 text-sm text-slate-600">{t('emptyBody')}</p>
        </div>
      ) : rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8 text-center text-sm text-slate-600">{t('noMatch')}</p>
      ) : (
        <>
          <p className="text-sm text-slate-600" aria-live="polite">
            {t('count', { shown: rows.length, total: all.length })}
          </p>
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="question-list">
            {rows.map((q, i) => (
              <li key={q.id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="question-row">
                <TypeBadge type={q.type} />
                <div className="min-w-0 flex-1">
                  <Link href={`${base}/${q.id}`} className="block truncate text-sm font-medium text-slate-900 hover:underline">
                    {excerpts[i] || t('noPrompt')}
                  </Link>
                  <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-600">
                    <span>{t('points', { points: q.points })}</span>
                    {q.tags.map((tg) => (
                      <Link key={tg} href={`${base}?tag=${encodeURIComponent(tg)}`} className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700 hover:bg-slate-200">
                        #{tg}
                      </Link>
                    ))}
                  </div>
                </div>
                <Link href={`${base}/${q.id}`} className={buttonClass('ghost', 'px-3 py-1.5')} aria-label={t('editLabel', { excerpt: excerpts[i] ?? '' })}>
                  {t('edit')}
                </Link>
                <ArchiveQuestion questionId={q.id} excerpt={excerpts[i] ?? ''} action={archiveQuestionAction} redirectTo={`${base}?saved=archived`} />
              </li>
            ))}
          </ul>
        </>
      )}

      <ImportBank courseId={course.id} action={importBankAction} />
    </main>
  );
}
