import { Init1764300000000 } from './1764300000000-init';
import { AuthSessions1764310000000 } from './1764310000000-auth-sessions';

/** Every migration, in order. Add new ones at the end. */
export const migrations = [Init1764300000000, AuthSessions1764310000000];
