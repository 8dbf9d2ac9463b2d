import { apiHandler } from '@/lib/api/handler';
import { ENDPOINTS } from '@/lib/api/v1';

export const GET = apiHandler(ENDPOINTS.listCertificates);
