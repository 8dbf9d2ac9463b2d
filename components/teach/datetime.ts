/**
 * A stored instant as the value of an <input type="datetime-local">. The server reads those values back
 * with `new Date(value)` in its own time zone, so they are written in that same zone here (server side).
 */
export function toDateTimeLocal(d: Date | null): string {
  if (!d) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
