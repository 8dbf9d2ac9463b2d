import { getTranslations } from 'next-intl/server';
import { jsonResponse, memberRoute } from '@/lib/auth/route';
import { CheckImportInput, checkImport } from '@/lib/imports/service';
import { IMPORT_MAX_BYTES } from '@/lib/imports/rows';

type Ctx = { params: Promise<{ tenant: string }> };

/**
 * The dry run: the CSV text is the body, the kind and file name are in the query. Answers `{ id }` of the
 * checked import (its page shows the preview); nothing but that record is written.
 */
export async function POST(req: Request, { params }: Ctx) {
  const { tenant } = await params;
  const query = new URL(req.url).searchParams;
  const input = CheckImportInput.safeParse({ kind: query.get('kind'), fileName: query.get('name') ?? '' });
  if (!input.success) return jsonResponse({ error: (await getTranslations('actions'))('correctFields'), code: 'invalidInput' }, 422);
  return memberRoute(req, tenant, { write: true, what: 'import check', bodyLimit: IMPORT_MAX_BYTES }, (tx, member, text) => checkImport(tx, member, input.data, text));
}
