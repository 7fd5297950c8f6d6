import { toAdminUserDto } from './admin-users.service';

describe('toAdminUserDto', () => {
  const row = {
    id: '6f1c0d8e-0000-4000-8000-000000000001',
    email: 'ann@example.com',
    name: 'Ann',
    role: 'user' as const,
    email_verified_at: new Date('2026-11-01T10:00:00Z'),
    two_factor_enabled_at: null,
    suspended_at: new Date('2026-11-20T10:00:00Z'),
    locked_until: new Date('2000-01-01T00:00:00Z'),
    created_at: new Date('2026-10-01T10:00:00Z'),
    last_active_at: null,
    // What a careless SELECT * would bring along: the mapper must drop it.
    password_hash: '$2b$04$secret',
    two_factor_secret: 'JBSWY3DPEHPK3PXP',
  };

  it('turns timestamps into flags and ISO strings and never copies a hash or secret', () => {
    const dto = toAdminUserDto(row);
    expect(dto).toEqual({
      id: row.id,
      email: 'ann@example.com',
      name: 'Ann',
      role: 'user',
      emailVerified: true,
      twoFactorEnabled: false,
      suspended: true,
      suspendedAt: '2026-11-20T10:00:00.000Z',
      lockedUntil: null,
      lastActiveAt: null,
      createdAt: '2026-10-01T10:00:00.000Z',
    });
    expect(JSON.stringify(dto)).not.toMatch(/secret|\$2b\$|JBSWY/);
  });

  it('shows a lockout only while it lasts', () => {
    const until = new Date(Date.now() + 60_000);
    expect(toAdminUserDto({ ...row, locked_until: until }).lockedUntil).toBe(until.toISOString());
  });
});
