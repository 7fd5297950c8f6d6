import type { RecurringFrequency } from '../../api/models';

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
