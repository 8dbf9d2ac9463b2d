import { getTranslations } from 'next-intl/server';
import { sanitizeRichText } from '@/lib/courses/sanitize';
import { PROSE } from '../prose';
import type { ItemViewProps } from './types';

/** A lesson page: the author's rich text, sanitised again right here before it is rendered. */
export async function LessonItem({ content }: ItemViewProps) {
  const html = await sanitizeRichText(typeof content.html === 'string' ? content.html : '');
  if (!html.trim()) return <p className="text-slate-600">{(await getTranslations('player'))('lessonEmpty')}</p>;
  return <div className={PROSE} dangerouslySetInnerHTML={{ __html: html }} />;
}
