import { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * A background job that runs one round at a time, on this instance, through `@nestjs/schedule`'s registry: the
 * next round is scheduled when the previous one has ended (a slow round never stacks rounds), after `nextDelayMs()`
 * (read each time, so a job can back off). `stop()` cancels the next round and waits for the one under way, which
 * may hold a database connection or be placing an order: modules call it from `onModuleDestroy`, so a graceful
 * shutdown never cuts a round in half.
 *
 * A round catches and logs what went wrong itself; one that throws anyway is logged here, and the schedule goes on.
 */
export class RepeatingJob {
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    /** Its name in the registry: one job of a name per instance. */
    readonly name: string,
    private readonly round: () => Promise<void>,
    private readonly nextDelayMs: () => number,
  ) {}

  /** Schedules the first round `delayMs` from now (0: as soon as the boot is over). */
  start(delayMs = 0): void {
    this.schedule(delayMs);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Cancels the next round and waits for the round under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel();
    await this.running;
  }

  private cancel(): void {
    if (this.scheduler.doesExist('timeout', this.name)) this.scheduler.deleteTimeout(this.name);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.cancel();
    const timer = setTimeout(() => {
      this.scheduler.deleteTimeout(this.name);
      if (this.stopped) return;
      this.running = this.round()
        .catch((e: unknown) => new Logger(this.name).error({ err: (e as Error).message }, 'round failed; the next one tries again'))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.nextDelayMs());
        });
    }, ms).unref();
    this.scheduler.addTimeout(this.name, timer);
  }
}
