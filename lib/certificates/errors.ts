import { getTranslations } from 'next-intl/server';
import { createTranslator } from 'use-intl/core';
import type { Tx } from '@/db/client';
import type { ActionState } from '@/lib/auth/action-state';
import en from '@/lib/i18n/messages/en.json';

type Namespace = 'certificates' | 'programs';
type Codes<N extends Namespace> = keyof (typeof en)[N]['errors'];

/**
 * A refusal of the certificates or programs services, worded in its own message namespace
 * (`certificates.errors.*`, `programs.errors.*`). The English text doubles as the Error message for logs
 * and tests; `refusalState` shows it to the reader in their language.
 */
export class FeatureError extends Error {
  constructor(
    readonly namespace: Namespace,
    readonly code: string,
    readonly status: 400 | 403 | 404 | 409 | 422,
    readonly field?: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(createTranslator({ locale: 'en', messages: en, namespace: `${namespace}.errors` as never })(code as never, params as never));
    this.name = new.target.name;
  }
}

export class CertificateError extends FeatureError {
  constructor(code: Codes<'certificates'>, opts: { status?: 400 | 403 | 404 | 409 | 422; field?: string; params?: Record<string, string | number> } = {}) {
    super('certificates', code, opts.status ?? 422, opts.field, opts.params);
  }
}

export class ProgramError extends FeatureError {
  constructor(code: Codes<'programs'>, opts: { status?: 400 | 403 | 404 | 409 | 422; field?: string; params?: Record<string, string | number> } = {}) {
    super('programs', code, opts.status ?? 422, opts.field, opts.params);
  }
}

/** The form state for a refusal: its message in the reader's language, on its field when it names one. */
export async function refusalState(e: FeatureError): Promise<ActionState> {
  const t = await getTranslations(`${e.namespace}.errors` as never);
  const message = (t as unknown as (key: string, params?: Record<string, string | number>) => string)(e.code, e.params);
  return { ok: false, message, fieldErrors: e.field ? { [e.field]: message } : undefined };
}

/**
 * Run a service for a server action in a savepoint: a FeatureError undoes the service's writes and becomes the
 * form's message; anything else goes on to memberAction (domain errors, field errors, the unexpected).
 */
export async function refusalsAsState(tx: Tx, fn: (tx: Tx) => Promise<ActionState>, formData?: Record<string, unknown>): Promise<ActionState> {
  try {
    return await tx.transaction(fn);
  } catch (e) {
    if (!(e instanceof FeatureError)) throw e;
    const state = await refusalState(e);
    const values = formData ? Object.fromEntries(Object.entries(formData).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : undefined;
    return { ...state, values };
  }
}
