import { refresh } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { withTenant, type Tx } from '@/db/client';
import { BillingLimitError } from '@/lib/billing/entitlements';
import { DomainError } from '@/lib/errors';
import { validationKey } from '@/lib/i18n/validation';
import { requestLogger } from '@/lib/log';
import { hasRole, type Role } from '@/lib/members/roles';
import type { MemberContext } from './context';
import type { ActionState } from './action-state';
import { currentTenantSlug, getMember } from './guard';

export type { ActionState } from './action-state';

function keptValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of formData) if (typeof v === 'string' && !/password|token/i.test(k)) values[k] = v;
  return values;
}

/** The first problem per field, in the reader's language. */
export async function zodFieldErrors(error: z.ZodError): Promise<Record<string, string>> {
  const t = await getTranslations('validation');
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    const key = validationKey(issue.message);
    out[field] ??= key ? t(key) : issue.message;
  }
  return out;
}

/** Turn any thrown error into a form state: domain errors say what happened, anything else is logged. */
export async function failureState(e: unknown, formData: FormData): Promise<ActionState> {
  const values = keptValues(formData);
  // A service's own input check (services parse what they are given, whoever calls): field errors, not a crash.
  if (e instanceof z.ZodError) {
    return { ok: false, message: (await getTranslations('actions'))('correctFields'), fieldErrors: await zodFieldErrors(e), values };
  }
  if (e instanceof DomainError) {
    const message = (await getTranslations('errors'))(e.code, e.params as never);
    const link = e instanceof BillingLimitError ? { href: e.link, label: (await getTranslations('actions'))('openBilling') } : undefined;
    return { ok: false, message, fieldErrors: e.field ? { [e.field]: message } : undefined, values, ...(link ? { link } : {}) };
  }
  (await requestLogger()).error({ err: e }, 'action failed');
  return { ok: false, message: (await getTranslations('actions'))('unexpected'), values };
}

/**
 * The one wrapper for tenant server actions: organisation from the Host, signed-in member, role,
 * validated input, then the handler in a tenant transaction. Errors become messages, never stack traces.
 */
export function memberAction<S extends z.ZodType, R extends ActionState | void>(
  opts: { role: Role; input: S },
  handler: (tx: Tx, ctx: MemberContext, input: z.infer<S>) => Promise<R>,
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const slug = await currentTenantSlug();
    const ctx = slug ? await getMember(slug) : null;
    const t = await getTranslations('actions');
    if (!ctx) return { ok: false, message: t('sessionEnded') };
    if (!hasRole(ctx.role, opts.role)) return { ok: false, message: t('notPermitted') };
    const raw: Record<string, unknown> = {};
    for (const [k, v] of formData) if (!k.startsWith('$ACTION')) raw[k] = v;
    const parsed = opts.input.safeParse(raw);
    if (!parsed.success) {
      return { ok: false, message: t('correctFields'), fieldErrors: await zodFieldErrors(parsed.error), values: keptValues(formData) };
    }
    try {
      const result = await withTenant(ctx.tenant.id, (tx) => handler(tx, ctx, parsed.data));
      refresh();
      return result ?? { ok: true };
    } catch (e) {
      return failureState(e, formData);
    }
  };
}
