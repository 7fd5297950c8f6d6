import { ConfigError, loadConfig } from './app-config';

const RECIPIENT = 'age1x6qk5r5j7r5cef3djch8xhysx7n6hy3ejdxd0gj3zeh69nrv8p7spk4usm';

describe('backup settings', () => {
  it('defaults BACKUP_DIR to DATA_DIR/backups and keeps 7 daily and 4 weekly archives', () => {
    const { backup } = loadConfig({ NODE_ENV: 'test', DATA_DIR: '/srv/cv' });
    expect(backup).toMatchObject({ dir: '/srv/cv/backups', ageRecipients: [], keepDaily: 7, keepWeekly: 4 });
  });

  it('takes several age public keys, comma- or space-separated', () => {
    const { backup } = loadConfig({ NODE_ENV: 'test', BACKUP_AGE_RECIPIENTS: `${RECIPIENT}, ${RECIPIENT.replace('x6qk', 'y6qk')}` });
    expect(backup.ageRecipients).toHaveLength(2);
  });

  it('refuses a secret key pasted as a recipient without repeating it whole', () => {
    const secret = 'AGE-SECRET-KEY-1YNL4QZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ';
    let error: ConfigError | undefined;
    try {
      loadConfig({ NODE_ENV: 'test', BACKUP_AGE_RECIPIENTS: secret, BACKUP_KEEP_DAILY: '0' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual([
      expect.stringContaining('BACKUP_AGE_RECIPIENTS must list age public keys (age1…, from age-keygen -y): "AGE-SECRET-K…" is not one'),
      'BACKUP_KEEP_DAILY must be a whole number from 1 to 3650 (got "0")',
    ]);
    expect(error?.message).not.toContain(secret);
  });
});
