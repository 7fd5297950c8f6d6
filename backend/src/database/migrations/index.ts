import { Init1764300000000 } from './1764300000000-init';
import { AuthSessions1764310000000 } from './1764310000000-auth-sessions';
import { MarketData1764320000000 } from './1764320000000-market-data';
import { Money1764330000000 } from './1764330000000-money';
import { DepositsWithdrawals1764340000000 } from './1764340000000-deposits-withdrawals';
import { Notifications1764345000000 } from './1764345000000-notifications';
import { Alerts1764345100000 } from './1764345100000-alerts';
import { BalanceShards1764350000000 } from './1764350000000-balance-shards';
import { UserAuthNotify1764350100000 } from './1764350100000-user-auth-notify';
import { ConfirmationAttempts1764360000000 } from './1764360000000-confirmation-attempts';
import { LedgerAdjustments1764360800000 } from './1764360800000-ledger-adjustments';
import { StepUp1764370000000 } from './1764370000000-step-up';
import { SecurityEvents1764370100000 } from './1764370100000-security-events';
import { WithdrawalAddresses1764370200000 } from './1764370200000-withdrawal-addresses';
import { Passkeys1764370300000 } from './1764370300000-passkeys';
import { AdminRoleChanges1764370400000 } from './1764370400000-admin-role-changes';
import { UserAuthNotifyTwoFactor1764370500000 } from './1764370500000-user-auth-notify-two-factor';
import { FxReferenceRates1764370600000 } from './1764370600000-fx-reference-rates';
import { RecurringBuys1764370900000 } from './1764370900000-recurring-buys';
import { OrderQuoteReserve1764370800000 } from './1764370800000-order-quote-reserve';
import { ConvertQuotes1764370700000 } from './1764370700000-convert-quotes';
import { DepositCreditAsset1764371000000 } from './1764371000000-deposit-credit-asset';
import { WithdrawalPayouts1764371100000 } from './1764371100000-withdrawal-payouts';
import { ProviderReconciliations1764371150000 } from './1764371150000-provider-reconciliations';
import { WithdrawalCashOut1764371200000 } from './1764371200000-withdrawal-cash-out';
import { Watchlist1764371300000 } from './1764371300000-watchlist';
import { AlertKinds1764371350000 } from './1764371350000-alert-kinds';
import { TrackedHoldingLots1764371400000 } from './1764371400000-tracked-holding-lots';
import { AccountData1764371500000 } from './1764371500000-account-data';
import { ProofOfReserves1764371800000 } from './1764371800000-proof-of-reserves';
import { Webhooks1764371900000 } from './1764371900000-webhooks';
import { ApiKeyHardening1764372000000 } from './1764372000000-api-key-hardening';
import { RecurringRunOrderKey1764372100000 } from './1764372100000-recurring-run-order-key';
import { ApiKeys1764371700000 } from './1764371700000-api-keys';
import { CostBasisLots1764371600000 } from './1764371600000-cost-basis-lots';

/** Every migration, in order. Add new ones at the end. */
export const migrations = [
  Init1764300000000,
  AuthSessions1764310000000,
  MarketData1764320000000,
  Money1764330000000,
  DepositsWithdrawals1764340000000,
  Notifications1764345000000,
  Alerts1764345100000,
  BalanceShards1764350000000,
  UserAuthNotify1764350100000,
  ConfirmationAttempts1764360000000,
  LedgerAdjustments1764360800000,
  StepUp1764370000000,
  SecurityEvents1764370100000,
  WithdrawalAddresses1764370200000,
  Passkeys1764370300000,
  AdminRoleChanges1764370400000,
  UserAuthNotifyTwoFactor1764370500000,
  FxReferenceRates1764370600000,
  ConvertQuotes1764370700000,
  OrderQuoteReserve1764370800000,
  RecurringBuys1764370900000,
  DepositCreditAsset1764371000000,
  WithdrawalPayouts1764371100000,
  ProviderReconciliations1764371150000,
  WithdrawalCashOut1764371200000,
  Watchlist1764371300000,
  AlertKinds1764371350000,
  TrackedHoldingLots1764371400000,
  AccountData1764371500000,
  CostBasisLots1764371600000,
  ApiKeys1764371700000,
  ProofOfReserves1764371800000,
  Webhooks1764371900000,
  ApiKeyHardening1764372000000,
  RecurringRunOrderKey1764372100000,
];
