/** A stand-in for the browser WebSocket: tests push server messages with `receive`. */
export class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  closed = false;
  readonly sent: string[] = [];

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  /** The client closed it (a browser then reports close code 1000). */
  close(): void {
    this.closed = true;
    this.onclose?.({ code: 1000 });
  }

  /** The server or the network ended the connection with this close code. */
  drop(code = 1006): void {
    this.onclose?.({ code });
  }

  open(): void {
    this.onopen?.();
  }

  receive(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

export function installFakeWebSocket(): void {
  FakeWebSocket.instances = [];
  (globalThis as unknown as { WebSocket: unknown }).WebSocket = FakeWebSocket;
}
