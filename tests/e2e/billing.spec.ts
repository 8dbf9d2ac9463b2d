/**
 * Billing end to end, against the local fake Stripe the e2e server starts (tests/support/fake-stripe.ts):
 * a new organisation starts on the Free plan; its 26th learner seat is refused with a link to Billing; the
 * owner upgrades to Team in (fake) Stripe Checkout, the webhook makes the plan live and the refused
 * invitation now goes through; seats cannot go below what is in use, and a valid change applies. On acme,
 * the owner turns on course sales and prices a course; a new learner buys it, pays, is enrolled and gets a
 * receipt. Webhook edge cases (replays, tampering, ordering) are in tests/integration/billing-*.test.ts.
 */
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import Stripe from 'stripe';
import { DEMO_PASSWORD, expectAccessible, ROOT_DOMAIN, rootUrl, signIn, tenantUrl, unique } from './helpers';
import { e2eDatabaseUrl, readServerInfo } from './server-info';

/** Run `fn` with a superuser connection to the e2e database (bypasses row-level security). */
async function withSql<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

/** The real Stripe SDK, pointed at the fake Stripe the server uses. */
function fakeStripe(): Stripe {
  const base = new URL(readServerInfo().stripeApiBase);
  return new Stripe('sk_test_e2e', { host: base.hostname, port: Number(base.port), protocol: 'http' });
}

async function inviteLearner(page: Page, email: string) {
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Send invitation' }) });
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Role', { exact: true }).selectOption('learner');
  await form.getByRole('button', { name: 'Send invitation' }).click();
}

test.describe('plans and seats of a new organisation', () => {
  test.describe.configure({ mode: 'serial' });

  const id = unique();
  const org = { slug: `bill-${id}`, name: `Bill ${id}` };
  const owner = { name: 'Bea Billing', email: `owner-${id}@example.test`, password: 'owner-password-1' };
  const lastSeat = `seat25-${id}@example.test`;
  const oneTooMany = `seat26-${id}@example.test`;

  test('a new organisation starts on the Free plan', async ({ page }) => {
    await page.goto(rootUrl('/signup'));
    await page.getByLabel('Organisation name').fill(org.name);
    const address = page.getByLabel('Address', { exact: true });
    await address.fill(org.slug);
    await expect(page.getByText(`${org.slug}.${ROOT_DOMAIN} is available.`)).toBeVisible();
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Your email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.waitForURL((url) => url.host === new URL(tenantUrl(org.slug)).host && url.pathname === '/admin/members');

    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Billing' }).click();
    await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();
    const plan = page.getByTestId('plan-summary');
    await expect(plan).toContainText('Free plan');
    await expect(plan).toContainText('Free of charge');
    const bar = page.getByRole('progressbar', { name: 'Learner seats used' });
    await expect(bar).toHaveAttribute('aria-valuemax', '25');
    await expect(bar).toHaveAttribute('aria-valuenow', '0');
    await expect(plan.getByText('0 of 25 learner seats used')).toBeVisible();
    await expect(plan).toContainText('0 of 3 published courses');
    // The owner of a Free organisation is offered an upgrade; there is nothing to manage in Stripe yet.
    await expect(page.getByRole('heading', { name: 'Upgrade' })).toBeVisible();
    await expect(page.getByRole('radio', { name: /^Team/ })).toBeChecked();
    await expect(page.getByRole('button', { name: 'Manage billing in Stripe' })).toHaveCount(0);
    await expect(page.getByText('Selling courses needs the Team or Business plan.')).toBeVisible();
    await expect(page.getByText('No invoices yet.')).toBeVisible();
    await expectAccessible(page, 'Billing of a Free organisation');
  });

  test('the 26th seat is refused on Free; after upgrading to Team through Checkout it is not', async ({ page }) => {
    await test.step('24 learners already in the organisation (set up in the database)', async () => {
      await withSql(
        (sql) => sql`
          with learners as (
            insert into users (name, email)
            select 'Learner ' || n, 'l' || n || '-' || ${id} || '@example.test' from generate_series(1, 24) as n
            returning id
          )
          insert into memberships (tenant_id, user_id, role)
          select t.id, learners.id, 'learner'::member_role from learners, tenants t where t.slug = ${org.slug}`,
      );
    });

    await signIn(page, org.slug, owner.email, owner.password, '/admin/members');

    await test.step('the 25th seat can still be taken by an invitation', async () => {
      await inviteLearner(page, lastSeat);
      await expect(page.getByText(`Invitation sent to ${lastSeat}.`)).toBeVisible();
      await expect(page.getByRole('listitem').filter({ hasText: lastSeat })).toContainText('Learner');

      await page.goto(tenantUrl(org.slug, '/admin/billing'));
      // All 25 seats are taken: the open invitation holds the 25th.
      await expect(page.getByTestId('plan-summary')).toContainText('25 of 25 learner seats used');
      await expect(page.getByTestId('plan-summary')).toContainText('24 learners and 1 open invitation');
    });

    await test.step('one more learner is refused, with a link to Billing, and no invitation is made', async () => {
      await page.goto(tenantUrl(org.slug, '/admin/members'));
      await inviteLearner(page, oneTooMany);
      const error = page.getByRole('alert').filter({ hasText: 'All 25 learner seats on the Free plan are taken' });
      await expect(error).toBeVisible();
      await expect(error).toContainText('(24 learners, 1');
      await expect(error).toContainText('An owner can add seats on the Billing page.');
      await expect(error.getByRole('link', { name: 'Go to Billing' })).toBeVisible();
      await expectAccessible(page, 'members with the seat-limit message');
      await page.reload();
      await expect(page.getByRole('listitem').filter({ hasText: lastSeat })).toBeVisible();
      await expect(page.getByRole('listitem').filter({ hasText: oneTooMany })).toHaveCount(0);
      const [row] = await withSql((sql) => sql<{ n: number }[]>`select count(*)::int as n from invitations where email = ${oneTooMany}`);
      expect(row!.n, 'invitations for the refused address').toBe(0);
    });

    await test.step('follow "Go to Billing" and pay for Team with 30 seats in Checkout', async () => {
      await inviteLearner(page, oneTooMany);
      await page.getByRole('alert').getByRole('link', { name: 'Go to Billing' }).click();
      await page.waitForURL(tenantUrl(org.slug, '/admin/billing'));
      await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();

      await page.getByRole('radio', { name: /^Team/ }).check();
      await page.getByRole('spinbutton', { name: 'Seats' }).fill('30');
      await page.getByRole('button', { name: 'Continue to checkout' }).click();

      await expect(page).toHaveTitle('Fake Stripe Checkout');
      await expect(page.getByText(owner.email)).toBeVisible();
      await expect(page.getByRole('row').filter({ hasText: 'Team' })).toContainText('30 × $8.00');
      await expect(page.getByText('Total: $240.00 per month')).toBeVisible();
      await page.getByRole('button', { name: 'Pay' }).click();
    });

    await test.step('back on Billing, the Team plan becomes live with 30 seats and an invoice', async () => {
      await page.waitForURL(tenantUrl(org.slug, '/admin/billing?checkout=success'));
      await expect(page.getByText('Your new plan is active.')).toBeVisible();
      const plan = page.getByTestId('plan-summary');
      await expect(plan).toContainText('Team plan');
      await expect(plan).toContainText('Billed through Stripe');
      await expect(plan).toContainText('Active');
      await expect(plan).toContainText('25 of 30 learner seats used');
      await expect(plan).toContainText(/Renews on \w+ \d{1,2}, \d{4}/);
      await expect(page.getByRole('progressbar', { name: 'Learner seats used' })).toHaveAttribute('aria-valuemax', '30');
      await expect(page.getByRole('heading', { name: 'Change plan or seats' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Upgrade' })).toHaveCount(0);

      const invoices = page.getByRole('table', { name: 'Invoices' });
      const invoice = invoices.getByRole('row').filter({ hasText: '$240.00' });
      await expect(invoice).toHaveCount(1);
      await expect(invoice).toContainText('Paid');
      await expect(invoice.getByRole('link', { name: /^View invoice FAKE-\d+ \(opens in a new tab\)$/ })).toBeVisible();
      await expectAccessible(page, 'Billing on the Team plan');

      // What Stripe itself holds for this organisation.
      const [tenant] = await withSql((sql) => sql<{ customer: string }[]>`select stripe_customer_id as customer from tenants where slug = ${org.slug}`);
      const subs = await fakeStripe().subscriptions.list({ customer: tenant!.customer });
      expect(subs.data.map((s) => [s.status, s.items.data[0]?.price.id, s.items.data[0]?.quantity])).toEqual([['active', 'price_team', 30]]);
    });

    await test.step('the refused invitation now goes through', async () => {
      await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Members' }).click();
      await inviteLearner(page, oneTooMany);
      await expect(page.getByText(`Invitation sent to ${oneTooMany}.`)).toBeVisible();
      await expect(page.getByRole('listitem').filter({ hasText: oneTooMany })).toContainText('Learner');
    });

    await test.step('"Manage billing in Stripe" opens the portal, and it leads back', async () => {
      await page.goto(tenantUrl(org.slug, '/admin/billing'));
      await expect(page.getByTestId('plan-summary')).toContainText('24 learners and 2 open invitations');
      await page.getByRole('button', { name: 'Manage billing in Stripe' }).click();
      await expect(page).toHaveTitle('Fake Stripe Billing Portal');
      await expect(page.getByRole('heading', { name: /Team — 30 seats/ })).toBeVisible();
      await page.getByRole('link', { name: 'Return to Lectern' }).click();
      await page.waitForURL(tenantUrl(org.slug, '/admin/billing'));
      await expect(page.getByTestId('plan-summary')).toContainText('Team plan');
    });
  });

  test('seats cannot go below what is in use; a valid change applies after confirming', async ({ page }) => {
    await signIn(page, org.slug, owner.email, owner.password, '/admin/billing');
    const change = page.locator('form').filter({ has: page.getByRole('spinbutton', { name: 'Seats' }) });
    const seats = change.getByRole('spinbutton', { name: 'Seats' });
    await expect(seats).toHaveValue('30');
    // 24 learners and 2 open invitations need 26 seats.
    await expect(change).toContainText('At least 26 (your learners and open invitations).');

    await test.step('10 seats is refused with the numbers', async () => {
      await seats.fill('10');
      await change.getByRole('button', { name: 'Update subscription' }).click();
      const confirm = change.getByRole('group', { name: 'Change your subscription?' });
      await expect(confirm).toContainText('Team, 30 seats → Team, 10 seats. Stripe charges or credits the difference on your next invoice.');
      await confirm.getByRole('button', { name: 'Update subscription' }).click();
      const message = 'You have 24 learners and 2 invitations pending, so the plan needs at least 26 seats.';
      // Said once, under the field it is about.
      await expect(change.getByText(message)).toHaveCount(1);
      await expect(seats).toHaveAccessibleDescription(new RegExp(message.replace(/[.?]/g, '\\$&')));
      await expectAccessible(page, 'Billing with a refused seat change');
      await expect(page.getByTestId('plan-summary')).toContainText('26 of 30 learner seats used');
    });

    await test.step('Cancel on the confirmation changes nothing', async () => {
      await seats.fill('40');
      await change.getByRole('button', { name: 'Update subscription' }).click();
      await change.getByRole('group', { name: 'Change your subscription?' }).getByRole('button', { name: 'Cancel' }).click();
      await expect(change.getByRole('group', { name: 'Change your subscription?' })).toHaveCount(0);
      await expect(page.getByTestId('plan-summary')).toContainText('26 of 30 learner seats used');
    });

    await test.step('40 seats, confirmed, is applied', async () => {
      await change.getByRole('button', { name: 'Update subscription' }).click();
      await change.getByRole('group', { name: 'Change your subscription?' }).getByRole('button', { name: 'Update subscription' }).click();
      await expect(change.getByRole('status').filter({ hasText: 'Subscription updated.' })).toBeVisible();
      await expect(page.getByTestId('plan-summary')).toContainText('26 of 40 learner seats used');
      await expect(page.getByRole('progressbar', { name: 'Learner seats used' })).toHaveAttribute('aria-valuemax', '40');
      await page.reload();
      await expect(page.getByTestId('plan-summary')).toContainText('26 of 40 learner seats used');
      await expect(page.getByTestId('plan-summary')).toContainText('Team plan');
      await expect(seats).toHaveValue('40');

      const [tenant] = await withSql((sql) => sql<{ customer: string }[]>`select stripe_customer_id as customer from tenants where slug = ${org.slug}`);
      const subs = await fakeStripe().subscriptions.list({ customer: tenant!.customer });
      expect(subs.data.map((s) => s.items.data[0]?.quantity)).toEqual([40]);
    });
  });
});

// A published demo course the buyer is not in. certificates.spec.ts enrols in it for free later, so the price and
// course sales are removed again at the end (through the UI, and by afterAll should the test stop early).
const COURSE = { slug: 'espanol-para-el-trabajo', title: 'Español para el trabajo' };

test.describe('course sales', () => {
  test.afterAll(async () => {
    // Safety net if the test stopped before its own clean-up: other specs expect this course free and sales off.
    await withSql(async (sql) => {
      await sql`update courses set price_cents = null, price_currency = null where slug = ${COURSE.slug} and tenant_id = (select id from tenants where slug = 'acme')`;
      await sql`update tenant_settings set sells_courses = false where tenant_id = (select id from tenants where slug = 'acme')`;
    });
  });

  test('a new learner buys a priced course on acme, is enrolled and gets a receipt', async ({ page, browser }) => {
    const buyer = { name: `Bruno Buyer ${unique()}`, email: `buyer-${unique()}@example.test`, password: 'buyer-password-1' };

    await test.step('the owner turns on course sales', async () => {
      await signIn(page, 'acme', 'owner@acme.test', DEMO_PASSWORD, '/admin/billing');
      await expect(page.getByTestId('plan-summary')).toContainText('Business plan');
      await expect(page.getByTestId('plan-summary')).toContainText('Granted by Lectern (not billed)');
      const sales = page.locator('form').filter({ has: page.getByRole('button', { name: /course sales/ }) });
      await sales.getByRole('button', { name: 'Turn on course sales' }).click();
      await expect(page.getByText('Course sales are on.')).toBeVisible();
      await expect(sales.getByRole('button', { name: 'Turn off course sales' })).toBeVisible();
    });

    await test.step('the owner prices the course at 49.90 USD', async () => {
      await page.goto(tenantUrl('acme', `/teach/${COURSE.slug}`));
      const price = page.locator('form').filter({ has: page.getByRole('button', { name: 'Save price' }) });
      await price.getByLabel('Price', { exact: true }).fill('49.90');
      await price.getByLabel('Currency', { exact: true }).selectOption('usd');
      await price.getByRole('button', { name: 'Save price' }).click();
      await expect(price.getByText('Price saved. Learners now buy this course to enrol.')).toBeVisible();
      await expectAccessible(page, 'course settings with a price');
    });

    const buyerContext = await browser.newContext();
    const shopper = await buyerContext.newPage();
    try {
      await test.step('a new learner signs up and sees the price', async () => {
        await shopper.goto(tenantUrl('acme', '/sign-up'));
        await shopper.getByLabel('Your name').fill(buyer.name);
        await shopper.getByLabel('Email', { exact: true }).fill(buyer.email);
        await shopper.getByLabel('Password', { exact: true }).fill(buyer.password);
        await shopper.getByRole('button', { name: 'Create account' }).click();
        await shopper.waitForURL(tenantUrl('acme', '/'));
        await expect(shopper.getByTestId('signed-in-as')).toHaveText(buyer.name);

        await shopper.goto(tenantUrl('acme', `/courses/${COURSE.slug}`));
        await expect(shopper.getByRole('heading', { name: COURSE.title, level: 1 })).toBeVisible();
        await expect(shopper.getByTestId('course-price')).toHaveText('$49.90');
        await expect(shopper.getByRole('button', { name: 'Enrol', exact: true })).toHaveCount(0);
        await expectAccessible(shopper, 'a priced course landing page');
      });

      await test.step('buy, pay in Checkout, and end up enrolled', async () => {
        await shopper.getByRole('button', { name: 'Buy for $49.90' }).click();
        await expect(shopper).toHaveTitle('Fake Stripe Checkout');
        await expect(shopper.getByText(buyer.email)).toBeVisible();
        await expect(shopper.getByRole('row').filter({ hasText: COURSE.title })).toContainText('$49.90');
        await shopper.getByRole('button', { name: 'Pay' }).click();

        await shopper.waitForURL(tenantUrl('acme', `/courses/${COURSE.slug}?purchase=success`));
        await expect(shopper.getByText("You're enrolled. A receipt is on its way to your inbox.")).toBeVisible();
        await expect(shopper.getByTestId('enrol-notice')).toContainText('You are enrolled');
        await expect(shopper.getByTestId('course-price')).toHaveCount(0);
        await expectAccessible(shopper, 'the course landing page after buying');
        await shopper.getByRole('link', { name: 'Continue learning' }).click();
        await shopper.waitForURL(new RegExp(`/learn/${COURSE.slug}(/[0-9a-f-]{36})?$`));
      });
    } finally {
      await buyerContext.close();
    }

    await test.step('the receipt is in the mailbox', async () => {
      await page.goto(tenantUrl('acme', '/admin/mailbox'));
      const mail = page.getByTestId('mail-item').filter({ hasText: buyer.email }).filter({ hasText: `Your receipt: ${COURSE.title}` });
      await expect(mail).toHaveCount(1);
      await mail.locator('summary').click();
      await expect(mail).toContainText('Amount paid: $49.90');
      await expect(mail).toContainText(`/learn/${COURSE.slug}`);
    });

    await test.step('clean up: the price is removed and sales are turned off again', async () => {
      await page.goto(tenantUrl('acme', `/teach/${COURSE.slug}`));
      const price = page.locator('form').filter({ has: page.getByRole('button', { name: 'Save price' }) });
      await price.getByLabel('Price', { exact: true }).fill('');
      await price.getByRole('button', { name: 'Save price' }).click();
      await expect(price.getByText('Price removed. The course is free to join again.')).toBeVisible();

      await page.goto(tenantUrl('acme', '/admin/billing'));
      await page.getByRole('button', { name: 'Turn off course sales' }).click();
      await expect(page.getByText('Course sales are off.')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Turn on course sales' })).toBeVisible();
    });
  });
});
