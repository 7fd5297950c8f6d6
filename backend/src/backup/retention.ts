/**
 * Which archives a retention policy keeps: the newest of each of the `daily` most recent UTC days that have one, and
 * the newest of each of the `weekly` most recent ISO weeks (Monday to Sunday, UTC) that have one. Days and weeks
 * without a backup do not count, so a pause in backups never deletes the last good ones. The newest archive is always
 * kept. Returns the ones to delete.
 */
export function archivesToDelete<T extends { at: Date }>(archives: T[], policy: { daily: number; weekly: number }): T[] {
  const newestFirst = [...archives].sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<T>(newestFirst.slice(0, 1));
  const pick = (bucket: (d: Date) => string, count: number): void => {
    const seen = new Set<string>();
    for (const a of newestFirst) {
      const key = bucket(a.at);
      if (seen.has(key)) continue;
      if (seen.size >= count) break;
      seen.add(key);
      keep.add(a);
    }
  };
  pick((d) => d.toISOString().slice(0, 10), policy.daily);
  pick(isoWeek, policy.weekly);
  return newestFirst.filter((a) => !keep.has(a));
}

/** The ISO 8601 week of a UTC time, e.g. `2025-W01` (the week with the year's first Thursday). */
export function isoWeek(d: Date): string {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Archive names: `cryptovault-<kind>-20250102T030405Z.age`, so they sort by time and say what they hold. */
export const ARCHIVE_NAME = /^cryptovault-(postgresql|pglite)-(\d{8}T\d{6}Z)\.age$/;

export function archiveName(kind: string, at: Date): string {
  return `cryptovault-${kind}-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}.age`;
}

/** The time in an archive's name; undefined for any other file. */
export function archiveTime(name: string): Date | undefined {
  const m = ARCHIVE_NAME.exec(name);
  if (!m) return undefined;
  const s = m[2];
  return new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
}

/** The manifest written beside an archive. */
export function manifestNameFor(archive: string): string {
  return archive.replace(/\.age$/, '.manifest.json');
}
