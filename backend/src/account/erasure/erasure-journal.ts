import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One closed account whose personal data was erased (`erasePersonalData`), as the journal records it. */
export interface ErasureEntry {
  userId: string;
  /** ISO 8601, the `at` given to `erasePersonalData`. */
  erasedAt: string;
}

/** The journal's file inside its directory (`BACKUP_DIR`). */
export const ERASURE_JOURNAL_FILE = 'erasures.jsonl';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Appends one erasure to `<dir>/erasures.jsonl` (one JSON object a line) and
 * fsyncs it before resolving, so an erasure that was answered survives a
 * crash. A restore from a backup taken before the erasure replays this
 * journal (`erasePersonalData` is idempotent), so a closed account's data
 * does not come back with the backup.
 */
export async function appendErasure(dir: string, entry: ErasureEntry): Promise<void> {
  if (!UUID.test(entry.userId)) throw new Error('appendErasure: userId must be a UUID');
  if (Number.isNaN(Date.parse(entry.erasedAt))) throw new Error('appendErasure: erasedAt must be an ISO date');
  await mkdir(dir, { recursive: true });
  const line = `${JSON.stringify({ userId: entry.userId, erasedAt: entry.erasedAt })}\n`;
  const file = await open(join(dir, ERASURE_JOURNAL_FILE), 'a', 0o600);
  try {
    await file.appendFile(line, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
}

/**
 * Every erasure in `<dir>/erasures.jsonl`, oldest first; none when the file
 * does not exist. A torn last line (a crash mid-append, before the fsync that
 * would have made it an answered erasure) is skipped; any other line that is
 * not an entry is an error, since the journal is ours alone.
 */
export async function readErasures(dir: string): Promise<ErasureEntry[]> {
  let text: string;
  try {
    text = await readFile(join(dir, ERASURE_JOURNAL_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const lines = text.split('\n');
  const entries: ErasureEntry[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const last = i === lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (last) return;
      throw new Error(`${ERASURE_JOURNAL_FILE}: line ${i + 1} is not JSON`);
    }
    const { userId, erasedAt } = (parsed ?? {}) as Partial<ErasureEntry>;
    if (typeof userId !== 'string' || !UUID.test(userId) || typeof erasedAt !== 'string' || Number.isNaN(Date.parse(erasedAt))) {
      throw new Error(`${ERASURE_JOURNAL_FILE}: line ${i + 1} is not an erasure entry`);
    }
    entries.push({ userId, erasedAt });
  });
  return entries;
}
