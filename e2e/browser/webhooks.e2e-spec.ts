import type { Page } from 'playwright-core';
import request from 'supertest';
import { generateApiKeyPair } from '../support/api-key-signing';
import { journey, openInClient, openedDialog, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, stepUp } from '../support/factories';
import { WebhookReceiver } from '../support/fakes/webhook-receiver';
import { waitForPrices } from '../support/money';

/**
 * Settings → API keys → Webhooks on a phone (390 px), through the page only: add an endpoint to a key (the step-up
 * dialog asks for the password; the signing secret is shown once), an alert fires, the receiver answers 500 and then
 * 200, the delivery log shows both attempts with their status codes, and Redeliver sends the event once more with the
 * same id. No accessibility violation, nothing wider than the screen.
 */
describe('browser: webhooks', () => {
  const suite = useBrowserSuite({
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_WORKER_INTERVAL_MS: '100',
    // The redelivery below follows the delivery at once; the cooldown itself is e2e/api/integrations/webhooks' subject.
    WEBHOOK_REDELIVERY_COOLDOWN_MS: '0',
  });
  let receiver: WebhookReceiver | undefined;

  afterAll(async () => {
    await receiver?.stop();
  });

  async function fits(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
  }

  it('adds an endpoint, shows its secret once, shows the delivery log with status codes and redelivers, at 390 px', async () => {
    receiver = await new WebhookReceiver([500]).start();
    const customer = await createUser(suite.app, suite.mail);
    await stepUp(suite.app, customer);
    const key = await request(suite.app.url)
      .post('/api/auth/api-keys')
      .set(customer.auth)
      .send({ name: 'Alerts bot', scopes: ['read'], publicKey: generateApiKeyPair().publicKeyBase64 })
      .expect(201);
    const keyId = key.body.apiKey.id as string;
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, 'webhooks-390');
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width: 390, height: 900 });
    let secret = '';

    await step('open', async () => {
      await openInClient(page, '/settings/api-keys');
      await page.getByTestId('api-key-item').getByText('Alerts bot').waitFor();
      await page.getByRole('button', { name: 'Webhooks', exact: true }).click();
      await page.getByTestId('webhooks-empty').waitFor();
      await fits(page);
    });

    await step('add', async () => {
      await page.getByLabel('Endpoint URL').fill(receiver!.url);
      // All five events are ticked to begin with: keep only alerts.
      for (const label of ['Order filled', 'Order cancelled', 'Deposit credited', 'Withdrawal updated']) await page.getByLabel(label).uncheck();
      await page.getByRole('button', { name: 'Add webhook' }).click();
      const stepUpDialog = await openedDialog(page, 'Confirm it is you');
      await stepUpDialog.getByLabel('Password').fill(customer.password);
      await stepUpDialog.getByRole('button', { name: 'Confirm' }).click();
      const shown = page.getByTestId('webhook-secret');
      await shown.getByText('it is shown only this once', { exact: false }).waitFor();
      secret = (await shown.locator('code').innerText()).trim();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      await page.getByTestId('webhook-item').getByText(receiver!.url).waitFor();
      await page.getByTestId('webhook-item').getByText('Sends: Alert triggered').waitFor();
      await fits(page);
      await page.getByRole('button', { name: 'I have saved it' }).click();
      await page.getByTestId('webhook-secret').waitFor({ state: 'detached' });
    });
    const listed = await request(suite.app.url).get(`/api/api-keys/${keyId}/webhooks`).set(customer.auth).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    await waitForPrices(suite.app);
    const alert = await request(suite.app.url)
      .post('/api/alerts')
      .set(customer.auth)
      .send({ symbol: 'BTC', condition: 'above', targetPrice: '0.00000001', confirmCrossed: true })
      .expect(201);
    const [, delivered] = await receiver.waitFor('the alert, retried once', (r) => r.body.data.id === alert.body.id, 2);
    const eventId = delivered.body.id;

    await step('delivery log', async () => {
      await page.getByRole('button', { name: 'Deliveries', exact: true }).click();
      const rows = page.getByTestId('webhook-delivery');
      await rows.filter({ hasText: 'HTTP 200' }).filter({ hasText: 'Attempt 2' }).waitFor();
      await rows.filter({ hasText: 'HTTP 500' }).filter({ hasText: 'Attempt 1' }).waitFor();
      expect(await rows.count()).toBe(2);
      await page.getByText(eventId).first().waitFor();
      await fits(page);
    });

    await step('redeliver', async () => {
      await page.getByRole('button', { name: `Redeliver event ${eventId}` }).click();
      await page.getByText('the event is sent again in a moment', { exact: false }).waitFor();
      await receiver!.waitFor('the redelivery', (r) => r.body.id === eventId, 3);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByTestId('webhook-delivery').filter({ hasText: 'Attempt 3' }).waitFor();
      await fits(page);
    });
    expect(receiver.received.map((r) => r.answered)).toEqual([500, 200, 200]);
    expect(new Set(receiver.received.map((r) => r.body.id))).toEqual(new Set([eventId]));
  });
});
