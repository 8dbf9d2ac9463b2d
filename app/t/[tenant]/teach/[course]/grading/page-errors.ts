import { forbidden, notFound } from 'next/navigation';
import { ForbiddenError, NotFoundError } from '@/lib/errors';

/** A service's refusal as the page a reader should see: unknown course or attempt → 404, not staff → 403. */
export function pageError(e: unknown): never {
  if (e instanceof NotFoundError) notFound();
  if (e instanceof ForbiddenError) forbidden();
  throw e;
}
