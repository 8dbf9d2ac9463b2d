import { openApiDocument } from '@/lib/api/openapi';

/** The OpenAPI 3.1 document of /api/v1 (public: it describes the contract, not any organisation's data). */
export function GET() {
  return Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' } });
}
