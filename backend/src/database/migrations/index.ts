import { Init1764300000000 } from './1764300000000-init';
import { Notifications1764345000000 } from './1764345000000-notifications';

/** Every migration, in order. Add new ones at the end. */
export const migrations = [Init1764300000000, Notifications1764345000000];
