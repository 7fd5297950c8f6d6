import { archiveName, archivesToDelete, archiveTime, isoWeek } from './retention';

const at = (iso: string): { name: string; at: Date } => ({ name: iso, at: new Date(iso) });
const kept = (all: { name: string; at: Date }[], policy: { daily: number; weekly: number }): string[] => {
  const doomed = new Set(archivesToDelete(all, policy));
  return all.filter((a) => !doomed.has(a)).map((a) => a.name);
};

describe('backup retention', () => {
  it('keeps the newest backup of each of the last N days that have one, and deletes the rest', () => {
    const all = [
      at('2025-03-10T02:00:00Z'),
      at('2025-03-10T14:00:00Z'), // the newest of the 10th
      at('2025-03-11T02:00:00Z'),
      at('2025-03-12T02:00:00Z'),
      at('2025-03-12T09:30:00Z'),
    ];
    expect(kept(all, { daily: 2, weekly: 0 })).toEqual(['2025-03-11T02:00:00Z', '2025-03-12T09:30:00Z']);
    expect(kept(all, { daily: 3, weekly: 0 })).toEqual(['2025-03-10T14:00:00Z', '2025-03-11T02:00:00Z', '2025-03-12T09:30:00Z']);
  });

  it('also keeps the newest backup of each of the last M ISO weeks, beyond the daily ones', () => {
    // Daily at 02:00 from Monday 3 February to Wednesday 12 March 2025.
    const all: { name: string; at: Date }[] = [];
    for (let t = Date.parse('2025-02-03T02:00:00Z'); t <= Date.parse('2025-03-12T02:00:00Z'); t += 86_400_000) all.push(at(new Date(t).toISOString()));
    expect(kept(all, { daily: 3, weekly: 3 })).toEqual([
      '2025-03-02T02:00:00.000Z', // Sunday: the last of week 9
      '2025-03-09T02:00:00.000Z', // Sunday: the last of week 10
      '2025-03-10T02:00:00.000Z',
      '2025-03-11T02:00:00.000Z',
      '2025-03-12T02:00:00.000Z', // also the newest of week 11
    ]);
  });

  it('counts only days with a backup, so a pause in backups never deletes the last good ones', () => {
    const all = [at('2025-01-01T02:00:00Z'), at('2025-01-02T02:00:00Z'), at('2025-02-20T02:00:00Z')];
    expect(kept(all, { daily: 3, weekly: 0 })).toEqual(['2025-01-01T02:00:00Z', '2025-01-02T02:00:00Z', '2025-02-20T02:00:00Z']);
  });

  it('always keeps the newest backup', () => {
    expect(kept([at('2025-01-01T02:00:00Z'), at('2025-01-02T02:00:00Z')], { daily: 0, weekly: 0 })).toEqual(['2025-01-02T02:00:00Z']);
  });

  it('names ISO weeks by their Thursday: 29 December 2024 is in 2024-W52, 30 December 2024 in 2025-W01', () => {
    expect(isoWeek(new Date('2024-12-29T23:59:59Z'))).toBe('2024-W52');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
  });

  it('reads the time back from an archive name and ignores other files', () => {
    const name = archiveName('postgresql', new Date('2025-03-12T02:03:04.567Z'));
    expect(name).toBe('cryptovault-postgresql-20250312T020304Z.age');
    expect(archiveTime(name)?.toISOString()).toBe('2025-03-12T02:03:04.000Z');
    expect(archiveTime('erasures.jsonl')).toBeUndefined();
    expect(archiveTime(`${name}.partial`)).toBeUndefined();
  });
});
