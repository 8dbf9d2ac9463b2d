import { referencePage } from '@/lib/api/reference';

/** The human-readable API reference, generated from the same OpenAPI document. */
export function GET() {
  return new Response(referencePage(), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=300' } });
}
