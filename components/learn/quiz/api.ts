/** The quiz endpoints (app/t/[tenant]/learn/[course]/[itemId]/quiz) as the browser sees them. */

export type QuizQuestion = { id: string; type: string; promptHtml: string; points: number; display: Record<string, unknown>; answer: unknown };
export type QuizResultQuestion = { id: string; score: number | null; correct: boolean | null; feedback: string[]; key?: unknown };
export type AttemptView = {
  attempt: { id: string; number: number; status: 'in_progress' | 'submitted' | 'graded'; startedAt: string; deadlineAt: string | null; submittedAt: string | null };
  questions: QuizQuestion[];
  results: { score: number | null; pointsPossible: number | null; questions: QuizResultQuestion[] } | null;
};

export class QuizRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** JSON in, JSON out; a 4xx/5xx becomes a QuizRequestError with the server's translated message. */
export async function quizFetch<T>(url: string, init: RequestInit | undefined, networkMessage: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers }, cache: 'no-store' });
  } catch {
    throw new QuizRequestError(networkMessage, 0);
  }
  const body = (await res.json().catch(() => null)) as (T & { error?: string; code?: string }) | null;
  if (!res.ok || !body) throw new QuizRequestError(body?.error ?? networkMessage, res.status, body?.code);
  return body;
}

export const attemptQueryKey = (attemptId: string) => ['quiz-attempt', attemptId] as const;

/** Whether a learner's answer counts as given (for the "unanswered" count). */
export function isAnswered(answer: unknown): boolean {
  if (answer === null || answer === undefined) return false;
  if (typeof answer === 'string') return answer.trim() !== '';
  if (Array.isArray(answer)) return answer.length > 0;
  if (typeof answer === 'object') return Object.keys(answer).length > 0;
  return true;
}

export function countWords(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length;
}
