import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { computedHeaders, csvNumber, escapeCsvCell, itemHeaders, parseGradesCsv, toCsv, unescapeCsvCell } from '@/lib/gradebook/csv';

describe('escapeCsvCell', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil","x")'])('prefixes %j with an apostrophe', (cell) => {
    expect(escapeCsvCell(cell)).toBe(`'${cell}`);
  });

  it.each(['Ada', '9.5', '0', 'EX', 'a=b', " 'quoted", ''])('leaves %j as it is', (cell) => {
    expect(escapeCsvCell(cell)).toBe(cell);
  });

  it('writes numbers and empty values', () => {
    expect(escapeCsvCell(12.5)).toBe('12.5');
    expect(escapeCsvCell(null)).toBe('');
    expect(escapeCsvCell(undefined)).toBe('');
  });

  it('round-trips through unescapeCsvCell, which leaves ordinary apostrophes alone', () => {
    for (const cell of ['=1', '-x@y.test', 'Ada', "'plain"]) expect(unescapeCsvCell(escapeCsvCell(cell))).toBe(cell);
  });
});

describe('toCsv', () => {
  it('escapes every header and data cell and quotes where CSV needs it', () => {
    const csv = toCsv(['Name', '=Quiz'], [['=cmd|calc', 'a,b'], ['Ada "A"', 3]]);
    expect(csv).toBe(`Name,'=Quiz\r\n'=cmd|calc,"a,b"\r\n"Ada ""A""",3`);
    expect(Papa.parse<string[]>(csv).data).toEqual([
      ['Name', "'=Quiz"],
      ["'=cmd|calc", 'a,b'],
      ['Ada "A"', '3'],
    ]);
  });
});

describe('itemHeaders and csvNumber', () => {
  it('makes repeated titles unique in outline order', () => {
    const h = itemHeaders([{ id: 'a', title: 'Quiz' }, { id: 'b', title: 'quiz' }, { id: 'c', title: 'Essay' }, { id: 'd', title: 'Quiz' }]);
    expect([...h.values()]).toEqual(['Quiz', 'quiz (2)', 'Essay', 'Quiz (3)']);
  });

  it('never gives an item the header of a computed column, nor of another item', () => {
    const h = itemHeaders(
      [{ id: 'a', title: 'Total %' }, { id: 'b', title: 'Quizzes %' }, { id: 'c', title: 'Quiz (2)' }, { id: 'd', title: 'Quiz' }, { id: 'e', title: 'Quiz' }, { id: 'f', title: 'Email' }],
      computedHeaders(['Quizzes']),
    );
    expect([...h.values()]).toEqual(['Total % (2)', 'Quizzes % (2)', 'Quiz (2)', 'Quiz', 'Quiz (3)', 'Email (2)']);
  });

  it('writes at most two decimals', () => {
    expect(csvNumber(66.666666)).toBe('66.67');
    expect(csvNumber(90)).toBe('90');
    expect(csvNumber(null)).toBe('');
  });
});

describe('parseGradesCsv', () => {
  it('reads the header and rows with their line numbers, skipping blank lines and a BOM', () => {
    const parsed = parseGradesCsv('\uFEFFEmail,Quiz 1\r\nada@x.test,5\r\n\r\nbo@x.test,\r\n');
    expect(parsed.header).toEqual(['Email', 'Quiz 1']);
    expect(parsed.rows).toEqual([
      { line: 2, cells: ['ada@x.test', '5'] },
      { line: 4, cells: ['bo@x.test', ''] },
    ]);
  });

  it('accepts a file with only the email column', () => {
    expect(parseGradesCsv('email\nada@x.test\n').rows).toHaveLength(1);
  });

  it.each([
    ['email,q\n"open,1\n', 'gradeImportMalformed'],
    ['email,q\na,1,2\n', 'gradeImportMalformed'],
    ['', 'gradeImportEmpty'],
    ['email,q\n', 'gradeImportEmpty'],
    ['name,q\nAda,1\n', 'gradeImportNoEmail'],
  ])('refuses %j (%s)', (text, code) => {
    expect(() => parseGradesCsv(text)).toThrow(expect.objectContaining({ code }));
  });
});
