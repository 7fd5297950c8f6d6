import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './app';
import { asPostgresUser, run, tempDirFor } from './processes';
import { waitFor } from './wait';

const PG_BIN = process.env.CV_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const MIGRATE = join(__dirname, '..', '..', 'backend', 'dist', 'cli', 'migrate.js');
/** The standby's name: its `cluster_name`, hence the `application_name` its WAL receiver shows the primary. */
const STANDBY_NAME = 'replica1';

/** One server of the pair: its own data directory, socket directory and port on 127.0.0.1. */
export class PostgresNode {
  private constructor(
    private readonly dir: string,
    readonly port: number,
    /** `-c` settings of this server beyond the common ones. */
    private readonly settings: string[],
  ) {}

  static async create(prefix: string, settings: string[]): Promise<PostgresNode> {
    return new PostgresNode(await tempDirFor(prefix, 'postgres'), await freePort(), settings);
  }

  get url(): string {
    return this.urlOf('cryptovault');
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  urlOf(db: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  /**
   * Starts the server and waits until it accepts connections. fsync is off, as in every suite: the drill kills
   * processes, never the machine, so what a server wrote survives its death in the page cache either way.
   */
  async start(): Promise<void> {
    const options = [`-p ${this.port}`, `-k ${this.dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', ...this.settings.map((s) => `-c ${s}`)];
    await this.pg('pg_ctl', ['-D', this.dataDir, '-o', options.join(' '), '-l', join(this.dir, 'server.log'), '-w', '-t', '60', 'start']);
  }

  /**
   * The server dies as in a crash: `immediate` shutdown (SIGQUIT to every server process) writes no checkpoint,
   * sends its WAL senders nothing more and drops every session; the next start would be a crash recovery.
   * This is how PostgreSQL's own failover tests kill a primary.
   */
  async crash(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '60', 'stop']);
  }

  /** Ends recovery on a standby (`pg_ctl promote` waits until it accepts writes). */
  async promote(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-w', '-t', '60', 'promote']);
  }

  /** Runs SQL on a fresh connection to this server (`db`: the migrated `cryptovault` by default). */
  async query<R = Record<string, unknown>>(sql: string, params?: unknown[], db = 'cryptovault'): Promise<R[]> {
    const client = new Client({ connectionString: this.urlOf(db) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as R[];
    } finally {
      await client.end();
    }
  }

  /** The server's log (for failure messages). */
  async log(): Promise<string> {
    return run('tail', ['-n', '200', join(this.dir, 'server.log')]).catch((e: Error) => e.message);
  }

  async destroy(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '60', 'stop']).catch(() => undefined);
    await run('rm', ['-rf', this.dir]);
  }

  /** Runs a PostgreSQL tool as the `postgres` user (initdb and the server refuse root). */
  async pg(tool: string, args: string[]): Promise<string> {
    const [command, fullArgs] = asPostgresUser(join(PG_BIN, tool), args);
    return run(command, fullArgs);
  }
}

/**
 * A private PostgreSQL primary with one streaming standby that it replicates to
 * synchronously (`synchronous_standby_names = 'replica1'`, `synchronous_commit =
 * on`): a commit is acknowledged only once the standby has flushed its WAL, so
 * anything the app was told committed is on the standby when the primary dies.
 * Built as an operator would: initdb, migrate, `pg_basebackup -R` (a replication
 * slot, `primary_conninfo` and `standby.signal` written into the copy), the
 * standby started under its `cluster_name`; the shared server on :5432 is never
 * touched. The standby's copy carries the same `synchronous_standby_names`
 * (postgresql.auto.conf), as a standby built from a primary does: once promoted
 * with no standby of its own, it must be reset (`promoteStandby`), or every
 * commit on the new primary waits forever.
 */
export class ReplicatedPostgres {
  private constructor(
    readonly primary: PostgresNode,
    readonly standby: PostgresNode,
  ) {}

  static async create(): Promise<ReplicatedPostgres> {
    const pair = new ReplicatedPostgres(
      await PostgresNode.create('cv-pg-primary-', []),
      await PostgresNode.create('cv-pg-standby-', [`cluster_name=${STANDBY_NAME}`]),
    );
    try {
      await pair.build();
    } catch (e) {
      await pair.destroy();
      throw e;
    }
    return pair;
  }

  private async build(): Promise<void> {
    const { primary, standby } = this;
    await primary.pg('initdb', ['-D', primary.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await primary.start();
    await primary.query('CREATE DATABASE cryptovault', [], 'postgres');
    await run(process.execPath, [MIGRATE], { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: primary.url });
    // initdb's pg_hba.conf trusts replication connections from 127.0.0.1; wal_level=replica is the default.
    await primary.query(`ALTER SYSTEM SET synchronous_standby_names = '${STANDBY_NAME}'`, [], 'postgres');
    await primary.query(`ALTER SYSTEM SET synchronous_commit = 'on'`, [], 'postgres');
    await primary.query('SELECT pg_reload_conf()', [], 'postgres');
    await standby.pg('pg_basebackup', [
      ...['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'],
      ...['-D', standby.dataDir, '-R', '-C', '-S', STANDBY_NAME, '-X', 'stream', '--checkpoint=fast', '--no-sync'],
    ]);
    await standby.start();
    await waitFor(async () => (await this.replication())?.sync_state === 'sync', 30_000, `${STANDBY_NAME} streaming as the synchronous standby`);
  }

  /** The primary's view of its standby (`pg_stat_replication`), or undefined when it is not connected. */
  async replication(): Promise<{ application_name: string; state: string; sync_state: string } | undefined> {
    const [row] = await this.primary.query<{ application_name: string; state: string; sync_state: string }>(
      `SELECT application_name, state, sync_state FROM pg_stat_replication WHERE application_name = $1`,
      [STANDBY_NAME],
      'postgres',
    );
    return row;
  }

  /**
   * The failover on the standby's side, as the runbook does it: promote it, then clear
   * `synchronous_standby_names` (it has no standby of its own yet, and would otherwise hold every commit).
   */
  async promoteStandby(): Promise<void> {
    await this.standby.promote();
    await this.standby.query('ALTER SYSTEM RESET synchronous_standby_names', [], 'postgres');
    await this.standby.query('SELECT pg_reload_conf()', [], 'postgres');
  }

  async destroy(): Promise<void> {
    await Promise.all([this.primary.destroy(), this.standby.destroy()]);
  }
}
