import { IMPORT_KINDS, templateCsv, type ImportKind } from '@/lib/imports/rows';

type Ctx = { params: Promise<{ tenant: string; kind: string }> };

/** A template file for one kind of import: the columns and two example rows. No data of the organisation. */
export async function GET(_req: Request, { params }: Ctx) {
  const { kind } = await params;
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) return new Response('Not found', { status: 404 });
  return new Response(templateCsv(kind as ImportKind), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${kind}-template.csv"`,
      'x-content-type-options': 'nosniff',
    },
  });
}
