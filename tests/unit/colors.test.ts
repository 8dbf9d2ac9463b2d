import { describe, expect, it } from 'vitest';
import { contrastRatio, contrastWarnings, HexColor, textOn } from '@/lib/branding/colors';

describe('textOn', () => {
  it('puts dark text on light backgrounds and white text on dark ones', () => {
    expect(textOn('#ffff00')).toBe('#111827');
    expect(textOn('#ffffff')).toBe('#111827');
    expect(textOn('#1d4ed8')).toBe('#ffffff');
    expect(textOn('#000000')).toBe('#ffffff');
    expect(textOn('#4f46e5')).toBe('#ffffff'); // the default primary
  });

  it('always picks the more readable of the two', () => {
    for (const bg of ['#ff0000', '#00ff00', '#0000ff', '#777777', '#0f766e', '#f59e0b', '#7c3aed']) {
      const other = textOn(bg) === '#ffffff' ? '#111827' : '#ffffff';
      expect(contrastRatio(bg, textOn(bg)), bg).toBeGreaterThanOrEqual(contrastRatio(bg, other));
    }
  });
});

describe('contrastRatio', () => {
  it('matches WCAG for known pairs, either way round, to two decimals', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#ffffff', '#000000')).toBe(21);
    expect(contrastRatio('#123456', '#123456')).toBe(1);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#1d4ed8', '#ffffff')).toBeCloseTo(6.7, 1);
  });
});

describe('contrastWarnings', () => {
  it('warns about a yellow primary that is unreadable on white, naming the ratio', () => {
    expect(contrastWarnings('#ffff00', '#0f766e')).toEqual([{ code: 'primaryOnWhite', ratio: 1.07 }]);
  });

  it('is quiet for readable colours, including the defaults', () => {
    expect(contrastWarnings('#1d4ed8', '#0f766e')).toEqual([]);
    expect(contrastWarnings('#4f46e5', '#0f766e')).toEqual([]);
    expect(contrastWarnings('#767676', '#000000')).toEqual([]); // just over 4.5:1
  });

  it('warns when no text colour is readable on the accent', () => {
    const warnings = contrastWarnings('#1d4ed8', '#ff0000');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('textOnAccent');
    expect(warnings[0]!.ratio).toBeGreaterThanOrEqual(4);
    expect(warnings[0]!.ratio).toBeLessThan(4.5);
  });

  it('reports both problems at once', () => {
    expect(contrastWarnings('#777777', '#777777')).toHaveLength(2);
  });
});

describe('HexColor', () => {
  it('normalises case and whitespace and refuses anything but #rrggbb', () => {
    expect(HexColor.parse(' #1D4ED8 ')).toBe('#1d4ed8');
    for (const bad of ['1d4ed8', '#fff', '#1d4ed8ff', 'blue', '#zzzzzz']) expect(HexColor.safeParse(bad).success, bad).toBe(false);
    expect(HexColor.safeParse('blue').error!.issues[0]!.message).toBe('Use a colour like #4f46e5.');
  });
});
