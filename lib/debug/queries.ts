/**
 * Statements this process has sent to Postgres, for `npm run bench:pages` (queries per page). Only with
 * LECTERN_QUERY_COUNTER=1, which is never set by default and must not be set in production.
 */
export { queryCounts, type QueryCounts } from '@/db/client';
