import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { dropDuplicates, errorsCsv, normaliseEnrolmentRecord, normaliseUserRecord, parseImportFile, templateCsv, type RowError } from '@/lib/imports/rows';

describe('parseImportFile', () => {
  it('reads columns in any case, detects semicolons, skips blank lines and keeps spreadsheet line numbers', () => {
    const file = parseImportFile('users', '\uFEFFEmail;Name\r\n\r\nada@example.com;Ada\r\n"grace@example.com";"Hopper; Grace"\r\n');
    expect(file.header).toEqual(['email', 'name']);
    expect(file.records).toEqual([
      { line: 3, cells: { email: 'ada@example.com', name: 'Ada' } },
      { line: 4, cells: { email: 'grace@example.com', name: 'Hopper; Grace' } },
    ]);
  });

  it('counts a quoted line break as one spreadsheet row', () => {
    const file = parseImportFile('users', 'email,name\n"ada@example.com","Ada\nLovelace"\nbob@example.com,Bob\n');
    expect(file.records.map((r) => r.line)).toEqual([2, 3]);
  });

  it('reads back cells our own exports escaped against formulas', () => {
    const file = parseImportFile('users', "email,name\nada@example.com,'=Ada\n");
    expect(file.records[0]!.cells.name).toBe('=Ada');
  });

  it('makes a row with the wrong number of cells a row problem, not a refusal', () => {
    const file = parseImportFile('users', 'email,name\na@b.test\nc@d.test,C\n');
    expect(file.cellErrors).toEqual([{ line: 2, field: 'file', message: 'cellCount', params: { cells: 1, expected: 2 } }]);
    expect(file.records).toHaveLength(1);
  });

  it('refuses unknown columns, naming the ones it knows', () => {
    expect(() => parseImportFile('enrolments', 'email,course,grade\na@b.test,x,1')).toThrow(expect.objectContaining({ code: 'importUnknownColumn', params: { column: 'grade', columns: 'email, user_sis_id, course, role, sis_id' } }));
  });
});

describe('normaliseUserRecord', () => {
  it('lower-cases the email, maps role words, keeps empty cells as "no change"', () => {
    expect(normaliseUserRecord(2, { email: ' Ada@Example.COM ', name: 'Ada', role: 'Teacher', sis_id: '' })).toEqual({ row: { line: 2, email: 'ada@example.com', name: 'Ada', role: 'instructor', sisId: null } });
    expect(normaliseUserRecord(3, { email: 'b@example.com' })).toEqual({ row: { line: 3, email: 'b@example.com', name: null, role: null, sisId: null } });
  });

  it('reports every problem of a row', () => {
    const out = normaliseUserRecord(5, { email: 'nope', name: 'x'.repeat(121), role: 'owner', sis_id: 'y'.repeat(101) });
    expect('errors' in out && out.errors.map((e) => [e.field, e.message])).toEqual([
      ['email', 'emailInvalid'],
      ['name', 'nameTooLong'],
      ['role', 'ownerRole'],
      ['sis_id', 'sisTooLong'],
    ]);
  });
});

describe('normaliseEnrolmentRecord', () => {
  it('takes a slug (lower case) or sis:<id> (as written), and course roles', () => {
    expect(normaliseEnrolmentRecord(2, { email: 'a@b.test', course: 'Intro-101', role: 'TA' })).toEqual({ row: { line: 2, email: 'a@b.test', userSisId: null, course: 'intro-101', role: 'ta', sisId: null } });
    expect(normaliseEnrolmentRecord(3, { user_sis_id: 'S-1', course: 'SIS: CS-101' })).toMatchObject({ row: { userSisId: 'S-1', course: 'sis:CS-101', role: null } });
  });

  it('needs someone and a course, and a known course role', () => {
    const out = normaliseEnrolmentRecord(4, { email: '', user_sis_id: '', course: '', role: 'admin' });
    expect('errors' in out && out.errors.map((e) => e.message)).toEqual(['personMissing', 'courseMissing', 'courseRoleUnknown']);
  });
});

describe('dropDuplicates', () => {
  it('keeps the first row of each key and points the others at it', () => {
    const rows = [
      { line: 2, email: 'a', sis: 'S1' },
      { line: 3, email: 'a', sis: null },
      { line: 4, email: 'b', sis: 'S1' },
      { line: 5, email: 'c', sis: null },
    ];
    const out = dropDuplicates(rows, [
      { field: 'email', problem: 'duplicateEmail', key: (r) => r.email },
      { field: 'sis_id', problem: 'duplicateSis', key: (r) => r.sis },
    ]);
    expect(out.rows.map((r) => r.line)).toEqual([2, 5]);
    expect(out.errors).toEqual([
      { line: 3, field: 'email', message: 'duplicateEmail', params: { line: 2 } },
      { line: 4, field: 'sis_id', message: 'duplicateSis', params: { line: 2 } },
    ]);
  });
});

describe('templates and the problems download', () => {
  it('templates parse as valid files of their kind', () => {
    expect(parseImportFile('users', templateCsv('users')).records).toHaveLength(2);
    const enrolments = parseImportFile('enrolments', templateCsv('enrolments'));
    expect(enrolments.records.map((r) => normaliseEnrolmentRecord(r.line, r.cells))).toEqual([expect.objectContaining({ row: expect.anything() }), expect.objectContaining({ row: expect.anything() })]);
  });

  it('escapes every cell that a spreadsheet would run as a formula', () => {
    const errors: RowError[] = [{ line: 2, field: 'email', message: 'emailInvalid', params: { value: '=HYPERLINK("http://evil","x")' } }];
    const csv = errorsCsv(errors, ['Line', 'Column', 'Problem'], (e) => `“${e.params!.value}” is not valid`.replace('“', ''));
    const [, row] = Papa.parse<string[]>(csv.trim()).data;
    expect(row).toEqual(['2', 'email', `'=HYPERLINK("http://evil","x")” is not valid`]);
  });
});
