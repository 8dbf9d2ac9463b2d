/** What every form action returns: a message and per-field errors, plus the values to keep in the form. */
export type ActionState = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  data?: Record<string, unknown>;
};
