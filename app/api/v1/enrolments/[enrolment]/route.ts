import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { ENDPOINTS } from '@/lib/api/v1';

export const GET = apiHandler(ENDPOINTS.getEnrolment);
export const PATCH = apiHandler(ENDPOINTS.updateEnrolment);
export const DELETE = apiHandler(ENDPOINTS.deleteEnrolment);

const other = methodNotAllowed(['GET', 'PATCH', 'DELETE']);
export { other as POST, other as PUT };
