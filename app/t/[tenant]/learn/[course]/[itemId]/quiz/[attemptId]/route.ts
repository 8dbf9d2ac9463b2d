import { z } from 'zod';
import { learnerAttemptView, saveAnswer, submitAttempt, SubmitKey, submitReceipt } from '@/lib/assessment/attempts';
import { NotFoundError, ValidationError } from '@/lib/errors';
import { memberRoute } from '@/lib/auth/route';
import { forBrowser } from '../respond';

type Params = { params: Promise<{ tenant: string; course: string; itemId: string; attemptId: string }> };

const AnswerBody = z.object({ questionId: z.string().min(1).max(100), answer: z.unknown() });
const SubmitBody = z.object({ submitKey: SubmitKey });

/** The learner's view of their attempt (polled after submitting until it is graded). */
export async function GET(req: Request, { params }: Params) {
  const { tenant, attemptId } = await params;
  return memberRoute(req, tenant, { write: false, what: 'quiz request' }, async (tx, member) => forBrowser(await learnerAttemptView(tx, member, attemptId)));
}

/** Autosave one answer: `{ questionId, answer }` (answer null clears it). */
export async function PUT(req: Request, { params }: Params) {
  const { tenant, attemptId } = await params;
  const body = AnswerBody.safeParse(await req.json().catch(() => null));
  return memberRoute(req, tenant, { write: true, what: 'quiz request' }, async (tx, member) => {
    if (!body.success) throw new ValidationError('answerShape');
    await saveAnswer(tx, member, attemptId, body.data.questionId, body.data.answer ?? null);
    return { saved: true };
  });
}

/**
 * Submit: `{ submitKey }`; the same key again is the same submission. Answers `{ attempt }`, the receipt:
 * the browser then polls GET for the view while the attempt is graded.
 */
export async function POST(req: Request, { params }: Params) {
  const { tenant, attemptId } = await params;
  const body = SubmitBody.safeParse(await req.json().catch(() => null));
  return memberRoute(req, tenant, { write: true, what: 'quiz request' }, async (tx, member) => {
    if (!body.success) throw new NotFoundError('attemptNotFound');
    return { attempt: submitReceipt(await submitAttempt(tx, member, attemptId, body.data.submitKey)) };
  });
}
