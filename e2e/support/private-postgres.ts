import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './app';
import { asPostgresUser, run, tempDirFor } from './processes';

const PG_BIN = process.env.CV_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const MIGRATE = join(__dirname, '..', '..', 'backend', 'dist', 'cli', 'migrate.js');

/**
 * A PostgreSQL cluster of one suite's own (initdb in a temp dir, trust auth,
 * a free port on 127.0.0.1, the socket in the temp dir), with one migrated
 * database, so the suite can stop and restart the server without touching
 * the shared one on :5432. As root, the server runs as the `postgres` user.
 */
export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** initdb + start + `cryptovault` database migrated with the migrate CLI. */
  static async create(): Promise<PrivatePostgres> {
    const dir = await tempDirFor('cv-pg-', 'postgres');
    const pg = new PrivatePostgres(dir, await freePort());
    await pg.pg('initdb', ['-D', pg.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await pg.start();
    const admin = new Client({ connectionString: pg.urlOf('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE cryptovault');
    await admin.end();
    await run(process.execPath, [MIGRATE], { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: pg.url });
    return pg;
  }

  get url(): string {
    return this.urlOf('cryptovault');
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private urlOf(db: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await this.pg('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.dir, 'server.log'), '-w', '-t', '60', 'start']);
  }

  /** Fast shutdown: open sessions are terminated, as in a database restart or failover. */
  async stop(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** Runs SQL on a fresh connection (the server may have restarted since the last call). */
  async query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as R[];
    } finally {
      await client.end();
    }
  }

  /** Stops the server (if running) and deletes the cluster. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    await run('rm', ['-rf', this.dir]);
  }

  private async pg(tool: string, args: string[]): Promise<string> {
    const [command, fullArgs] = asPostgresUser(join(PG_BIN, tool), args);
    return run(command, fullArgs);
  }
}
