import { apiHandler } from '@/lib/api/handler';
import { ENDPOINTS } from '@/lib/api/v1';

export const GET = apiHandler(ENDPOINTS.listEnrolments);
export const POST = apiHandler(ENDPOINTS.createEnrolment);
