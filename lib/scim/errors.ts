import { z } from 'zod';
import { BillingLimitError } from '@/lib/billing/entitlements';
import { DomainError, type ErrorCode, type ErrorParams } from '@/lib/errors';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** RFC 7644 §3.12, table 9: the detail error keywords a 400 may carry. */
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

/**
 * A refusal in SCIM's own terms: an HTTP status (SCIM uses some, like 501, that the app's DomainError does not),
 * an optional scimType, and a catalogue code whose English text becomes the `detail` an identity provider shows.
 */
export class ScimError extends DomainError {
  readonly scimStatus: number;
  readonly scimType?: ScimType;
  constructor(scimStatus: number, code: ErrorCode, opts: { scimType?: ScimType; params?: ErrorParams } = {}) {
    super(code, opts.params, 400);
    this.scimStatus = scimStatus;
    this.scimType = opts.scimType;
  }
}

export type ScimErrorBody = { schemas: [typeof SCIM_ERROR_SCHEMA]; status: string; scimType?: ScimType; detail: string };

export function scimErrorBody(status: number, detail: string, scimType?: ScimType): ScimErrorBody {
  return { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/** A zod issue as one readable line: which attribute, and what is wrong with it. */
function zodDetail(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is invalid.';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * Any error a SCIM request ended with, as the SCIM error an identity provider expects. Domain refusals keep their
 * meaning (a full plan is 403 with the seat message, an unknown id 404, a clash 409); anything else is null (a 500).
 */
export function toScimError(e: unknown): { status: number; body: ScimErrorBody } | null {
  if (e instanceof ScimError) return { status: e.scimStatus, body: scimErrorBody(e.scimStatus, e.message, e.scimType) };
  if (e instanceof z.ZodError) return { status: 400, body: scimErrorBody(400, zodDetail(e), 'invalidValue') };
  // The plan's seat limit: 403 (the IdP shows the detail, which says the seats are full and where to add some).
  if (e instanceof BillingLimitError) return { status: 403, body: scimErrorBody(403, e.message) };
  if (e instanceof DomainError) {
    const status = e.status === 422 ? 400 : e.status;
    return { status, body: scimErrorBody(status, e.message, status === 400 ? 'invalidValue' : undefined) };
  }
  return null;
}
