import { isAbsolute, join, resolve } from 'node:path';

/** Backups (`npm run backup`, `npm run restore`; backend/src/backup, docs/runbooks/disaster-recovery.md). */
export interface BackupConfigValues {
  /** BACKUP_DIR: where archives, their manifests and the erasure journal live (default DATA_DIR/backups). */
  dir: string;
  /** BACKUP_AGE_RECIPIENTS: the age public keys (`age1…`) every archive is encrypted to (comma- or space-separated). */
  ageRecipients: string[];
  /** BACKUP_AGE_IDENTITY_FILE: an age identity file (`AGE-SECRET-KEY-1…`) that restore decrypts with; never logged. */
  ageIdentityFile: string | undefined;
  /** BACKUP_KEEP_DAILY: the newest archive of each of this many most recent days with one is kept (at least 1). */
  keepDaily: number;
  /** BACKUP_KEEP_WEEKLY: and the newest archive of each of this many most recent ISO weeks with one. */
  keepWeekly: number;
  /** PG_DUMP / PG_RESTORE: the PostgreSQL client programs; unset: the server's major version under /usr/lib/postgresql, else PATH. */
  pgDump: string | undefined;
  pgRestore: string | undefined;
}

/** An X25519 recipient (bech32 `age1…`, 58 characters after the prefix) or a post-quantum hybrid one (`age1pq1…`). */
const BECH32 = '[qpzry9x8gf2tvdw0s3jn54khce6mua7l]';
const AGE_RECIPIENT = new RegExp(`^(age1${BECH32}{58}|age1pq1${BECH32}{100,})$`);

/** Parses the backup settings; problems are added to the boot's one list (see loadConfig). */
export function parseBackupConfig(
  str: (name: string) => string | undefined,
  int: (name: string, def: number, min: number, max: number) => number,
  dataDir: string,
  problems: string[],
): BackupConfigValues {
  const recipients = (str('BACKUP_AGE_RECIPIENTS') ?? '').split(/[\s,]+/).filter(Boolean);
  const bad = recipients.filter((r) => !AGE_RECIPIENT.test(r));
  if (bad.length) {
    // Only a prefix of each: a secret key pasted here by mistake must not end up in a log whole.
    problems.push(
      `BACKUP_AGE_RECIPIENTS must list age public keys (age1…, from age-keygen -y): ${bad.map((r) => `"${r.slice(0, 12)}…"`).join(', ')} ${bad.length === 1 ? 'is not one' : 'are not'}`,
    );
  }
  const path = (name: string): string | undefined => {
    const raw = str(name);
    return raw === undefined ? undefined : isAbsolute(raw) ? raw : resolve(raw);
  };
  return {
    dir: path('BACKUP_DIR') ?? join(dataDir, 'backups'),
    ageRecipients: recipients,
    ageIdentityFile: path('BACKUP_AGE_IDENTITY_FILE'),
    keepDaily: int('BACKUP_KEEP_DAILY', 7, 1, 3650),
    keepWeekly: int('BACKUP_KEEP_WEEKLY', 4, 0, 520),
    pgDump: str('PG_DUMP'),
    pgRestore: str('PG_RESTORE'),
  };
}
