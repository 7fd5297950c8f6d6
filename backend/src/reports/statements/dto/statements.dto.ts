import { ApiProperty } from '@nestjs/swagger';

/** One month a statement can be downloaded for. */
export class StatementMonthDto {
  @ApiProperty({ example: '2026-06', description: 'The calendar month (UTC), `YYYY-MM`: the path parameter of the downloads' })
  month: string;

  @ApiProperty({ example: '2026-06-01T00:00:00.000Z', description: 'The month’s first instant (UTC)' })
  from: string;

  @ApiProperty({ example: '2026-07-01T00:00:00.000Z', description: 'The first instant after the month (exclusive)' })
  to: string;

  @ApiProperty({ description: 'Whether the month is over; false for the current month, whose statement runs to the moment it is made' })
  complete: boolean;
}

export class StatementMonthsDto {
  @ApiProperty({ type: [StatementMonthDto], description: 'Newest first: from the month of the account’s first ledger entry (or this month) to this month' })
  items: StatementMonthDto[];

  @ApiProperty({ example: 'UTC', description: 'The time zone the months and the statements’ times are in' })
  timeZone: string;
}
