/** What every form action returns: a message and per-field errors, plus the values to keep in the form. */
export type ActionState = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  data?: Record<string, unknown>;
  /** Where the reader can fix what stopped them (e.g. the Billing page when a plan limit refused). */
  link?: { href: string; label: string };
};
