import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import { UserControlMessage, UserEvent, userEventsChannel } from './user-events';

type Listener = (message: UserEvent | UserControlMessage) => void;

interface ChannelState {
  listeners: Set<Listener>;
  /** The PUB_SUB subscription, resolved once Redis confirmed it. */
  subscription: Promise<() => Promise<void>>;
}

/**
 * Fans user events out between instances: `publish` on any instance reaches
 * the listeners of that user on every instance. An instance subscribes to a
 * user's channel only while it holds a listener (a socket) for that user.
 */
@Injectable()
export class UserEventsService implements OnModuleDestroy {
  private readonly logger = new Logger('UserEvents');
  private readonly channels = new Map<string, ChannelState>();

  constructor(@Inject(PUB_SUB) private readonly pubsub: PubSub) {}

  async publish(userId: string, event: UserEvent): Promise<void> {
    await this.pubsub.publish(userEventsChannel(userId), JSON.stringify(event));
  }

  /** Makes every instance re-check the tokens of the user's open sockets (they close if the session ended). */
  async requestRevalidation(userId: string): Promise<void> {
    const message: UserControlMessage = { control: 'revalidate' };
    await this.pubsub.publish(userEventsChannel(userId), JSON.stringify(message));
  }

  /** Calls `listener` with every event of `userId` from now on; resolves once subscribed. Returns the unsubscribe function. */
  async listen(userId: string, listener: Listener): Promise<() => Promise<void>> {
    let state = this.channels.get(userId);
    if (!state) {
      const listeners = new Set<Listener>();
      const subscription = this.pubsub.subscribe(userEventsChannel(userId), (raw) => this.dispatch(listeners, raw));
      state = { listeners, subscription };
      this.channels.set(userId, state);
    }
    state.listeners.add(listener);
    try {
      await state.subscription;
    } catch (e) {
      state.listeners.delete(listener);
      if (this.channels.get(userId) === state && state.listeners.size === 0) this.channels.delete(userId);
      throw e;
    }
    const current = state;
    return async () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || this.channels.get(userId) !== current) return;
      this.channels.delete(userId);
      const unsubscribe = await current.subscription.catch(() => undefined);
      await unsubscribe?.();
    };
  }

  private dispatch(listeners: Set<Listener>, raw: string): void {
    let event: UserEvent | UserControlMessage;
    try {
      event = JSON.parse(raw) as UserEvent | UserControlMessage;
    } catch {
      this.logger.warn('ignoring a malformed user event');
      return;
    }
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (e) {
        this.logger.warn(`a user event listener failed: ${(e as Error).message}`);
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    const states = [...this.channels.values()];
    this.channels.clear();
    await Promise.all(states.map(async (s) => (await s.subscription.catch(() => undefined))?.()));
  }
}
