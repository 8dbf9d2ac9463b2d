import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { ENDPOINTS } from '@/lib/api/v1';

export const GET = apiHandler(ENDPOINTS.listCourses);

const other = methodNotAllowed(['GET']);
export { other as POST, other as PUT, other as PATCH, other as DELETE };
