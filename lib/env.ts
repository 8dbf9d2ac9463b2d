import { z } from 'zod';

const MAIL_ADDRESS = /^[^\s<>@"(),;:\\]+@[a-z0-9-]+(\.[a-z0-9-]+)*$/i;

/** "Name <address>" or "address" (MAIL_FROM), or null when it is neither. */
export function parseMailFrom(value: string): { name: string | null; address: string } | null {
  const v = value.trim();
  const m = /^([^<>\r\n]*)<([^<>]+)>$/.exec(v);
  const name = m ? m[1]!.trim().replace(/^"(.*)"$/, '$1').trim() : null;
  const address = (m ? m[2]! : v).trim();
  if (!MAIL_ADDRESS.test(address) || (name !== null && /["\r\n]/.test(name))) return null;
  return { name: name || null, address };
}

/** Lectern's configuration. Validated once; a bad or missing variable is named in the error. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  APP_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  LECTERN_APP_DB_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  AUTH_SECRET: z.string({ error: 'generate one with `openssl rand -base64 32`' }).min(32, 'must be at least 32 characters (generate one with `openssl rand -base64 32`)'),
  LECTERN_ROOT_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d{1,5})?$/, 'must be a host name with an optional port, e.g. lectern.app or localhost:3000')
    .default('localhost:3000'),
  LECTERN_PROTOCOL: z.enum(['http', 'https']).optional(),
  TRUST_PROXY: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Uploaded files: a local directory (default) or an S3-compatible bucket.
  FILES_STORE: z.enum(['local', 's3']).default('local'),
  FILES_DIR: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  // The dev mailbox shows captured mail, reset links included, to admins: for local use only.
  LECTERN_DEV_MAILBOX: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  // Outgoing mail: SMTP when set (smtp:// or smtps://, credentials in the URL; never logged), else the dev mailbox.
  SMTP_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@smtp.example.com:587' }).optional(),
  ),
  // The sender; mail shows the organisation's name in front of its address.
  MAIL_FROM: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .trim()
      .refine((v) => parseMailFrom(v) !== null, 'must be an email address, optionally with a name: "Lectern <no-reply@example.com>"')
      .optional(),
  ),
  // Background jobs: Inngest when configured (dev server or signing + event keys), else the embedded worker.
  INNGEST_DEV: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  INNGEST_SIGNING_KEY: z.string().regex(/^signkey-[a-z]+-[0-9a-f]+$/i, 'must look like signkey-<env>-<hex>').optional(),
  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  INNGEST_BASE_URL: z.url().optional(),
  // Billing: Stripe when a secret key is set (then the webhook secret and both price ids are required), else Free limits.
  STRIPE_SECRET_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^(sk|rk)_(test|live)_\w+$/, 'must look like sk_test_… or sk_live_…').optional()),
  STRIPE_WEBHOOK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^whsec_\w+$/, 'must look like whsec_…').optional()),
  STRIPE_PRICE_TEAM: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^price_\w+$/, 'must be a Stripe price id (price_…)').optional()),
  STRIPE_PRICE_BUSINESS: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^price_\w+$/, 'must be a Stripe price id (price_…)').optional()),
  // Another Stripe API host (a local fake in tests); Stripe's own otherwise.
  STRIPE_API_BASE: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
  // Rate-limit counters shared by every instance (Redis); in-process counters without it.
  REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional()),
  // REST API limits per key and per client IP, in requests per minute.
  API_RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).max(1_000_000).default(600),
  API_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(1_200),
  // Outbound webhooks may target loopback, private and link-local addresses, and plain http: local development only.
  WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  // The in-process outbox loop (embedded worker, or the relay to Inngest). Off for processes that must not drain it.
  LECTERN_WORKER: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
});
export type Env = z.infer<typeof EnvSchema> & { LECTERN_PROTOCOL: 'http' | 'https' };

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Lectern's configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((i) => {
        const name = i.path.join('.');
        return source[name] === undefined ? `${name} is missing (${i.message})` : `${name} is invalid: ${i.message}`;
      });
  if (!source.APP_DATABASE_URL && !source.LECTERN_APP_DB_PASSWORD) {
    problems.push(
      "APP_DATABASE_URL is missing (set APP_DATABASE_URL, the app's own login, a role that owns nothing; or LECTERN_APP_DB_PASSWORD to let migrations give the lectern_app role that password)",
    );
  }
  if (source.FILES_STORE === 's3' && !source.S3_BUCKET) problems.push('S3_BUCKET is missing (required when FILES_STORE=s3)');
  if (!!source.INNGEST_SIGNING_KEY !== !!source.INNGEST_EVENT_KEY) {
    problems.push('INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY go together (set both to use Inngest, or neither for the embedded worker)');
  }
  if (source.STRIPE_SECRET_KEY) {
    for (const name of ['STRIPE_WEBHOOK_SECRET', 'STRIPE_PRICE_TEAM', 'STRIPE_PRICE_BUSINESS'] as const) {
      if (!source[name]) problems.push(`${name} is missing (required when STRIPE_SECRET_KEY is set)`);
    }
  }
  if (!result.success || problems.length) throw new EnvError(problems);
  const data = result.data;
  // Whole labels only: "localhostacademy.com" is a real domain and gets https.
  const local = /^(localhost|[a-z0-9.-]+\.localhost|127(\.\d{1,3}){3})(:\d+)?$/.test(data.LECTERN_ROOT_DOMAIN);
  return { ...data, LECTERN_PROTOCOL: data.LECTERN_PROTOCOL ?? (local ? 'http' : 'https') };
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Which executor runs background jobs: Inngest when configured, else the embedded worker over the outbox. */
export function inngestConfigured(e: Env = env()): boolean {
  return e.INNGEST_DEV || (!!e.INNGEST_SIGNING_KEY && !!e.INNGEST_EVENT_KEY);
}
