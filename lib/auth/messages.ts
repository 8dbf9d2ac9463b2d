/** Only same-site relative paths may be a post-sign-in destination (no open redirects). */
export function safeCallbackPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw.slice(0, 500);
}

/** What the sign-in form says for an Auth.js failure code ('invalid' or 'locked:<minutes>'). */
export function signInFailureMessage(error: { type?: string; code?: string }): string {
  const code = 'code' in error ? String(error.code ?? '') : '';
  const locked = /^locked:(\d+)$/.exec(code);
  if (locked) {
    return `Too many failed sign-ins for this account. For your security it is locked for ${locked[1]} more minute${locked[1] === '1' ? '' : 's'}. You can reset your password now, or try again later.`;
  }
  return 'That email and password do not match an account in this organisation.';
}
