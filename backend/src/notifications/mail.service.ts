import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import { AppConfig } from '../config/config.service';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Email. With `SMTP_URL`, nodemailer over SMTP; without it (the embedded
 * default, refused in production), an outbox: each message is stored as
 * `DATA_DIR/outbox/<timestamp>-<id>.json` so a person can read the code.
 * The log says that a mail went out and to whom, never its subject or text:
 * they carry verification codes, reset links and reset tokens, which no log
 * may hold (logs are shipped and kept far longer than a one-time code lives).
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter | undefined;
  private readonly outboxDir: string;

  constructor(private readonly config: AppConfig) {
    const url = config.values.smtpUrl;
    this.transport = url ? nodemailer.createTransport(url) : undefined;
    this.outboxDir = join(config.values.dataDir, 'outbox');
  }

  async send(message: MailMessage): Promise<void> {
    const sentAt = new Date().toISOString();
    if (this.transport) {
      await this.transport.sendMail({ from: this.config.values.mailFrom, ...message });
      this.logger.log({ to: message.to }, 'mail sent');
      return;
    }
    await mkdir(this.outboxDir, { recursive: true });
    const file = join(this.outboxDir, `${sentAt.replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.json`);
    await writeFile(file, JSON.stringify({ to: message.to, subject: message.subject, text: message.text, html: message.html ?? null, sentAt }, null, 2));
    this.logger.log({ to: message.to, outbox: file }, 'mail written to outbox');
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
