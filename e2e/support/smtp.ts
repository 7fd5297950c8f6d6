import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A real SMTP server on 127.0.0.1 that keeps every message it receives. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Connection-level errors the server reported (clients hanging up), kept for a test that wants them. */
  readonly connectionErrors: Error[] = [];
  private server!: SMTPServer;
  private waiters: { match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  port = 0;

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
            sink.receive({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '' });
            callback();
          })
          .catch((e: Error) => callback(e));
      },
    });
    // A client that hangs up mid-conversation (an app stopped while its mail pool was connected) makes the
    // server emit 'error' (read ECONNRESET); with no listener that would be thrown. The messages received are
    // what the tests check, so a dropped connection is not an error of the sink.
    sink.server.on('error', (e: Error) => sink.connectionErrors.push(e));
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    const addr = sink.server.server.address();
    sink.port = typeof addr === 'object' && addr ? addr.port : 0;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private receive(mail: ReceivedMail): void {
    this.messages.push(mail);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(mail)) return true;
      w.resolve(mail);
      return false;
    });
  }

  /** The first message to `to` (optionally matching) that arrived or arrives within the timeout. */
  async waitFor(to: string, match: (m: ReceivedMail) => boolean = () => true, timeoutMs = 10_000, skip = 0): Promise<ReceivedMail> {
    const pred = (m: ReceivedMail) => m.to.toLowerCase().includes(to.toLowerCase()) && match(m);
    const existing = this.messages.filter(pred);
    if (existing.length > skip) return existing[skip];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${timeoutMs} ms`)), timeoutMs);
      let seen = existing.length;
      this.waiters.push({
        match: (m) => pred(m) && seen++ >= skip,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
