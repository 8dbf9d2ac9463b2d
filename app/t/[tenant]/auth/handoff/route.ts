import { redirect, unstable_rethrow } from 'next/navigation';
import { signIn } from '@/lib/auth';

/** Lands the new owner from the root-domain sign-up, signed in, using a one-time, two-minute token. */
export async function GET(req: Request) {
  const token = new URL(req.url).searchParams.get('token') ?? '';
  try {
    await signIn('handoff', { token, redirectTo: '/admin/members?welcome=1' });
  } catch (e) {
    unstable_rethrow(e);
  }
  redirect('/sign-in?handoff=expired');
}
