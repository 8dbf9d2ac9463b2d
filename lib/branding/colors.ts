import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';
import { z } from 'zod';

extend([a11yPlugin]);

export const HexColor = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^#[0-9a-f]{6}$/, 'Use a colour like #4f46e5.');

/** Text colour (near-black or white) with the better contrast on `background`. */
export function textOn(background: string): '#ffffff' | '#111827' {
  const c = colord(background);
  return c.contrast('#ffffff') >= c.contrast('#111827') ? '#ffffff' : '#111827';
}

export function contrastRatio(a: string, b: string): number {
  return Math.round(colord(a).contrast(b) * 100) / 100;
}

/**
 * WCAG AA wants 4.5:1 for normal text. The primary colour fills buttons (with textOn() text) and
 * colours links on white; warn when either would be hard to read.
 */
export function contrastWarnings(primary: string, accent: string): string[] {
  const warnings: string[] = [];
  const onWhite = contrastRatio(primary, '#ffffff');
  if (onWhite < 4.5) warnings.push(`The primary colour has a contrast of ${onWhite}:1 against white; links and headings in it may be hard to read (WCAG AA asks for 4.5:1).`);
  const accentText = contrastRatio(accent, textOn(accent));
  if (accentText < 4.5) warnings.push(`Text on the accent colour reaches only ${accentText}:1 (WCAG AA asks for 4.5:1).`);
  return warnings;
}
