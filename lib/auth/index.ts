import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { authenticate, redeemHandoff, SignInError, type AuthUser } from './sign-in';

declare module 'next-auth' {
  interface Session {
    tenantId?: string;
    /** When this session signed in (seconds): older than the last password change means signed out. */
    authAt?: number;
  }
  interface User {
    tenantId?: string;
  }
}

/** Auth.js reports only a code to the sign-in form: 'invalid' or 'locked:<minutes>'. */
class SignInRefused extends CredentialsSignin {
  constructor(failure: SignInError['failure']) {
    super();
    this.code = failure.reason === 'locked' ? `locked:${failure.retryAfterMinutes}` : 'invalid';
  }
}

async function refuseOnFailure(run: () => Promise<AuthUser>): Promise<AuthUser> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof SignInError) throw new SignInRefused(e.failure);
    throw e;
  }
}

export const authConfig = {
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 7 * 24 * 60 * 60 },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  providers: [
    // The organisation is the request's host; the session it produces is bound to that organisation.
    Credentials({
      id: 'credentials',
      credentials: { email: {}, password: {} },
      authorize: (c, request) => refuseOnFailure(() => authenticate(request.headers.get('host'), c.email, c.password)),
    }),
    Credentials({
      id: 'handoff',
      credentials: { token: {} },
      authorize: (c, request) => refuseOnFailure(() => redeemHandoff(request.headers.get('host'), c.token)),
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.tenantId = user.tenantId;
        // Not `iat`: Auth.js re-issues the cookie (and iat) as sessions roll; this stays the sign-in time.
        token.authAt = Math.floor(Date.now() / 1000);
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.tenantId = typeof token.tenantId === 'string' ? token.tenantId : undefined;
      session.authAt = typeof token.authAt === 'number' ? token.authAt : undefined;
      return session;
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
