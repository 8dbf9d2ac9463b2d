import pino from 'pino';

/** Structured JSON logs. Secrets never reach a log line: known secret fields are redacted. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'lectern' },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: ['password', '*.password', 'token', '*.token', 'secret', '*.secret', 'authorization', '*.authorization', 'cookie', '*.cookie'], censor: '[redacted]' },
});

export const REQUEST_ID_HEADER = 'x-request-id';

/** A child logger carrying the request id that proxy.ts put on the request. */
export async function requestLogger() {
  const { headers } = await import('next/headers');
  const h = await headers();
  return logger.child({ reqId: h.get(REQUEST_ID_HEADER) ?? undefined });
}
