import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ArchiveQuestion } from '@/components/teach/questions/archive-question';
import { isQuestionTypeName } from '@/components/teach/questions/definition';
import { promptText } from '@/components/teach/questions/prompt-text';
import { QuestionForm } from '@/components/teach/questions/question-form';
import { RegradeQuestion } from '@/components/teach/questions/regrade-question';
import { listQuestions } from '@/lib/assessment/bank';
import { attemptsUsingQuestion } from '@/lib/assessment/grading';
import { withMember } from '@/lib/auth/with-member';
import { sanitizeRichText } from '@/lib/courses/sanitize';
import { loadAuthoredCourse, loadTeachingCourse } from '../../load-course';
import { archiveQuestionAction, regradeQuestionAction, saveQuestionAction } from '../actions';

type Props = { params: Promise<{ tenant: string; course: string; questionId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('questions'))('editMetaTitle', { title: loaded.course.title }) };
}

/** Edit one question of the bank (archived ones and other courses' are not found). */
export default async function EditQuestionPage({ params }: Props) {
  const { tenant, course: slug, questionId } = await params;
  const { ctx, course } = await loadAuthoredCourse(tenant, slug);
  const rows = await withMember(ctx, (tx) => listQuestions(tx, ctx, course.id));
  const q = rows.find((r) => r.id === questionId);
  if (!q || !isQuestionTypeName(q.type)) notFound();
  const usedBy = q.type === 'essay' ? 0 : await withMember(ctx, (tx) => attemptsUsingQuestion(tx, ctx, q.id));
  const [promptHtml, excerpt] = await Promise.all([sanitizeRichText(q.promptHtml), promptText(q.promptHtml)]);
  const base = `/teach/${course.slug}/questions`;
  return (
    <main className="space-y-4">
      <QuestionForm courseId={course.id} courseSlug={course.slug} type={q.type} question={{ id: q.id, type: q.type, promptHtml, points: q.points, tags: q.tags, definition: q.definition }} action={saveQuestionAction} />
      {usedBy > 0 && <RegradeQuestion questionId={q.id} attempts={usedBy} action={regradeQuestionAction} />}
      <div className="border-t border-slate-200 pt-4">
        <ArchiveQuestion questionId={q.id} excerpt={excerpt} action={archiveQuestionAction} redirectTo={`${base}?saved=archived`} />
      </div>
    </main>
  );
}
