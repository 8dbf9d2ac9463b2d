'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Alert } from '@/components/ui/alert';

const EVERY_MS = 2_000;
const GIVE_UP_MS = 90_000;

/**
 * Back from Checkout: the plan changes only when Stripe's webhook arrives, so re-render the page every
 * two seconds until the server says it has (`confirmed`), for at most 90 seconds.
 */
export function CheckoutWaiter({ confirmed, waiting, done, late }: { confirmed: boolean; waiting: string; done: string; late: string }) {
  const router = useRouter();
  const [started] = useState(() => Date.now());
  const [timedOut, setTimedOut] = useState(false);
  useEffect(() => {
    if (confirmed || timedOut) return;
    const timer = setInterval(() => {
      if (Date.now() - started > GIVE_UP_MS) setTimedOut(true);
      else router.refresh();
    }, EVERY_MS);
    return () => clearInterval(timer);
  }, [confirmed, timedOut, router, started]);
  if (confirmed) return <Alert tone="success">{done}</Alert>;
  return (
    <Alert tone={timedOut ? 'warning' : 'info'}>
      <span className="inline-flex items-center gap-2">
        {!timedOut && <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" />}
        {timedOut ? late : waiting}
      </span>
    </Alert>
  );
}
