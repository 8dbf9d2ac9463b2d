import type { Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { computedHeaders, csvNumber, itemHeaders, toCsv } from './csv';
import { gradebookAll } from './service';

/**
 * The whole gradebook as CSV: name, email, each item (counted score, or EX), each category %, total %,
 * letter. The same shape the import reads back (it keys on email and the item columns). Staff only.
 */
export async function exportGradebookCsv(tx: Tx, ctx: MemberContext, courseId: string): Promise<{ filename: string; csv: string; rows: number }> {
  const book = await gradebookAll(tx, ctx, courseId);
  const groups = book.columns;
  const headers = itemHeaders(book.items, computedHeaders(groups.filter((g) => g.name).map((g) => g.name)));
  const categoryHeader = (name: string) => `${name || 'Uncategorised'} %`;
  const header = ['Name', 'Email', ...book.items.map((i) => headers.get(i.id)!), ...groups.map((g) => categoryHeader(g.name)), 'Total %', 'Letter'];
  const rows = book.rows.map((r) => [
    r.name,
    r.email,
    ...book.items.map((i) => {
      const cell = r.cells[i.id];
      if (!cell) return '';
      return cell.excused ? 'EX' : csvNumber(cell.counted);
    }),
    ...groups.map((g) => csvNumber(r.categories[g.id]?.percent ?? null)),
    csvNumber(r.total),
    r.letter ?? '',
  ]);
  return { filename: `${book.course.slug}-grades.csv`, csv: `\uFEFF${toCsv(header, rows)}\r\n`, rows: rows.length };
}
