import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/teach/gradebook/action-form';
import { SchemeEditor } from '@/components/teach/gradebook/scheme-editor';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { gradebookSettings } from '@/lib/gradebook/settings';
import { loadTeachingCourse } from '../../load-course';
import { pageError } from '../../roster/page-errors';
import { assignCategoriesAction, createCategoryAction, deleteCategoryAction, saveSchemeAction, updateCategoryAction } from '../actions';

type Props = { params: Promise<{ tenant: string; course: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('gradebook.settings'))('metaTitle', { course: loaded.course.title }) };
}

const input = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm disabled:bg-slate-50';

/** Categories (weights, drops), which category each item is in, and the letter scheme. TAs read only. */
export default async function GradebookSettingsPage({ params }: Props) {
  const { tenant, course: slug } = await params;
  const ctx = await requireMember(tenant);
  const s = await withMember(ctx, (tx) => gradebookSettings(tx, ctx, slug)).catch(pageError);
  const t = await getTranslations('gradebook.settings');
  const readOnly = !s.access.canAuthor;
  const weightSum = s.categories.reduce((n, c) => n + c.weight, 0);
  const looseCount = s.items.filter((i) => !i.categoryId).length;

  const categoryFields = (c?: { id: string; name: string; weight: number; dropLowest: number; position: number }) => {
    const key = c?.id ?? 'new';
    return (
      <div key={c ? `${c.name}|${c.weight}|${c.dropLowest}|${c.position}` : 'new'} className="grid gap-3 sm:grid-cols-[minmax(0,2fr)_8rem_8rem_6rem]">
        <div>
          <label htmlFor={`name-${key}`} className="block text-sm font-medium text-slate-800">{t('categoryName')}</label>
          <input id={`name-${key}`} name="name" required maxLength={80} defaultValue={c?.name ?? ''} disabled={readOnly} className={input} />
        </div>
        <div>
          <label htmlFor={`weight-${key}`} className="block text-sm font-medium text-slate-800">{t('categoryWeight')}</label>
          <input id={`weight-${key}`} name="weight" inputMode="decimal" required defaultValue={c ? String(c.weight) : '0'} disabled={readOnly} className={`${input} text-right tabular-nums`} />
        </div>
        <div>
          <label htmlFor={`drop-${key}`} className="block text-sm font-medium text-slate-800">{t('categoryDrop')}</label>
          <input id={`drop-${key}`} name="dropLowest" type="number" min={0} max={50} required defaultValue={c ? String(c.dropLowest) : '0'} disabled={readOnly} className={`${input} text-right tabular-nums`} />
        </div>
        <div>
          <label htmlFor={`position-${key}`} className="block text-sm font-medium text-slate-800">{t('categoryPosition')}</label>
          <input id={`position-${key}`} name="position" type="number" min={0} max={1000} defaultValue={c ? String(c.position) : ''} disabled={readOnly} className={`${input} text-right tabular-nums`} />
        </div>
      </div>
    );
  };

  const itemsTable = (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{t('itemsCaption')}</caption>
      <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
        <tr>
          <th scope="col" className="py-2 pr-4">{t('colItem')}</th>
          <th scope="col" className="py-2 pr-4">{t('colKind')}</th>
          <th scope="col" className="py-2">{t('colCategory')}</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {s.items.map((i) => (
          <tr key={i.id}>
            <th scope="row" className="py-2 pr-4 font-medium text-slate-900">{i.title}</th>
            <td className="py-2 pr-4 text-slate-600">{t(`kinds.${i.kind}` as 'kinds.quiz')}</td>
            <td className="py-2">
              <select key={i.categoryId ?? ''} name={`item-${i.id}`} defaultValue={i.categoryId ?? ''} disabled={readOnly} aria-label={t('categoryFor', { item: i.title })} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
                <option value="">{t('uncategorised')}</option>
                {s.categories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <main className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold text-slate-900">{t('title')}</h2>
          <p className="text-sm text-slate-600">{t('lede')}</p>
        </div>
        <Link href={`/teach/${s.course.slug}/gradebook`} className="text-sm font-medium text-slate-700 underline underline-offset-2 hover:no-underline">
          {t('backToGradebook')}
        </Link>
      </div>
      {readOnly && <Alert tone="info">{t('readOnly')}</Alert>}

      <Card title={t('categoriesTitle')} description={t('categoriesLede')}>
        <div className="space-y-4">
          {s.categories.length === 0 && <p className="text-sm text-slate-600">{t('noCategories')}</p>}
          {s.categories.length > 0 && (
            <p className="text-sm text-slate-700" data-testid="weight-sum">
              {weightSum > 0 ? t('weightSum', { sum: weightSum }) : t('weightNone')}
            </p>
          )}
          {weightSum > 0 && looseCount > 0 && <Alert tone="warning">{t('looseWarning', { count: looseCount })}</Alert>}
          {s.categories.map((c) => (
            <section key={c.id} aria-label={c.name} className="rounded-md border border-slate-200 p-4" data-testid="category">
              {readOnly ? (
                categoryFields(c)
              ) : (
                <div className="space-y-2">
                  <ActionForm action={updateCategoryAction} submitLabel={t('saveCategory')} pendingLabel={t('saving')} label={t('editCategory', { name: c.name })}>
                    <input type="hidden" name="categoryId" value={c.id} />
                    {categoryFields(c)}
                  </ActionForm>
                  <ConfirmForm
                    action={deleteCategoryAction}
                    hidden={{ categoryId: c.id }}
                    trigger={t('deleteCategory')}
                    triggerLabel={t('deleteCategoryNamed', { name: c.name })}
                    title={t('deleteTitle', { name: c.name })}
                    body={<p>{t('deleteBody', { count: s.items.filter((i) => i.categoryId === c.id).length })}</p>}
                    confirmLabel={t('deleteConfirm')}
                    pendingLabel={t('deleting')}
                  />
                </div>
              )}
            </section>
          ))}
          {!readOnly && (
            <section aria-labelledby="new-category" className="rounded-md border border-dashed border-slate-300 p-4">
              <h3 id="new-category" className="mb-2 text-sm font-semibold text-slate-900">{t('addCategory')}</h3>
              <ActionForm action={createCategoryAction} submitLabel={t('addCategoryButton')} pendingLabel={t('saving')}>
                <input type="hidden" name="courseId" value={s.course.id} />
                {categoryFields()}
              </ActionForm>
            </section>
          )}
        </div>
      </Card>

      <Card title={t('itemsTitle')} description={t('itemsLede')}>
        {s.items.length === 0 ? (
          <p className="text-sm text-slate-600">{t('noItems')}</p>
        ) : (
          readOnly ? (
            itemsTable
          ) : (
            <ActionForm action={assignCategoriesAction} submitLabel={t('saveItems')} pendingLabel={t('saving')}>
              <input type="hidden" name="courseId" value={s.course.id} />
              {itemsTable}
            </ActionForm>
          )
        )}
      </Card>

      <Card title={t('schemeTitle')} description={t('schemeLede')}>
        <SchemeEditor courseId={s.course.id} scheme={s.scheme} custom={s.customScheme} readOnly={readOnly} action={saveSchemeAction} />
      </Card>
    </main>
  );
}
