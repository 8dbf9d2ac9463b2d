import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { ENDPOINTS } from '@/lib/api/v1';

export const GET = apiHandler(ENDPOINTS.listEnrolments);
export const POST = apiHandler(ENDPOINTS.createEnrolment);

const other = methodNotAllowed(['GET', 'POST']);
export { other as PUT, other as PATCH, other as DELETE };
