import { getFormatter, getTranslations } from 'next-intl/server';
import { richTextClass } from '@/components/teach/rich-text-class';
import { cutoffAt, LIMITS, type AssignmentContent } from '@/lib/assignments/rules';
import { mySubmissions, type ReleasedGrade, type SubmissionView } from '@/lib/assignments/submissions';
import { getMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { sanitizeRichText } from '@/lib/courses/sanitize';
import { fileUrl, inlineFor } from '@/lib/files/urls';
import { SubmissionForm } from '../assignment/submission-form';
import { formatBytes, formatMoment } from '../format';
import { Icon } from '../icons';
import { PROSE } from '../prose';
import type { ItemViewProps } from './types';

/** Read once per render of this server component (the cut-off is re-checked by the service anyway). */
function currentTime(): number {
  return Date.now();
}

/**
 * An assignment in the player: instructions, due date and late policy in plain words, the rubric, the
 * learner's own versions (files as signed links made here, after the service returned only this learner's
 * submissions), their grade once released, and the form to hand in (again).
 */
export async function AssignmentItem({ tenant, item, content, preview, actions }: ItemViewProps) {
  const [t, format] = await Promise.all([getTranslations('assignment.player'), getFormatter()]);
  const a = content as AssignmentContent;
  const member = preview ? null : await getMember(tenant.slug);
  const mine = member ? await withMember(member, (tx) => mySubmissions(tx, member, item.id)) : null;
  const versions = mine?.versions ?? [];
  const now = currentTime();
  const cutoff = cutoffAt(a);
  const closed = cutoff !== null && cutoff.getTime() < now;
  const late = a.dueAt !== null && new Date(a.dueAt).getTime() < now;
  const instructions = await sanitizeRichText(a.instructionsHtml ?? '');

  const facts: string[] = [];
  facts.push(a.dueAt ? t('due', { date: formatMoment(format, new Date(a.dueAt)) }) : t('noDue'));
  if (a.dueAt) facts.push(a.latePenaltyPercent > 0 ? t('penalty', { percent: a.latePenaltyPercent }) : t('noPenalty'));
  if (cutoff) facts.push(t('cutoff', { date: formatMoment(format, cutoff), days: a.cutoffDays ?? 0 }));
  facts.push(t('points', { points: a.pointsPossible }));
  facts.push(t('handIn', { types: a.submissionTypes.map((x) => t(`type_${x}`)).join(', ') }));
  facts.push(a.allowResubmission ? t('resubmitAllowed') : t('resubmitNotAllowed'));

  const blocked = preview ? t('previewNote') : closed ? t('closed') : versions.length && !a.allowResubmission ? t('oneSubmission') : null;

  return (
    <div className="space-y-6">
      <section aria-labelledby="assignment-about" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="assignment-about" className="text-base font-semibold text-slate-900">
          {t('about')}
        </h2>
        <ul className="mt-3 grid gap-2 text-sm text-slate-700 sm:grid-cols-2" data-testid="assignment-facts">
          {facts.map((f, i) => (
            <li key={i} className="flex items-center gap-2">
              <Icon name={i === 0 ? 'clock' : 'check'} className="size-4 text-slate-500" />
              {f}
            </li>
          ))}
        </ul>
        {late && !closed && !preview && <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t('nowLate')}</p>}
      </section>

      <section aria-labelledby="assignment-instructions" className="space-y-2">
        <h2 id="assignment-instructions" className="text-base font-semibold text-slate-900">
          {t('instructions')}
        </h2>
        {instructions.trim() ? <div className={PROSE} dangerouslySetInnerHTML={{ __html: instructions }} /> : <p className="text-slate-600">{t('noInstructions')}</p>}
      </section>

      {a.rubric && <RubricTable rubric={a.rubric} grade={mine?.grade ?? null} t={t} />}

      {mine?.grade && <GradeCard grade={mine.grade} t={t} />}

      {versions.length > 0 && (
        <section aria-labelledby="assignment-versions" className="space-y-3">
          <h2 id="assignment-versions" className="text-base font-semibold text-slate-900">
            {t('yourSubmissions')}
          </h2>
          <ol className="space-y-3" data-testid="my-versions">
            {await Promise.all(versions.map(async (v) => <VersionCard key={v.id} version={v} tenantId={tenant.id} t={t} when={formatMoment(format, v.submittedAt)} size={(n) => formatBytes(format, n)} />))}
          </ol>
        </section>
      )}

      {blocked ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-5 py-4 text-sm text-slate-700" data-testid="submission-blocked">
          {blocked}
        </p>
      ) : (
        mine && <SubmissionForm action={actions.submitAssignment} itemId={item.id} courseId={mine.courseId} types={a.submissionTypes} nextVersion={(versions[0]?.version ?? 0) + 1} maxFiles={LIMITS.files} />
      )}
    </div>
  );
}

type T = Awaited<ReturnType<typeof getTranslations<'assignment.player'>>>;

/** "2 days late, −20 %" or "On time". */
export function lateness(t: T, v: Pick<SubmissionView, 'lateDays' | 'penaltyPercent'>): string {
  if (v.lateDays === 0) return t('onTime');
  return v.penaltyPercent > 0 ? t('lateWithPenalty', { days: v.lateDays, percent: v.penaltyPercent }) : t('late', { days: v.lateDays });
}

async function VersionCard({ version: v, tenantId, t, when, size }: { version: SubmissionView; tenantId: string; t: T; when: string; size: (n: number) => string }) {
  const html = v.bodyHtml ? await sanitizeRichText(v.bodyHtml) : '';
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="my-version">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-semibold text-slate-900">{t('version', { version: v.version })}</h3>
        <p className="text-sm text-slate-600">
          {t('submittedAt', { date: when })} · <span className={v.lateDays ? 'font-medium text-amber-800' : 'text-green-800'}>{lateness(t, v)}</span>
        </p>
      </div>
      {html && <div className={`mt-2 rounded-md bg-slate-50 p-3 ${richTextClass}`} dangerouslySetInnerHTML={{ __html: html }} />}
      {v.files.length > 0 && (
        <ul className="mt-2 space-y-1 text-sm">
          {v.files.map((f) => (
            <li key={f.key}>
              <a href={fileUrl({ id: tenantId }, f.key, { filename: f.name, disposition: inlineFor(f.contentType) })} target="_blank" rel="noopener noreferrer" className="font-medium text-brand underline">
                {f.name}
              </a>{' '}
              <span className="text-slate-500">({size(f.size)})</span>
            </li>
          ))}
        </ul>
      )}
      {v.url && (
        <p className="mt-2 text-sm">
          <a href={v.url} target="_blank" rel="noopener noreferrer nofollow" className="break-all font-medium text-brand underline">
            {v.url}
          </a>
        </p>
      )}
    </li>
  );
}

function GradeCard({ grade, t }: { grade: ReleasedGrade; t: T }) {
  return (
    <section aria-labelledby="assignment-grade" className="rounded-xl border border-green-200 bg-green-50 p-5" data-testid="my-grade">
      <h2 id="assignment-grade" className="text-base font-semibold text-green-950">
        {t('yourGrade')}
      </h2>
      {grade.excused ? (
        <p className="mt-2 text-green-950">{t('excused')}</p>
      ) : (
        <>
          <p className="mt-2 text-2xl font-bold text-green-950" data-testid="my-score">
            {t('scoreOf', { score: grade.score ?? 0, points: grade.pointsPossible })}
          </p>
          {grade.latePenalty > 0 && !grade.overridden && <p className="text-sm text-green-900">{t('penaltyApplied', { raw: grade.rawScore ?? 0, penalty: grade.latePenalty })}</p>}
          {grade.submissionVersion && <p className="text-sm text-green-900">{t('gradedVersion', { version: grade.submissionVersion })}</p>}
        </>
      )}
      {grade.comment && (
        <div className="mt-3">
          <p className="text-xs font-medium uppercase tracking-wide text-green-900">{t('comment')}</p>
          <p className="mt-1 whitespace-pre-wrap text-green-950" data-testid="my-comment">
            {grade.comment}
          </p>
        </div>
      )}
    </section>
  );
}

function RubricTable({ rubric, grade, t }: { rubric: NonNullable<AssignmentContent['rubric']>; grade: ReleasedGrade | null; t: T }) {
  return (
    <section aria-labelledby="assignment-rubric" className="space-y-2">
      <h2 id="assignment-rubric" className="text-base font-semibold text-slate-900">
        {t('rubric')}
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{t('rubric')}</caption>
          <thead className="bg-slate-50 text-left text-slate-700">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">{t('criterion')}</th>
              <th scope="col" className="px-4 py-2 font-medium">{t('levels')}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rubric.criteria.map((c) => {
              const chosen = grade?.rubric?.[c.id];
              return (
                <tr key={c.id} className="align-top">
                  <th scope="row" className="px-4 py-3 text-left font-medium text-slate-900">
                    {c.title}
                    {c.description && <span className="mt-0.5 block font-normal text-slate-600">{c.description}</span>}
                  </th>
                  <td className="px-4 py-3">
                    <ul className="flex flex-wrap gap-2">
                      {c.levels.map((l) => {
                        const picked = chosen?.levelId === l.id;
                        return (
                          <li key={l.id} className={`rounded-md px-2.5 py-1 ring-1 ring-inset ${picked ? 'bg-green-100 font-semibold text-green-900 ring-green-300' : 'bg-slate-50 text-slate-700 ring-slate-200'}`} data-picked={picked || undefined}>
                            {picked && <span className="sr-only">{t('chosen')} </span>}
                            {t('levelPoints', { title: l.title, points: l.points })}
                          </li>
                        );
                      })}
                    </ul>
                    {chosen?.comment && <p className="mt-2 whitespace-pre-wrap text-slate-700">{chosen.comment}</p>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
