import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { Icon } from '../icons';
import type { ItemViewProps } from './types';

/** An external page: what it is, and a button that opens it in a new tab (never with our window as opener). */
export async function LinkItem({ content }: ItemViewProps) {
  const t = await getTranslations('player');
  let url: URL | null = null;
  try {
    url = new URL(String(content.url ?? ''));
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return <p className="text-slate-600">{t('linkUnavailable')}</p>;
  const description = typeof content.description === 'string' ? content.description : '';
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      {description && <p className="whitespace-pre-line text-slate-800">{description}</p>}
      <p className={`flex items-center gap-2 text-sm text-slate-600 ${description ? 'mt-3' : ''}`}>
        <Icon name="globe" />
        <span className="break-all">{url.hostname}</span>
      </p>
      <a href={url.toString()} target="_blank" rel="noopener noreferrer" className={buttonClass('primary', 'mt-5')}>
        {t('openLink')}
        <Icon name="external" />
        <span className="sr-only"> {t('newTab')}</span>
      </a>
    </div>
  );
}
