'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useRef, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import type { ProgramCourse } from '@/lib/programs/service';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

/**
 * The program's courses in order, with Move up / Move down / Remove on each row and "Add a course" below.
 * Plain buttons, so the keyboard does everything; after a move, focus follows the moved course (to its other
 * button at either end), and what happened is announced.
 */
export function ProgramCourses({
  programId,
  courses,
  available,
  actions,
}: {
  programId: string;
  courses: ProgramCourse[];
  available: ProgramCourse[];
  actions: { add: Action; remove: Action; move: Action };
}) {
  const t = useTranslations('programs.courses');
  const ts = useTranslations('programs.status.label');
  const [status, setStatus] = useState<ActionState>({ ok: false });
  const [pending, startTransition] = useTransition();
  const focusNext = useRef<{ courseId: string; direction: 'up' | 'down' } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const want = focusNext.current;
    if (!want) return;
    focusNext.current = null;
    const same = document.getElementById(`move-${want.direction}-${want.courseId}`) as HTMLButtonElement | null;
    const other = document.getElementById(`move-${want.direction === 'up' ? 'down' : 'up'}-${want.courseId}`) as HTMLButtonElement | null;
    (same && !same.disabled ? same : other)?.focus();
  }, [courses]);

  const move = (course: ProgramCourse, direction: 'up' | 'down') =>
    startTransition(async () => {
      // Set before the call: the refreshed list may arrive before the action's promise settles.
      focusNext.current = { courseId: course.id, direction };
      const next = await actions.move({ ok: false }, form({ programId, courseId: course.id, direction, title: course.title }));
      if (!next.ok) focusNext.current = null;
      setStatus(next);
    });

  const [addState, addAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await actions.add(prev, data);
    setStatus(next);
    return next;
  }, { ok: false });

  return (
    <div className="space-y-5">
      <h3 ref={heading} tabIndex={-1} className="sr-only">
        {t('listLabel')}
      </h3>
      {courses.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600">{t('empty')}</p>
      ) : (
        <ol className="divide-y divide-slate-200 rounded-md border border-slate-200" aria-label={t('listLabel')} aria-busy={pending}>
          {courses.map((course, i) => (
            <li key={course.id} className="flex flex-wrap items-center gap-3 px-3 py-2" data-testid="program-course" data-course-title={course.title}>
              <span className="w-6 text-right text-sm font-semibold text-slate-600" aria-hidden>
                {i + 1}.
              </span>
              <span className="min-w-0 flex-1">
                <span className="font-medium">{course.title}</span>
                {course.status !== 'published' && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">{ts(course.status)}</span>}
              </span>
              <span className="flex gap-1">
                <Button
                  type="button"
                  variant="ghost"
                  id={`move-up-${course.id}`}
                  disabled={i === 0 || pending}
                  aria-label={t('moveUpLabel', { title: course.title })}
                  onClick={() => move(course, 'up')}
                >
                  <span aria-hidden>↑</span> {t('moveUp')}
                </Button>
                <Button
                  type="button"
                  variant="ghost"
                  id={`move-down-${course.id}`}
                  disabled={i === courses.length - 1 || pending}
                  aria-label={t('moveDownLabel', { title: course.title })}
                  onClick={() => move(course, 'down')}
                >
                  <span aria-hidden>↓</span> {t('moveDown')}
                </Button>
                <ConfirmForm
                  action={actions.remove}
                  hidden={{ programId, courseId: course.id, title: course.title }}
                  trigger={t('remove')}
                  triggerLabel={t('removeLabel', { title: course.title })}
                  title={t('removeTitle', { title: course.title })}
                  body={t('removeBody')}
                  confirmLabel={t('remove')}
                  pendingLabel={t('removing')}
                  onDone={(s) => {
                    setStatus(s);
                    heading.current?.focus();
                  }}
                />
              </span>
            </li>
          ))}
        </ol>
      )}

      <p role="status" aria-live="polite" className={`text-sm empty:hidden ${status.ok ? 'text-emerald-800' : 'text-red-800'}`}>
        {status.message ?? ''}
      </p>

      <form action={addAction} className="flex flex-wrap items-end gap-3" aria-label={t('addLabel')}>
        <input type="hidden" name="programId" value={programId} />
        <div className="min-w-56 flex-1">
          <label htmlFor="program-add-course" className="block text-sm font-medium text-slate-800">
            {t('addField')}
          </label>
          <select
            id="program-add-course"
            name="courseId"
            required
            defaultValue=""
            key={courses.length}
            aria-invalid={addState.fieldErrors?.courseId ? true : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm aria-[invalid=true]:border-red-600"
          >
            <option value="" disabled>
              {available.length ? t('choose') : t('noneLeft')}
            </option>
            {available.map((c) => (
              <option key={c.id} value={c.id}>
                {c.status === 'published' ? c.title : `${c.title} (${ts(c.status)})`}
              </option>
            ))}
          </select>
        </div>
        <SubmitButton variant="secondary" pendingLabel={t('adding')} disabled={!available.length}>
          {t('add')}
        </SubmitButton>
      </form>
    </div>
  );
}
