import { noticeDevice, toSecurityEventDto } from './security-notices.service';

describe('security notices', () => {
  it('names a recognised device as describeDevice labels it, and never repeats a raw User-Agent', () => {
    expect(noticeDevice('Firefox on Windows')).toBe('Firefox on Windows');
    expect(noticeDevice('API client')).toBe('API client');
    expect(noticeDevice('Unknown device')).toBe('Unknown device');
    expect(noticeDevice('Visit evil.example to keep your account')).toBe('an unrecognised browser or app');
    expect(noticeDevice(null)).toBeNull();
  });

  it('shows a sign-in on the activity page with whether it was from a new device, and no details', () => {
    const row = {
      id: 'e1',
      user_id: 'u1',
      kind: 'signed_in',
      created_at: new Date('2026-12-02T10:00:00.000Z'),
      ip: '203.0.113.7',
      network: '203.0.113.0/24',
      device: 'Firefox on Windows',
      details: { sessionId: 's1', newDevice: true },
    };
    expect(toSecurityEventDto(row)).toEqual({
      id: 'e1',
      kind: 'signed_in',
      title: 'Signed in',
      createdAt: '2026-12-02T10:00:00.000Z',
      device: 'Firefox on Windows',
      network: '203.0.113.0/24',
      newDevice: true,
    });
    expect(toSecurityEventDto({ ...row, kind: 'two_factor_disabled', details: {} })).toMatchObject({
      title: 'Two-factor authentication turned off',
      newDevice: null,
    });
  });
});
