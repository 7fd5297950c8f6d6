import { SchedulerRegistry } from '@nestjs/schedule';
import { RepeatingJob } from './repeating-job';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('RepeatingJob', () => {
  it('runs one round at a time, the next one after the previous ended, and none after stop()', async () => {
    const scheduler = new SchedulerRegistry();
    const events: string[] = [];
    let active = 0;
    let overlapped = false;
    let rounds = 0;
    const job = new RepeatingJob(
      scheduler,
      'test-job',
      async () => {
        rounds++;
        active++;
        overlapped ||= active > 1;
        events.push(`start ${rounds}`);
        await sleep(20);
        events.push(`end ${rounds}`);
        active--;
      },
      () => 1,
    );
    job.start();
    while (rounds < 3) await sleep(5);
    await job.stop();
    const after = rounds;
    await sleep(50);
    expect(overlapped).toBe(false);
    expect(rounds).toBe(after);
    // stop() waited for the round under way: the last round ended before it returned.
    expect(events.at(-1)).toBe(`end ${after}`);
    expect(scheduler.doesExist('timeout', 'test-job')).toBe(false);
  });

  it('reads the delay before each round, and stop() before the first round means no round at all', async () => {
    const scheduler = new SchedulerRegistry();
    const delays: number[] = [];
    let rounds = 0;
    const job = new RepeatingJob(
      scheduler,
      'delayed',
      async () => {
        rounds++;
      },
      () => {
        delays.push(rounds);
        return 1;
      },
    );
    job.start(60_000);
    expect(scheduler.doesExist('timeout', 'delayed')).toBe(true);
    await job.stop();
    expect(rounds).toBe(0);
    expect(delays).toEqual([]);
    expect(scheduler.doesExist('timeout', 'delayed')).toBe(false);

    const again = new RepeatingJob(
      scheduler,
      'delayed',
      async () => void rounds++,
      () => {
        delays.push(rounds);
        return 1;
      },
    );
    again.start();
    while (rounds < 2) await sleep(5);
    await again.stop();
    // Asked once after each finished round, with that round's work done.
    expect(delays.slice(0, 2)).toEqual([1, 2]);
  });

  it('goes on after a round that throws, and stop() still resolves', async () => {
    const scheduler = new SchedulerRegistry();
    let rounds = 0;
    const job = new RepeatingJob(
      scheduler,
      'throws',
      async () => {
        rounds++;
        throw new Error(`round ${rounds} failed`);
      },
      () => 1,
    );
    job.start();
    while (rounds < 3) await sleep(5);
    await expect(job.stop()).resolves.toBeUndefined();
  });
});
