import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { ENDPOINTS } from '@/lib/api/v1';

export const GET = apiHandler(ENDPOINTS.getMember);
export const PATCH = apiHandler(ENDPOINTS.updateMember);

const other = methodNotAllowed(['GET', 'PATCH']);
export { other as POST, other as PUT, other as DELETE };
