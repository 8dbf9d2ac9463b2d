import { getFormatter, getTranslations } from 'next-intl/server';
import { myAttemptAllowance, myAttempts, type MyAttempt } from '@/lib/assessment/my-attempts';
import { getMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import type { QuizContent } from '@/lib/courses/kinds/quiz';
import { Icon } from '../icons';
import { QuizPlayer, type AttemptSummary } from '../quiz/quiz-player';
import type { ItemViewProps } from './types';

/** Read once per render of this server component (availability is re-checked by the service anyway). */
function currentTime(): number {
  return Date.now();
}

/**
 * A quiz: what it is (questions, time limit, attempts, due date, availability), the learner's attempts
 * (scores only as the results policy allows, via the attempt service), and the player to take one.
 * Only counts and dates leave the server here; the questions come from the attempt endpoints.
 */
export async function QuizItem({ tenant, courseSlug, item, content, preview }: ItemViewProps) {
  const [t, format] = await Promise.all([getTranslations('quiz'), getFormatter()]);
  const quiz = content as Partial<QuizContent>;
  const member = preview ? null : await getMember(tenant.slug);
  const { attempts, allowed } = member
    ? await withMember(member, async (tx) => ({ attempts: await myAttempts(tx, member, item.id), allowed: await myAttemptAllowance(tx, member, item.id, quiz.attemptsAllowed ?? 1) }))
    : { attempts: [] as MyAttempt[], allowed: quiz.attemptsAllowed ?? 1 };
  const now = currentTime();
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const count = (quiz.questionIds?.length ?? 0) + (quiz.pools ?? []).reduce((n, p) => n + p.count, 0);
  const notYet = quiz.availableFrom ? new Date(quiz.availableFrom).getTime() > now : false;
  const over = quiz.availableUntil ? new Date(quiz.availableUntil).getTime() <= now : false;
  const usedUp = allowed > 0 && attempts.length >= allowed;
  const blocked = preview ? t('previewNote') : notYet ? t('notOpenYet') : over ? t('notOpenAnymore') : usedUp ? t('usedUp') : null;

  const facts: { icon: Parameters<typeof Icon>[0]['name']; text: string }[] = [];
  if (count > 0) facts.push({ icon: 'check', text: t('questionCount', { count }) });
  facts.push({ icon: 'clock', text: quiz.timeLimitMinutes ? t('timeLimit', { minutes: quiz.timeLimitMinutes }) : t('noTimeLimit') });
  if (!preview) facts.push({ icon: 'check', text: allowed > 0 ? t('attemptsUsed', { used: attempts.length, allowed }) : t('attemptsUnlimited', { used: attempts.length }) });
  if (quiz.dueAt) facts.push({ icon: 'clock', text: t('dueAt', { date: date(quiz.dueAt) }) });
  if (quiz.availableFrom && notYet) facts.push({ icon: 'clock', text: t('opensAt', { date: date(quiz.availableFrom) }) });
  if (quiz.availableUntil) facts.push({ icon: 'clock', text: over ? t('closedAt', { date: date(quiz.availableUntil) }) : t('closesAt', { date: date(quiz.availableUntil) }) });
  if (quiz.passMark !== null && quiz.passMark !== undefined) facts.push({ icon: 'check', text: t('passMark', { percent: quiz.passMark }) });

  const summaries: AttemptSummary[] = attempts.map((a) => ({ ...a, submittedAt: a.submittedAt ? a.submittedAt.toISOString() : null }));
  return (
    <div className="space-y-6">
      <section aria-labelledby="quiz-about" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="quiz-about" className="text-base font-semibold text-slate-900">
          {t('about')}
        </h2>
        <ul className="mt-3 grid gap-2 text-sm text-slate-700 sm:grid-cols-2">
          {facts.map((f, i) => (
            <li key={i} className="flex items-center gap-2">
              <Icon name={f.icon} className="size-4 text-slate-500" />
              {f.text}
            </li>
          ))}
        </ul>
      </section>
      <QuizPlayer baseUrl={`/learn/${encodeURIComponent(courseSlug)}/${item.id}/quiz`} attempts={summaries} canStart={blocked === null} blocked={blocked} />
    </div>
  );
}
