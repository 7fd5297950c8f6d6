import { Init1764300000000 } from './1764300000000-init';

/** Every migration, in order. Add new ones at the end. */
export const migrations = [Init1764300000000];
