import { Writable } from 'node:stream';
import pino from 'pino';
import { Logger } from '@nestjs/common';
import { loggableUrl, PinoNestLogger, REDACT_PATHS } from './logger';

function capture(): { lines: Record<string, unknown>[]; logger: PinoNestLogger } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, logger: new PinoNestLogger(pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink)) };
}

describe('PinoNestLogger', () => {
  it('keeps the message text and the context when a Nest logger is given fields and text', () => {
    const { lines, logger } = capture();
    logger.warn({ depositId: 'd-1' }, 'IPN for an unknown order', 'Deposits');
    expect(lines[0]).toMatchObject({ depositId: 'd-1', msg: 'IPN for an unknown order', context: 'Deposits', level: 40 });
  });

  it('logs plain messages with their context, and errors with their stack', () => {
    const { lines, logger } = capture();
    logger.log('listening', 'Boot');
    logger.error(new Error('boom'), 'Orders');
    expect(lines[0]).toMatchObject({ msg: 'listening', context: 'Boot' });
    expect(lines[1]).toMatchObject({ msg: 'boom', context: 'Orders' });
    expect((lines[1].err as { stack: string }).stack).toContain('Error: boom');
  });

  it('never writes passwords or tokens, whatever logs them', () => {
    const { lines, logger } = capture();
    logger.log({ body: { email: 'a@b.c', password: 'hunter2', refreshToken: 'rt' } }, 'signup');
    expect(JSON.stringify(lines[0])).not.toMatch(/hunter2|"rt"/);
    expect(lines[0]).toMatchObject({ body: { email: 'a@b.c', password: '[redacted]' } });
  });

  it('never writes the bind parameters of a failed query, but keeps the query', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new Error('duplicate key'), {
      query: 'UPDATE users SET two_factor_secret = $2 WHERE id = $1',
      parameters: ['u1', 'JBSWY3DPEHPK3PXP'],
    });
    logger.error({ err }, 'request failed');
    expect(JSON.stringify(lines[0])).not.toContain('JBSWY3DPEHPK3PXP');
    expect(lines[0]).toMatchObject({ err: { query: 'UPDATE users SET two_factor_secret = $2 WHERE id = $1', parameters: '[redacted]' } });
  });

  it('is what `new Logger(context)` writes through', () => {
    const { lines, logger } = capture();
    Logger.overrideLogger(logger);
    new Logger('Ctx').warn({ n: 1 }, 'text');
    Logger.overrideLogger(false);
    expect(lines.at(-1)).toMatchObject({ n: 1, msg: 'text', context: 'Ctx' });
  });
});

describe('loggableUrl', () => {
  it('drops the query string and redacts the reset token in the path', () => {
    expect(loggableUrl('/reset-password?token=abc')).toBe('/reset-password');
    expect(loggableUrl('/api/auth/validate-reset-token/s3cr3t-T0ken?x=1')).toBe('/api/auth/validate-reset-token/[redacted]');
    expect(loggableUrl('/api/orders/42')).toBe('/api/orders/42');
  });
});
