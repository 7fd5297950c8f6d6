import { Init1764300000000 } from './1764300000000-init';
import { DepositsWithdrawals1764340000000 } from './1764340000000-deposits-withdrawals';

/** Every migration, in order. Add new ones at the end. */
export const migrations = [Init1764300000000, DepositsWithdrawals1764340000000];
