/** The realtime events `/ws/user` pushes (API.md "WebSocket"). */
export const USER_EVENT_TYPES = [
  'order_filled',
  'order_cancelled',
  'convert_settled',
  'alert_triggered',
  'deposit_credited',
  'withdrawal_updated',
  'notification',
] as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[number];

/** The in-app notification an event carries, as JSON on the wire. */
export interface WireNotification {
  id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

/** One event for one user, as sent over PUB_SUB and then the socket. */
export interface UserEvent {
  type: UserEventType;
  data: Record<string, unknown>;
  /** The stored notification, when the event produced one. */
  notification?: WireNotification;
  timestamp: string;
}

/**
 * Not for the client: tells every instance holding sockets of the user to
 * re-check their tokens now (after a suspension, a logout everywhere, …).
 */
export interface UserControlMessage {
  control: 'revalidate';
}

export const isControlMessage = (m: UserEvent | UserControlMessage): m is UserControlMessage => 'control' in m;

/** Every instance subscribes to the channels of the users it has sockets for. */
export const userEventsChannel = (userId: string): string => `user-events:${userId}`;
