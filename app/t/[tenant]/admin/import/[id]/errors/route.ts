import { getTranslations } from 'next-intl/server';
import { memberRoute } from '@/lib/auth/route';
import { errorsCsv } from '@/lib/imports/rows';
import { importErrors } from '@/lib/imports/service';

type Ctx = { params: Promise<{ tenant: string; id: string }> };

/** Every problem of an import as a CSV download (line, column, problem), cells escaped against formulas. */
export async function GET(req: Request, { params }: Ctx) {
  const { tenant, id } = await params;
  const t = await getTranslations('imports');
  return memberRoute(req, tenant, { write: false, what: 'import problems download' }, async (tx, member) => {
    const { fileName, errors } = await importErrors(tx, member, id);
    const csv = errorsCsv(errors, [t('errorsFile.line'), t('errorsFile.column'), t('errorsFile.problem')], (e) => t(`problems.${e.message}`, (e.params ?? {}) as never));
    const base = fileName.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'import';
    return new Response(`\uFEFF${csv}`, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${base}-problems.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
