import request from 'supertest';
import type { RunningApp } from './app';
import { createUser, enableTwoFactor, stepUp, type TestUser } from './factories';
import type { SmtpSink } from './smtp';
import { waitFor } from './wait';

/** Valid addresses the suites send to, per asset (checksums as withdrawals check them). */
export const TEST_ADDRESSES: Record<string, string> = {
  BTC: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  ETH: '0x52908400098527886E0F7030069857D2E4169EE7',
  USDC: '0x52908400098527886E0F7030069857D2E4169EE7',
};

export interface SavedAddressSpec {
  asset: string;
  network?: string;
  /** Default: TEST_ADDRESSES[asset]. */
  address?: string;
  /** Default: "<asset> test wallet". */
  label?: string;
}

/** A user with 2FA on and saved addresses confirmed and past their hold. */
export interface Withdrawer extends TestUser {
  /** The first saved address (the one `createWithdrawer`'s `asset` names). */
  addressId: string;
  address: string;
  /** Every saved address by asset. */
  addressIds: Record<string, string>;
}

/** The token of the newest confirmation link mailed to `email` for `address`. */
export async function addressConfirmationToken(mail: SmtpSink, email: string, address: string, skip = 0): Promise<string> {
  const m = await mail.waitFor(email, (x) => x.subject === 'Confirm your new withdrawal address' && x.text.includes(address), 10_000, skip);
  const match = /\/wallet\/addresses\/confirm\?token=([A-Za-z0-9_-]+)/.exec(m.text);
  if (!match) throw new Error(`no confirmation link in the mail to ${email}: ${m.text}`);
  return match[1];
}

/**
 * Saves an address for `user` as its owner would: step-up, POST /api/wallet/addresses, the emailed link
 * confirmed by POST, then waits out the hold (suites run with ADDRESS_HOLD_HOURS=0 unless they set one).
 * The step-up takes a TOTP code when the user has 2FA on (see stepUp).
 */
export async function saveConfirmedAddress(app: RunningApp, mail: SmtpSink, user: TestUser, spec: SavedAddressSpec): Promise<string> {
  const address = spec.address ?? TEST_ADDRESSES[spec.asset];
  if (!address) throw new Error(`no test address for ${spec.asset}: pass one`);
  await stepUp(app, user);
  const added = await request(app.url)
    .post('/api/wallet/addresses')
    .set(user.auth)
    .send({ label: spec.label ?? `${spec.asset} test wallet`, asset: spec.asset, address, ...(spec.network ? { network: spec.network } : {}) });
  if (added.status !== 201) throw new Error(`adding ${spec.asset} ${address} for ${user.email}: ${added.status} ${JSON.stringify(added.body)}`);
  const token = await addressConfirmationToken(mail, user.email, address);
  const confirmed = await request(app.url).post('/api/wallet/addresses/confirm').send({ token });
  if (confirmed.status !== 200) throw new Error(`confirming ${address} for ${user.email}: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  const usableFrom = new Date(confirmed.body.address.usableFrom as string).getTime();
  await waitFor(() => Date.now() >= usableFrom, Math.max(0, usableFrom - Date.now()) + 5_000, `the hold of ${address}`);
  return added.body.address.id as string;
}

/**
 * "A user with 2FA on and a confirmed address past its hold", made through the real API: the addresses are saved
 * before 2FA is turned on (so their step-ups use no code and every backup code stays available to the test), then
 * 2FA is enabled (first enrolment: no security hold). `admin` as in createUser.
 */
export async function createWithdrawer(
  app: RunningApp,
  mail: SmtpSink,
  opts: SavedAddressSpec & { more?: SavedAddressSpec[]; admin?: boolean } = { asset: 'BTC' },
): Promise<Withdrawer> {
  const user = await createUser(app, mail, { admin: opts.admin });
  const addressIds: Record<string, string> = {};
  for (const spec of [opts, ...(opts.more ?? [])]) addressIds[spec.asset] = await saveConfirmedAddress(app, mail, user, spec);
  await enableTwoFactor(app, user);
  return { ...user, addressId: addressIds[opts.asset], address: opts.address ?? TEST_ADDRESSES[opts.asset], addressIds };
}
