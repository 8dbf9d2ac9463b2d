import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { CompletionPanel } from '@/components/learn/completion-panel';
import { CourseCompleteBanner, PreviewBanner } from '@/components/learn/banners';
import { Icon, KindIcon } from '@/components/learn/icons';
import { ITEM_VIEWS } from '@/components/learn/items';
import { submitAssignmentAction } from '../../assignment-actions';
import { lockReason } from '@/components/learn/lock';
import { OutlineNav } from '@/components/learn/outline-nav';
import { PlayerProgress } from '@/components/learn/player-progress';
import { buttonClass } from '@/components/ui/button';
import { requireMember } from '@/lib/auth/guard';
import { percent } from '@/lib/learning/progress';
import { markCompleteAction } from '../../actions';
import { playerViewFor } from '../../load';

const ITEM_ACTIONS = { submitAssignment: submitAssignmentAction };

type Props = { params: Promise<{ tenant: string; course: string; itemId: string }> };

async function load({ params }: Props) {
  const { tenant, course, itemId } = await params;
  if (!z.uuid().safeParse(itemId).success) notFound();
  const ctx = await requireMember(tenant);
  return { ctx, view: await playerViewFor(ctx, course, itemId) };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { view } = await load(props);
  return { title: `${view.current?.title ?? ''} · ${view.course.title}` };
}

/** The course player: outline, progress, the item (or why it is locked), completion and the way on. */
export default async function PlayerPage(props: Props) {
  const { ctx, view } = await load(props);
  const [t, format] = await Promise.all([getTranslations('player'), getFormatter()]);
  const item = view.current!;
  const titles = new Map(view.modules.flatMap((m) => m.items.map((i) => [i.id, i.title] as const)));
  const moduleIndex = view.modules.findIndex((m) => m.id === item.moduleId);
  const position = view.modules.flatMap((m) => m.items).findIndex((i) => i.id === item.id) + 1;
  const total = view.modules.reduce((n, m) => n + m.items.length, 0);
  const reason = lockReason(t, format, item.lock, (id) => titles.get(id));
  const prerequisite = item.lock.locked && item.lock.reason === 'prerequisite' ? view.modules.flatMap((m) => m.items).find((i) => i.id === (item.lock as { prerequisiteItemId: string }).prerequisiteItemId) : undefined;
  const View = ITEM_VIEWS[item.kind];
  const courseComplete = !view.preview && Boolean(view.progress.completed_at);
  const pct = percent(view.progress);

  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 lg:py-8">
      {view.preview && <PreviewBanner courseSlug={view.course.slug} />}
      <div className="lg:grid lg:grid-cols-[18rem_minmax(0,1fr)] lg:gap-10">
        <aside className="hidden lg:block">
          <div className="sticky top-6 max-h-[calc(100vh-3rem)] space-y-6 overflow-y-auto rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <PlayerProgress course={view.course} progress={view.progress} preview={view.preview} />
            <OutlineNav modules={view.modules} currentId={item.id} idPrefix="side" />
          </div>
        </aside>

        <main className="min-w-0">
          <details className="group mb-6 rounded-xl border border-slate-200 bg-white shadow-sm lg:hidden">
            <summary className="flex cursor-pointer list-none items-center justify-between gap-3 p-4 [&::-webkit-details-marker]:hidden">
              <span className="min-w-0">
                <span className="block truncate font-semibold">{view.course.title}</span>
                <span className="block text-sm text-slate-600">
                  {view.preview ? t('previewShort') : t('progressShort', { done: view.progress.requirement_completed_count, total: view.progress.requirement_count, percent: pct })}
                </span>
              </span>
              <span className="flex shrink-0 items-center gap-1 text-sm font-medium whitespace-nowrap text-slate-700">
                {t('outline')}
                <Icon name="chevronDown" className="size-4 transition group-open:rotate-180" />
              </span>
            </summary>
            <div className="space-y-5 border-t border-slate-200 p-4">
              <PlayerProgress course={view.course} progress={view.progress} preview={view.preview} />
              <OutlineNav modules={view.modules} currentId={item.id} idPrefix="drawer" />
            </div>
          </details>

          <article className="space-y-6">
            <header>
              <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-600">
                {moduleIndex >= 0 && <span>{t('moduleLabel', { n: moduleIndex + 1, title: view.modules[moduleIndex]!.title })}</span>}
                <span aria-hidden>·</span>
                <span>{t('position', { n: position, total })}</span>
              </p>
              <h1 className="mt-2 text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{item.title}</h1>
              <p className="mt-3 flex flex-wrap items-center gap-2 text-xs font-medium">
                <span className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2.5 py-1 text-slate-700">
                  <KindIcon kind={item.kind} className="size-3.5" />
                  {t(`kinds.${item.kind}`)}
                </span>
                {!item.required && <span className="rounded-full bg-slate-100 px-2.5 py-1 text-slate-700">{t('optional')}</span>}
                {item.completed && (
                  <span className="inline-flex items-center gap-1 rounded-full bg-green-100 px-2.5 py-1 text-green-800">
                    <Icon name="check" className="size-3.5" />
                    {t('statusCompleted')}
                  </span>
                )}
              </p>
            </header>

            {item.lock.locked ? (
              <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
                <span className="mx-auto flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-600">
                  <Icon name={item.lock.reason === 'date' ? 'clock' : 'lock'} className="size-6" />
                </span>
                <h2 className="mt-4 text-lg font-semibold">{t('lockedTitle')}</h2>
                <p className="mt-2 text-slate-700" data-testid="lock-reason">
                  {reason}
                </p>
                {prerequisite && (
                  <Link href={prerequisite.href} className={buttonClass('primary', 'mt-6')}>
                    {t('goTo', { title: prerequisite.title })}
                  </Link>
                )}
              </div>
            ) : (
              <>
                {View ? (
                  <View
                    actions={ITEM_ACTIONS}
                    tenant={ctx.tenant}
                    courseSlug={view.course.slug}
                    item={{ id: item.id, title: item.title, kind: item.kind, completed: item.completed }}
                    content={item.content ?? {}}
                    completion={item.completion}
                    watched={item.watched}
                    preview={view.preview}
                  />
                ) : (
                  <p className="text-slate-600">{t('unknownKind')}</p>
                )}
                <CompletionPanel
                  key={item.id}
                  action={markCompleteAction}
                  itemId={item.id}
                  completed={item.completed}
                  completion={item.completion}
                  preview={view.preview}
                  next={view.next ? { href: view.next.href, title: view.next.title } : null}
                  courseComplete={courseComplete}
                />
              </>
            )}
            {/* Below the item, not above it: completing the course must not push the page down. */}
            {courseComplete && <CourseCompleteBanner title={view.course.title} />}

            <nav aria-label={t('pager')} className="grid gap-3 border-t border-slate-200 pt-6 sm:grid-cols-2">
              {view.previous ? (
                <Link href={view.previous.href} rel="prev" className="group flex items-center gap-3 rounded-xl border border-slate-200 bg-white p-4 hover:border-slate-300 hover:bg-slate-50">
                  <Icon name="arrowLeft" className="size-5 text-slate-500" />
                  <span className="min-w-0">
                    <span className="block text-xs font-medium uppercase tracking-wide text-slate-600">{t('previous')}</span>
                    <span className="block truncate font-medium text-slate-900">{view.previous.title}</span>
                  </span>
                </Link>
              ) : (
                <span className="hidden sm:block" />
              )}
              {view.next && (
                <Link href={view.next.href} rel="next" className="group flex items-center justify-end gap-3 rounded-xl border border-slate-200 bg-white p-4 text-right hover:border-slate-300 hover:bg-slate-50">
                  <span className="min-w-0">
                    <span className="block text-xs font-medium uppercase tracking-wide text-slate-600">{t('next')}</span>
                    <span className="block truncate font-medium text-slate-900">
                      {view.next.lock.locked && <Icon name="lock" className="mr-1 inline size-3.5 align-[-2px]" />}
                      {view.next.title}
                    </span>
                  </span>
                  <Icon name="arrowRight" className="size-5 text-slate-500" />
                </Link>
              )}
            </nav>
          </article>
        </main>
      </div>
    </div>
  );
}
