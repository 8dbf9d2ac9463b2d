import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import type { PlayerItem } from '@/lib/learning/player';
import { Icon, KindIcon } from './icons';
import { lockReason } from './lock';

type Module = { id: string; title: string; items: PlayerItem[] };

/**
 * The player's outline: modules and items with ✓ completed and 🔒 locked (and why). The current item is
 * marked with aria-current. Every item is a link: a locked one opens its "why it is locked" page.
 */
export async function OutlineNav({ modules, currentId, idPrefix }: { modules: Module[]; currentId: string | null; idPrefix: string }) {
  const [t, format] = await Promise.all([getTranslations('player'), getFormatter()]);
  const titles = new Map(modules.flatMap((m) => m.items.map((i) => [i.id, i.title] as const)));
  return (
    <nav aria-label={t('outline')}>
      <ol className="space-y-5">
        {modules.map((m, mi) => (
          <li key={m.id}>
            <h2 id={`${idPrefix}-m-${m.id}`} className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-600">
              <span className="sr-only">{t('moduleNumber', { n: mi + 1 })} </span>
              {m.title}
            </h2>
            <ol aria-labelledby={`${idPrefix}-m-${m.id}`} className="mt-2 space-y-0.5">
              {m.items.length === 0 && <li className="px-2 py-1 text-sm text-slate-600">{t('moduleEmpty')}</li>}
              {m.items.map((item) => {
                const current = item.id === currentId;
                const reason = lockReason(t, format, item.lock, (id) => titles.get(id));
                const status = item.completed ? t('statusCompleted') : item.lock.locked ? t('statusLocked') : t(`kinds.${item.kind}`);
                return (
                  <li key={item.id}>
                    <Link
                      href={item.href}
                      aria-current={current ? 'page' : undefined}
                      className={`group flex items-start gap-3 rounded-md px-2 py-2 text-sm transition ${
                        current ? 'bg-brand/10 font-semibold text-slate-900 ring-1 ring-brand/40' : 'text-slate-700 hover:bg-slate-100'
                      }`}
                    >
                      <span
                        className={`mt-0.5 flex size-5 items-center justify-center rounded-full ${
                          item.completed ? 'bg-green-600 text-white' : item.lock.locked ? 'bg-slate-200 text-slate-600' : 'bg-slate-100 text-slate-600'
                        }`}
                      >
                        {item.completed ? <Icon name="check" className="size-3.5" /> : item.lock.locked ? <Icon name="lock" className="size-3.5" /> : <KindIcon kind={item.kind} className="size-3.5" />}
                      </span>
                      <span className="min-w-0 flex-1">
                        <span className="block break-words">{item.title}</span>
                        <span className="sr-only">, {status}</span>
                        {!item.required && <span className="mt-0.5 block text-xs font-normal text-slate-600">{t('optional')}</span>}
                        {reason && <span className="mt-0.5 block text-xs font-normal text-slate-600">{reason}</span>}
                      </span>
                    </Link>
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ol>
    </nav>
  );
}
