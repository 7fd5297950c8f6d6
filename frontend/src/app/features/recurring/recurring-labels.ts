import type { RecurringBuyRunDto, RecurringFrequency } from '../../api/models';

/** How often, as a table cell and an option: "Daily". */
export function frequencyLabel(f: RecurringFrequency): string {
  switch (f) {
    case 'daily':
      return $localize`:how often a recurring buy runs:Daily`;
    case 'weekly':
      return $localize`:how often a recurring buy runs:Weekly`;
    case 'monthly':
      return $localize`:how often a recurring buy runs:Monthly`;
    default:
      return f;
  }
}

/** A recurring buy as a noun phrase, for buttons' names and confirmations: "daily buy of $10.00 of BTC". */
export function describeRecurringBuy(frequency: RecurringFrequency, amount: string, symbol: string): string {
  switch (frequency) {
    case 'daily':
      return $localize`:a recurring buy as a noun phrase, e.g. "daily buy of $10.00 of BTC":daily buy of ${amount}:amount: of ${symbol}:symbol:`;
    case 'weekly':
      return $localize`:a recurring buy as a noun phrase, e.g. "weekly buy of $10.00 of BTC":weekly buy of ${amount}:amount: of ${symbol}:symbol:`;
    default:
      return $localize`:a recurring buy as a noun phrase, e.g. "monthly buy of $10.00 of BTC":monthly buy of ${amount}:amount: of ${symbol}:symbol:`;
  }
}

/** Why a run did not buy, in the reader's words (the server's English for a reason this client does not know). */
export function runReason(run: Pick<RecurringBuyRunDto, 'reasonCode' | 'reason'>): string | null {
  switch (run.reasonCode) {
    case null:
    case undefined:
      return null;
    case 'INSUFFICIENT_FUNDS':
      return $localize`:why a recurring buy was skipped:Not enough USD available`;
    case 'MIN_NOTIONAL':
      return $localize`:why a recurring buy was skipped:Below the minimum order value after the fee`;
    case 'UNKNOWN_ASSET':
      return $localize`:why a recurring buy was skipped:The asset is no longer listed`;
    case 'ACCOUNT_SUSPENDED':
      return $localize`:why a recurring buy was skipped:Your account is suspended`;
    case 'PRICE_STALE':
      return $localize`:why a recurring buy failed:No current price was available`;
    case 'DATABASE_BUSY':
      return $localize`:why a recurring buy failed:The service was too busy to place it`;
    case 'SERVICE_UNAVAILABLE':
      return $localize`:why a recurring buy failed:A service it needs was unavailable`;
    case 'ERROR':
      return $localize`:why a recurring buy failed:An error on our side`;
    default:
      return run.reason;
  }
}
