import type { useFormatter } from 'next-intl';

type Formatter = ReturnType<typeof useFormatter>;

// Organisations have no time zone setting yet: dates are shown in UTC and say so.
export const TIME_ZONE = 'UTC';

/** "3 December 2026" (a course's start and end, a completion date). */
export function formatDay(format: Formatter, date: Date): string {
  return format.dateTime(date, { year: 'numeric', month: 'long', day: 'numeric', timeZone: TIME_ZONE });
}

/** "December 3, 2026, 09:00 UTC" (when a locked item opens). */
export function formatMoment(format: Formatter, date: Date): string {
  return format.dateTime(date, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE, timeZoneName: 'short' });
}

/** "4.2 MB", "820 kB" */
export function formatBytes(format: Formatter, bytes: number): string {
  if (bytes >= 1024 * 1024) return format.number(bytes / (1024 * 1024), { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
  if (bytes >= 1024) return format.number(bytes / 1024, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 });
  return format.number(bytes, { style: 'unit', unit: 'byte', unitDisplay: 'long' });
}

/** A language code ("de") as its name in the reader's language ("German"); the code if unknown. */
export function languageName(locale: string, code: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
