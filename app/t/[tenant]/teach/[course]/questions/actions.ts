'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { archiveQuestion, createQuestion, importBank, updateQuestion } from '@/lib/assessment/bank';
import { regradeQuestion } from '@/lib/assessment/grading';
import { ValidationError } from '@/lib/errors';
import { validationKey } from '@/lib/i18n/validation';

// Open to any member: the bank service checks that the member authors the course (and re-checks ids).
const MIN_ROLE = 'learner';
const Id = z.uuid();

const QuestionFields = z.object({
  courseId: Id.optional(),
  questionId: Id.optional(),
  type: z.string().max(40),
  promptHtml: z.string().max(20_000),
  points: z.string().max(20),
  tags: z.string().max(2000).default(''),
  definition: z.string().max(200_000),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A service problem ("options.1.text: Add …") with its catalogue text in the reader's language. */
async function translatedProblem(problem: string): Promise<string> {
  const tv = await getTranslations('validation');
  const m = /^([\w.]+): (.*)$/s.exec(problem);
  const [where, text] = m ? [m[1]!, m[2]!] : ['', problem];
  const key = validationKey(text);
  // "options.2.text" → "options #3 text": positions counted from 1, as the form numbers them.
  const place = where.replace(/\.(\d+)/g, (_, n: string) => ` #${Number(n) + 1}`).replace(/\./g, ' ');
  // The catalogue's sentences end with a full stop; the error message adds its own.
  return `${place ? `${place}: ` : ''}${key ? tv(key) : text}`.replace(/\.$/, '');
}

export const saveQuestionAction = memberAction({ role: MIN_ROLE, input: QuestionFields }, async (tx, ctx, { courseId, questionId, definition, tags, ...rest }) => {
  const t = await getTranslations('questions.actions');
  const raw = {
    ...rest,
    tags: tags.split(',').map((s) => s.trim()).filter(Boolean),
    definition: parseJson(definition),
  };
  try {
    if (questionId) {
      await updateQuestion(tx, ctx, questionId, raw);
      return { ok: true, message: t('saved') };
    }
    if (!courseId) return { ok: false, message: t('saveFailed') };
    const q = await createQuestion(tx, ctx, courseId, raw);
    return { ok: true, message: t('created'), data: { questionId: q.id } };
  } catch (e) {
    if (e instanceof ValidationError && e.code === 'questionInvalid') {
      const problem = await translatedProblem(String((e.params as { problem?: string } | undefined)?.problem ?? ''));
      const message = (await getTranslations('errors'))('questionInvalid', { problem });
      return { ok: false, message, fieldErrors: { [e.field ?? 'definition']: message } };
    }
    throw e;
  }
});

export const archiveQuestionAction = memberAction({ role: MIN_ROLE, input: z.object({ questionId: Id }) }, async (tx, ctx, { questionId }) => {
  await archiveQuestion(tx, ctx, questionId);
  return { ok: true, message: (await getTranslations('questions.actions'))('archived') };
});

/** Re-score every submitted attempt that answered this question with its current key (audited). */
export const regradeQuestionAction = memberAction({ role: MIN_ROLE, input: z.object({ questionId: Id }) }, async (tx, ctx, { questionId }) => {
  const { attempts, changed } = await regradeQuestion(tx, ctx, questionId);
  return { ok: true, message: (await getTranslations('questions.regrade'))('done', { attempts, changed }) };
});

export const importBankAction = memberAction({ role: MIN_ROLE, input: z.object({ courseId: Id, file: z.string().max(20_000_000) }) }, async (tx, ctx, { courseId, file }) => {
  const t = await getTranslations('questions.import');
  const json = parseJson(file);
  const result = await importBank(tx, ctx, courseId, json);
  if ('problems' in result) {
    const problems = await Promise.all(result.problems.slice(0, 200).map(async (p) => ({ index: p.index, field: p.field, message: await translatedProblem(p.message) })));
    return { ok: false, message: t('problems', { count: result.problems.length }), data: { problems } };
  }
  return { ok: true, message: t('imported', { count: result.imported }) };
});
