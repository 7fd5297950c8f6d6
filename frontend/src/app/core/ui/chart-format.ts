import type { BusinessDay, LocalizationOptions, Time } from 'lightweight-charts';
import type { DisplayFormat } from './format.pipes';

/** A chart time (UTC seconds, a business day or an ISO day) as a Date. */
export function chartDate(t: Time): Date {
  if (typeof t === 'number') return new Date(t * 1000);
  if (typeof t === 'string') return new Date(t);
  const d = t as BusinessDay;
  return new Date(Date.UTC(d.year, d.month - 1, d.day));
}

/**
 * Axis labels and the crosshair's tooltips through the app's formatter: values
 * given in US dollars, shown in the display currency ("$122,500.00",
 * "€0.9983"), times in the user's locale and zone. The chart hands numbers
 * (canvas geometry); they are only ever labels here.
 */
export function chartLocalization(format: DisplayFormat): Partial<LocalizationOptions<Time>> {
  return {
    locale: format.locale,
    priceFormatter: (p: number) => format.value(p, 'price'),
    timeFormatter: (t: Time) => format.date(chartDate(t), 'datetime'),
  };
}
