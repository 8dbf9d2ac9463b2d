import { createTranslator } from 'use-intl/core';
import en from '@/lib/i18n/messages/en.json';

export type ErrorCode = keyof typeof en.errors;
export type ErrorParams = Record<string, string | number>;

// The English text doubles as the Error message (logs, tests); pages translate the code for the reader.
const english = createTranslator({ locale: 'en', messages: en, namespace: 'errors' });

/**
 * Domain errors: services throw these with a catalogue code; the action wrapper and route handlers
 * show them in the reader's language with a 4xx, never a stack trace.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    readonly status: 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 422 | 429 = 400,
    readonly field?: string,
  ) {
    super(english(code, params as never));
    this.name = new.target.name;
  }
}
export class ValidationError extends DomainError {
  constructor(code: ErrorCode, opts: { field?: string; params?: ErrorParams } = {}) {
    super(code, opts.params, 422, opts.field);
  }
}
export class ForbiddenError extends DomainError {
  constructor(code: ErrorCode = 'forbidden', params?: ErrorParams) {
    super(code, params, 403);
  }
}
export class NotFoundError extends DomainError {
  constructor(code: ErrorCode, params?: ErrorParams) {
    super(code, params, 404);
  }
}
export class ConflictError extends DomainError {
  constructor(code: ErrorCode, opts: { field?: string; params?: ErrorParams } = {}) {
    super(code, opts.params, 409, opts.field);
  }
}
