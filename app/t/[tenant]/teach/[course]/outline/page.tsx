import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { toDateTimeLocal } from '@/components/teach/datetime';
import { OutlineEditor } from '@/components/teach/outline/outline-editor';
import { QuizBankProvider } from '@/components/teach/outline/quiz-bank';
import { promptText } from '@/components/teach/questions/prompt-text';
import { listQuestions } from '@/lib/assessment/bank';
import type { ItemContent, OutlineModule } from '@/components/teach/outline/types';
import type { AssignmentContent } from '@/lib/assignments/rules';
import type { TenantRef } from '@/lib/auth/context';
import { withMember } from '@/lib/auth/with-member';
import { sanitizeRichText } from '@/lib/courses/sanitize';
import { loadOutline, type CourseItem } from '@/lib/courses/structure';
import { fileUrl, inlineFor } from '@/lib/files/urls';
import { addItemAction, addModuleAction, deleteItemAction, deleteModuleAction, renameModuleAction, reorderOutlineAction, updateItemAction } from '../actions';
import { loadAuthoredCourse, loadTeachingCourse } from '../load-course';

type Props = { params: Promise<{ tenant: string; course: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('teach.outline'))('metaTitle', { title: loaded.course.title }) };
}

/** What the editor needs of an item's stored content (lessons re-sanitised, files as signed links). */
async function editorContent(tenant: TenantRef, item: CourseItem): Promise<ItemContent> {
  const c = item.content as Record<string, unknown>;
  const str = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : '');
  const stored = () => {
    const fileKey = str('fileKey');
    const filename = str('filename') || 'file';
    return { fileKey, filename, size: typeof c.size === 'number' ? c.size : 0, url: fileKey ? fileUrl(tenant, fileKey, { filename, disposition: inlineFor(str('contentType')) }) : '' };
  };
  switch (item.kind) {
    case 'lesson':
      return { kind: 'lesson', html: await sanitizeRichText(str('html')) };
    case 'video':
      if (c.source === 'embed') {
        const provider = c.provider === 'vimeo' ? 'vimeo' : 'youtube';
        const videoUrl = provider === 'vimeo' ? `https://vimeo.com/${str('videoId')}` : `https://www.youtube.com/watch?v=${str('videoId')}`;
        return { kind: 'video', source: 'embed', provider, videoUrl };
      }
      return { kind: 'video', source: 'upload', ...stored() };
    case 'file':
      return { kind: 'file', ...stored() };
    case 'quiz': {
      const num = (k: string) => (typeof c[k] === 'number' ? String(c[k]) : '');
      const date = (k: string) => (typeof c[k] === 'string' ? toDateTimeLocal(new Date(c[k] as string)) : '');
      const policy = (k: string, fallback: 'immediately' | 'after_due' | 'never') => (c[k] === 'immediately' || c[k] === 'after_due' || c[k] === 'never' ? c[k] : fallback);
      return {
        kind: 'quiz',
        questionIds: Array.isArray(c.questionIds) ? (c.questionIds as string[]) : [],
        pools: Array.isArray(c.pools) ? (c.pools as { tag: string; count: number }[]) : [],
        shuffleQuestions: c.shuffleQuestions === true,
        shuffleOptions: c.shuffleOptions === true,
        attemptsAllowed: num('attemptsAllowed'),
        timeLimitMinutes: num('timeLimitMinutes'),
        availableFrom: date('availableFrom'),
        availableUntil: date('availableUntil'),
        dueAt: date('dueAt'),
        passMark: num('passMark'),
        showScore: policy('showScore', 'immediately'),
        showAnswers: policy('showAnswers', 'after_due'),
      };
    }
    case 'assignment': {
      const a = c as Partial<AssignmentContent>;
      return {
        kind: 'assignment',
        instructionsHtml: await sanitizeRichText(a.instructionsHtml ?? ''),
        submissionTypes: a.submissionTypes ?? ['text'],
        pointsPossible: typeof a.pointsPossible === 'number' ? String(a.pointsPossible) : '',
        dueAt: a.dueAt ? toDateTimeLocal(new Date(a.dueAt)) : '',
        latePenaltyPercent: String(a.latePenaltyPercent ?? 0),
        cutoffDays: a.cutoffDays === null || a.cutoffDays === undefined ? '' : String(a.cutoffDays),
        allowResubmission: a.allowResubmission === true,
        rubric: (a.rubric?.criteria ?? []).map((x) => ({ id: x.id, title: x.title, description: x.description, levels: x.levels.map((l) => ({ id: l.id, title: l.title, points: String(l.points) })) })),
      };
    }
    default:
      return { kind: 'link', url: str('url'), description: str('description') };
  }
}

export default async function OutlinePage({ params }: Props) {
  const { tenant, course: slug } = await params;
  const { ctx, course } = await loadAuthoredCourse(tenant, slug);
  const [t, format, outline] = await Promise.all([getTranslations('teach.outline'), getFormatter(), withMember(ctx, (tx) => loadOutline(tx, course.id))]);
  const questions = await withMember(ctx, (tx) => listQuestions(tx, ctx, course.id));
  const bank = await Promise.all(questions.map(async (q) => ({ id: q.id, type: q.type, excerpt: await promptText(q.promptHtml, 120), tags: q.tags })));
  const modules: OutlineModule[] = await Promise.all(
    outline.modules.map(async (m) => ({
      id: m.id,
      title: m.title,
      items: await Promise.all(
        m.items.map(async (i) => ({
          id: i.id,
          title: i.title,
          required: i.required,
          prerequisiteItemId: i.prerequisiteItemId,
          releaseAt: toDateTimeLocal(i.releaseAt),
          releaseAfterDays: i.releaseAfterDays === null ? '' : String(i.releaseAfterDays),
          releaseAtLabel: i.releaseAt ? format.dateTime(i.releaseAt, { dateStyle: 'medium', timeStyle: 'short' }) : null,
          content: await editorContent(ctx.tenant, i),
        })),
      ),
    })),
  );

  return (
    <main className="space-y-4">
      <div>
        <h2 className="text-xl font-semibold text-slate-900">{t('title')}</h2>
        <p className="mt-1 text-sm text-slate-600">{t('lede')}</p>
      </div>
      <QuizBankProvider bank={bank} bankHref={`/teach/${course.slug}/questions`}>
      <OutlineEditor
        courseId={course.id}
        modules={modules}
        structureVersion={course.structureVersion}
        actions={{
          reorder: reorderOutlineAction,
          addModule: addModuleAction,
          renameModule: renameModuleAction,
          deleteModule: deleteModuleAction,
          addItem: addItemAction,
          updateItem: updateItemAction,
          deleteItem: deleteItemAction,
        }}
      />
      </QuizBankProvider>
    </main>
  );
}
