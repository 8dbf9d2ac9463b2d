import { pingDb } from '@/db/client';
import { logger } from '@/lib/log';

export async function checkReadiness(): Promise<{ status: 'ready' | 'unavailable'; database: 'ok' | 'down' }> {
  try {
    await Promise.race([pingDb(), new Promise((_, reject) => setTimeout(() => reject(new Error('database ping timed out')), 2000))]);
    return { status: 'ready', database: 'ok' };
  } catch (err) {
    logger.warn({ err }, 'readiness check failed');
    return { status: 'unavailable', database: 'down' };
  }
}
