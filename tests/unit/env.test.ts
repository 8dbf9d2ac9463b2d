import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';

const valid = { DATABASE_URL: 'postgres://lectern@127.0.0.1:5432/lectern', APP_DATABASE_URL: 'postgres://lectern_app:s3cret@127.0.0.1:5432/lectern', AUTH_SECRET: 'x'.repeat(32) };

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return (e as EnvError).problems;
  }
  throw new Error('parseEnv accepted an invalid configuration');
}

describe('parseEnv', () => {
  it('names every missing required variable', () => {
    const found = problems({});
    expect(found).toEqual(
      expect.arrayContaining([expect.stringMatching(/^DATABASE_URL is missing/), expect.stringMatching(/^AUTH_SECRET is missing/), expect.stringMatching(/^APP_DATABASE_URL is missing/)]),
    );
    expect(found).toHaveLength(3);
  });

  it('says what is wrong with a bad value', () => {
    expect(problems({ ...valid, DATABASE_URL: 'mysql://root@db/lectern' })).toEqual(['DATABASE_URL is invalid: must be a postgres:// URL']);
    expect(problems({ ...valid, DATABASE_URL: 'not a url' })).toEqual(['DATABASE_URL is invalid: must be a postgres:// URL']);
    expect(problems({ ...valid, AUTH_SECRET: 'short' })).toEqual([expect.stringMatching(/^AUTH_SECRET is invalid: must be at least 32 characters/)]);
    expect(problems({ ...valid, LECTERN_ROOT_DOMAIN: 'https://lectern.app' })).toEqual([expect.stringMatching(/^LECTERN_ROOT_DOMAIN is invalid/)]);
    expect(problems({ ...valid, DB_POOL_MAX: '0' })).toEqual([expect.stringMatching(/^DB_POOL_MAX is invalid/)]);
  });

  it('puts every problem in the error message, one per line', () => {
    try {
      parseEnv({ DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/configuration is invalid:\n {2}- DATABASE_URL is invalid.*\n {2}- AUTH_SECRET is missing/s);
    }
  });

  it('needs the app\'s own database login, or a password for migrations to give the app role', () => {
    const withoutAppUrl: Record<string, string> = { ...valid };
    delete withoutAppUrl.APP_DATABASE_URL;
    expect(problems(withoutAppUrl)).toEqual([expect.stringMatching(/^APP_DATABASE_URL is missing \(set APP_DATABASE_URL.* or LECTERN_APP_DB_PASSWORD/)]);
    expect(parseEnv({ ...withoutAppUrl, LECTERN_APP_DB_PASSWORD: 'a-long-password' }).LECTERN_APP_DB_PASSWORD).toBe('a-long-password');
    expect(problems({ ...withoutAppUrl, LECTERN_APP_DB_PASSWORD: 'short' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^LECTERN_APP_DB_PASSWORD is invalid: must be at least 12/)]),
    );
  });

  it('stores files locally by default and needs a bucket for S3', () => {
    expect(parseEnv(valid).FILES_STORE).toBe('local');
    expect(problems({ ...valid, FILES_STORE: 's3' })).toEqual(['S3_BUCKET is missing (required when FILES_STORE=s3)']);
    const s3 = parseEnv({ ...valid, FILES_STORE: 's3', S3_BUCKET: 'lectern-files', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: '1' });
    expect(s3).toMatchObject({ S3_BUCKET: 'lectern-files', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: true });
    expect(problems({ ...valid, FILES_STORE: 'ftp' })).toEqual([expect.stringMatching(/^FILES_STORE is invalid/)]);
  });

  it('keeps the dev mailbox off unless asked for', () => {
    expect(parseEnv(valid).LECTERN_DEV_MAILBOX).toBe(false);
    expect(parseEnv({ ...valid, LECTERN_DEV_MAILBOX: '1' }).LECTERN_DEV_MAILBOX).toBe(true);
  });

  it('accepts postgresql:// as well as postgres://', () => {
    expect(parseEnv({ ...valid, DATABASE_URL: 'postgresql://u:p@db.internal/lectern' }).DATABASE_URL).toBe('postgresql://u:p@db.internal/lectern');
  });

  it('defaults to localhost:3000 over http', () => {
    const e = parseEnv(valid);
    expect(e.LECTERN_ROOT_DOMAIN).toBe('localhost:3000');
    expect(e.LECTERN_PROTOCOL).toBe('http');
    expect(e.DB_POOL_MAX).toBe(10);
    expect(e.TRUST_PROXY).toBe(false);
  });

  it('uses http for local domains and https for everything else', () => {
    const protocol = (domain: string) => parseEnv({ ...valid, LECTERN_ROOT_DOMAIN: domain }).LECTERN_PROTOCOL;
    expect(protocol('localhost')).toBe('http');
    expect(protocol('lectern.localhost:8080')).toBe('http');
    expect(protocol('127.0.0.1:3000')).toBe('http');
    expect(protocol('lectern.app')).toBe('https');
    expect(protocol('learn.example.com:8443')).toBe('https');
    // Real domains that merely start with "localhost" or "127." are not local.
    expect(protocol('localhostacademy.com')).toBe('https');
    expect(protocol('localhost.example.com')).toBe('https');
    expect(protocol('127.example.com')).toBe('https');
  });

  it('lets LECTERN_PROTOCOL override the guess', () => {
    expect(parseEnv({ ...valid, LECTERN_ROOT_DOMAIN: 'lectern.app', LECTERN_PROTOCOL: 'http' }).LECTERN_PROTOCOL).toBe('http');
    expect(parseEnv({ ...valid, LECTERN_PROTOCOL: 'https' }).LECTERN_PROTOCOL).toBe('https');
  });

  it('reads TRUST_PROXY as a boolean', () => {
    expect(parseEnv({ ...valid, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(true);
    expect(parseEnv({ ...valid, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(parseEnv({ ...valid, TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  });
});
