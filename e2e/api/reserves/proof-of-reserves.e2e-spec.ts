import Decimal from 'decimal.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { createWithdrawer } from '../../support/withdrawer';

jest.setTimeout(120_000);

const VERIFIER = join(__dirname, '..', '..', '..', 'scripts', 'verify-reserves-proof.mjs');

/** Runs the standalone verifier as a user would: `node scripts/verify-reserves-proof.mjs proof.json <root> [--account <id>]`. */
function runVerifier(file: string, root: string, account?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VERIFIER, file, root, ...(account ? ['--account', account] : [])], { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A decimal string of the ledger as whole units of 10^-18 (the tree's unit). */
const units = (amount: string): string => new Decimal(amount).mul(new Decimal(10).pow(18)).toFixed(0);

describe('proof of reserves', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;
  let admin: TestUser;
  let dir: string;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    dir = mkdtempSync(join(tmpdir(), 'cv-por-'));
    // No scheduled snapshot or reconciliation: the suite takes them through the admin routes.
    app = await startApp(
      suiteEnv(db.url, { SMTP_URL: mail.url, SIMULATED_VOLATILITY: '0', PROOF_OF_RESERVES_INTERVAL_MS: '0', PROVIDER_RECONCILE_INTERVAL_MS: '0' }),
    );
    admin = await createUser(app, mail, { admin: true });
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([mail?.stop(), db?.drop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes nothing before the first snapshot, and refuses a snapshot to a non-admin (403) and to no one signed in (401)', async () => {
    const none = await request(app.url).get('/api/proof-of-reserves').expect(200);
    expect(none.body).toEqual({ snapshot: null });
    expect(none.headers['cache-control']).toBe('public, max-age=60');
    const user = await createUser(app, mail);
    const refused = await request(app.url).post('/api/admin/proof-of-reserves/snapshots').set(user.auth).expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    await request(app.url).post('/api/admin/proof-of-reserves/snapshots').expect(401);
    const noProof = await request(app.url).get('/api/proof-of-reserves/my-proof').set(user.auth).expect(404);
    expect(noProof.body.error).toEqual({ code: 'NOT_FOUND', message: 'No proof-of-reserves snapshot has been published yet' });
    await request(app.url).get('/api/proof-of-reserves/my-proof').expect(401);
  });

  it("after trades and a withdrawal, every user's proof verifies against the published root with the standalone verifier, and the tree's totals are the ledger's liabilities exactly", async () => {
    await waitForPrices(app);
    // Traders: funded in USD and crypto, then market orders both ways.
    const traders: TestUser[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await createUser(app, mail);
      await fund(app, admin, t, 'USD', `${1000 + i * 250}.25`);
      await fund(app, admin, t, 'ETH', '0.75');
      traders.push(t);
    }
    for (const [i, t] of traders.entries()) {
      await request(app.url)
        .post('/api/orders')
        .set(t.auth)
        .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: `${100 + i * 10}` })
        .expect(201);
      await request(app.url).post('/api/orders').set(t.auth).send({ symbol: 'ETH', side: 'sell', type: 'market', quantity: '0.1' }).expect(201);
    }
    // A withdrawal sent and completed, and one still pending (its amount held).
    const withdrawer = await createWithdrawer(app, mail, { asset: 'BTC' });
    await fund(app, admin, withdrawer, 'BTC', '0.01');
    const sent = await request(app.url)
      .post('/api/wallet/withdraw')
      .set(withdrawer.auth)
      .send({ asset: 'BTC', addressId: withdrawer.addressId, amount: '0.001', twoFactorCode: withdrawer.backupCodes![0] })
      .expect(201);
    const id = sent.body.withdrawal.id as string;
    await request(app.url).post(`/api/admin/withdrawals/${id}/approve`).set(admin.auth).expect(200);
    await request(app.url)
      .post(`/api/admin/withdrawals/${id}/complete`)
      .set(admin.auth)
      .send({ txHash: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16' })
      .expect(200);
    await request(app.url)
      .post('/api/wallet/withdraw')
      .set(withdrawer.auth)
      .send({ asset: 'BTC', addressId: withdrawer.addressId, amount: '0.002', twoFactorCode: withdrawer.backupCodes![1] })
      .expect(201);
    expect(await balanceOf(app, withdrawer, 'BTC')).toMatchObject({ locked: '0.00210000' }); // amount + network fee
    // A user who held money and withdrew all of it still has a leaf (zero); one who never held anything has none.
    const emptied = await createUser(app, mail);
    await fund(app, admin, emptied, 'USD', '50');
    await fund(app, admin, emptied, 'USD', '-50');
    const neverFunded = await createUser(app, mail);

    const taken = await request(app.url).post('/api/admin/proof-of-reserves/snapshots').set(admin.auth).expect(201);
    const snapshot = taken.body.snapshot;
    expect(snapshot).toMatchObject({ status: 'published', trigger: 'admin', error: null, rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // The tree's totals equal what the users own in the ledger, to the last of 18 decimals.
    const ledger = await db.query<{ asset: string; amount: string }>(
      `SELECT asset, sum(available + locked)::text AS amount FROM balances WHERE account LIKE 'user:%' GROUP BY asset ORDER BY asset`,
    );
    const accounts = await db.query<{ n: string }>(`SELECT count(DISTINCT account)::text AS n FROM balances WHERE account LIKE 'user:%'`);
    const published = await request(app.url).get('/api/proof-of-reserves').expect(200);
    expect(published.body.snapshot).toMatchObject({ id: snapshot.id, rootHash: snapshot.rootHash, leafCount: Number(accounts[0].n), unitDecimals: 18 });
    const perAsset = published.body.snapshot.assets as { asset: string; liabilities: string; liabilitiesUnits: string; reserves: null; ratio: null }[];
    expect(perAsset.map((a) => a.asset)).toEqual(ledger.map((l) => l.asset));
    for (const l of ledger) {
      const line = perAsset.find((a) => a.asset === l.asset)!;
      expect(line.liabilitiesUnits).toBe(units(l.amount));
      expect(new Decimal(line.liabilities).equals(l.amount)).toBe(true);
      // No provider check yet: reserves unknown, no ratio.
      expect(line).toMatchObject({ reserves: null, reservesSource: null, ratio: null });
    }
    expect(snapshot.totals).toEqual(perAsset.map((a) => ({ asset: a.asset, amount: a.liabilities })));

    // Every user's proof verifies with the standalone verifier against the published root, with their balances in it.
    const everyone = [...traders, withdrawer, emptied];
    for (const [i, user] of everyone.entries()) {
      const res = await request(app.url).get('/api/proof-of-reserves/my-proof').set(user.auth).expect(200);
      const { proof, balances } = res.body as {
        proof: { format: string; version: number; root: { hash: string }; leaf: { account: string; nonce: string } };
        balances: { asset: string; amount: string }[];
      };
      expect(proof.root.hash).toBe(published.body.snapshot.rootHash);
      // The leaf names its owner's account (their user id), which its hash covers.
      expect(proof).toMatchObject({ format: 'cryptovault-por-proof/v2', version: 2, leaf: { account: user.id } });
      for (const b of balances) expect(new Decimal(b.amount).equals((await balanceOf(app, user, b.asset)).total)).toBe(true);
      const file = join(dir, `proof-${i}.json`);
      writeFileSync(file, JSON.stringify(proof));
      const run = await runVerifier(file, published.body.snapshot.rootHash as string, user.id);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain(`of account ${user.id} (yours) are included in root ${published.body.snapshot.rootHash as string}`);
      // Handed to someone else as theirs, it fails their check.
      const other = everyone[(i + 1) % everyone.length];
      const notTheirs = await runVerifier(file, published.body.snapshot.rootHash as string, other.id);
      expect(notTheirs).toMatchObject({ code: 1, stderr: `not verified: the proof is for account ${user.id}, not yours (${other.id})\n` });
      if (user === emptied) expect(balances.every((b) => new Decimal(b.amount).isZero())).toBe(true);
      if (user === withdrawer) {
        const btc = new Decimal((await balanceOf(app, withdrawer, 'BTC')).total);
        expect(btc.isZero()).toBe(false);
        expect(run.stdout).toMatch(new RegExp(`^verified: the balances .*BTC ${btc.toString().replace('.', '\\.')}[,\\s]`));
      }
    }
    const absent = await request(app.url).get('/api/proof-of-reserves/my-proof').set(neverFunded.auth).expect(404);
    expect(absent.body.error.message).toBe('Your account had no balance when the latest proof-of-reserves snapshot was taken, so it has no leaf in it');

    // Another user's numbers do not pass for yours: a proof with a balance raised by one unit fails, exit 1.
    const mine = (await request(app.url).get('/api/proof-of-reserves/my-proof').set(traders[0].auth).expect(200)).body.proof;
    mine.leaf.balances[mine.assets.indexOf('USD')] = (BigInt(mine.leaf.balances[mine.assets.indexOf('USD')]) + 1n).toString();
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(mine));
    const tampered = await runVerifier(join(dir, 'tampered.json'), published.body.snapshot.rootHash as string);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('not verified: the path does not lead to the proof');

    const audit = await db.query<{ actor_id: string; details: { snapshotId: string; status: string } }>(
      `SELECT actor_id, details FROM audit_logs WHERE action = 'reserves.snapshot_taken'`,
    );
    expect(audit).toEqual([{ actor_id: admin.id, details: expect.objectContaining({ snapshotId: snapshot.id, status: 'published' }) }]);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('shows the reserves of the latest provider check beside the liabilities, labelled with its source and time, with reserves ÷ liabilities', async () => {
    const holder = await createUser(app, mail);
    await fund(app, admin, holder, 'USDT', '25');
    const check = await request(app.url).post('/api/admin/reconciliations').set(admin.auth).expect(201);
    const reconciliation = check.body.reconciliation as {
      id: string;
      provider: string;
      createdAt: string;
      lines: { asset: string; provider: string; inFlight: string }[];
    };
    const taken = await request(app.url).post('/api/admin/proof-of-reserves/snapshots').set(admin.auth).expect(201);
    const res = await request(app.url).get('/api/proof-of-reserves').expect(200);
    expect(res.body.snapshot.id).toBe(taken.body.snapshot.id);
    for (const a of res.body.snapshot.assets as { asset: string; liabilities: string; reserves: string; ratio: string | null; reservesSource: unknown }[]) {
      const line = reconciliation.lines.find((l) => l.asset === a.asset);
      const reserves = line ? new Decimal(line.provider).add(line.inFlight) : new Decimal(0);
      expect(new Decimal(a.reserves).equals(reserves)).toBe(true);
      expect(a.reservesSource).toEqual({ provider: reconciliation.provider, checkedAt: reconciliation.createdAt, reconciliationId: reconciliation.id });
      const expected = new Decimal(a.liabilities).isZero() ? null : reserves.div(a.liabilities).toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed(4);
      expect(a.ratio).toBe(expected);
    }
    // The user's proof is of the new snapshot, with its root.
    const proof = (await request(app.url).get('/api/proof-of-reserves/my-proof').set(holder.auth).expect(200)).body.proof;
    expect(proof.snapshotId).toBe(taken.body.snapshot.id);
    expect(proof.root.hash).toBe(res.body.snapshot.rootHash);
  });
});
