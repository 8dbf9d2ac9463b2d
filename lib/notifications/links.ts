/**
 * A notice's link is a path on the organisation's own site ("/learn/course"): anything else (an absolute
 * or protocol-relative URL, a backslash trick, control characters) is dropped rather than linked.
 */
export function safeNoticePath(link: string | null | undefined): string | null {
  if (!link || link.length > 2000) return null;
  if (!link.startsWith('/') || link.startsWith('//') || /[\\\s\u0000-\u001f\u007f]/.test(link)) return null;
  return link;
}
