import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';
import { z } from 'zod';
import { v } from '@/lib/i18n/validation';

extend([a11yPlugin]);

export const HexColor = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^#[0-9a-f]{6}$/, v('colourFormat'));

/** Text colour (near-black or white) with the better contrast on `background`. */
export function textOn(background: string): '#ffffff' | '#111827' {
  const c = colord(background);
  return c.contrast('#ffffff') >= c.contrast('#111827') ? '#ffffff' : '#111827';
}

export function contrastRatio(a: string, b: string): number {
  return Math.round(colord(a).contrast(b) * 100) / 100;
}

export type ContrastWarning = { code: 'primaryOnWhite' | 'textOnAccent'; ratio: number };

/**
 * WCAG AA wants 4.5:1 for normal text. The primary colour fills buttons (with textOn() text) and
 * colours links on white; warn when either would be hard to read. The form words them from the catalogue.
 */
export function contrastWarnings(primary: string, accent: string): ContrastWarning[] {
  const warnings: ContrastWarning[] = [];
  const onWhite = contrastRatio(primary, '#ffffff');
  if (onWhite < 4.5) warnings.push({ code: 'primaryOnWhite', ratio: onWhite });
  const accentText = contrastRatio(accent, textOn(accent));
  if (accentText < 4.5) warnings.push({ code: 'textOnAccent', ratio: accentText });
  return warnings;
}
