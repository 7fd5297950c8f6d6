import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { chooseOne, wholeNumberBetween } from '../../common/decorators/validation-messages';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import { ALERT_CONDITIONS, ALERT_KINDS, conditionsOf, MAX_COOLDOWN_SECONDS, type AlertCondition, type AlertKind } from '../alert-rules';

const bool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);
const TARGET = {
  min: '0',
  exclusiveMin: true,
  max: '1000000000000',
  maxScale: 8,
  example: '70000',
  label: 'a target price',
  description: 'USD price; a price alert (kind price) needs it, an alert on a 24 h move has none',
};
const MOVE = {
  min: '0',
  exclusiveMin: true,
  max: '1000',
  maxScale: 2,
  example: '5',
  label: 'a move in percent',
  description: 'The 24 h change in percent that fires it, up or down by this much (5 is 5 %); an alert on a 24 h move (kind move) needs it',
};
const COOLDOWN = { message: wholeNumberBetween('a cooldown in seconds', 1, MAX_COOLDOWN_SECONDS) };
const CONDITIONS_IN_WORDS =
  'above or below a target price (kind price), up or down by a percentage in 24 h (kind move); fires when the price, or the 24 h change, reaches it';

/** The kind a create request asks for (price unless it says move; a wrong kind is told on its own field). */
const kindOf = (o: object): AlertKind => ((o as { kind?: unknown }).kind === 'move' ? 'move' : 'price');

/** A condition of the alert's kind: `above`/`below` for a price alert, `up`/`down` for an alert on a 24 h move. */
function IsConditionOfKind(): PropertyDecorator {
  return ValidateBy({
    name: 'isConditionOfKind',
    validator: {
      validate: (value: unknown, args?: ValidationArguments): boolean => conditionsOf(kindOf(args?.object ?? {})).includes(value as AlertCondition),
      defaultMessage: (args?: ValidationArguments): string => chooseOne(conditionsOf(kindOf(args?.object ?? {}))),
    },
  });
}

export class CreateAlertDto {
  @IsTicker({ description: 'Ticker of a listed asset' })
  symbol: string;

  @ApiPropertyOptional({
    enum: ALERT_KINDS,
    enumName: 'AlertKind',
    default: 'price',
    description: 'price: fires at a target price; move: fires when the 24 h change reaches a percentage, up or down',
  })
  @IsOptional()
  @IsIn(ALERT_KINDS, { message: chooseOne(ALERT_KINDS) })
  kind?: AlertKind;

  @ApiProperty({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition', description: `The alert's condition: ${CONDITIONS_IN_WORDS}` })
  @IsConditionOfKind()
  condition: AlertCondition;

  @ApiPropertyOptional()
  @ValidateIf((o: CreateAlertDto) => kindOf(o) === 'price' || o.targetPrice !== undefined)
  @IsDecimalString(TARGET)
  targetPrice?: string;

  @ApiPropertyOptional()
  @ValidateIf((o: CreateAlertDto) => kindOf(o) === 'move' || o.movePct !== undefined)
  @IsDecimalString(MOVE)
  movePct?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_COOLDOWN_SECONDS,
    nullable: true,
    description:
      'Repeat: after firing, the alert stays armed and may fire again once this many seconds have passed (at least ALERT_MIN_COOLDOWN_SECONDS, 3600 by default; at most 30 days). Left out or null: it fires once',
  })
  @IsOptional()
  @IsInt(COOLDOWN)
  @Min(1, COOLDOWN)
  @Max(MAX_COOLDOWN_SECONDS, COOLDOWN)
  cooldownSeconds?: number | null;

  @ApiPropertyOptional({ default: false, description: 'Also email the user when it fires' })
  @IsOptional()
  @IsBoolean({ message: 'Choose true or false for email notifications' })
  notifyEmail?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Let the client show a system (push) notification when it fires' })
  @IsOptional()
  @IsBoolean({ message: 'Choose true or false for push notifications' })
  notifyPush?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'An alert the current quote already reaches would fire at once: it is refused with 409 ALERT_ALREADY_CROSSED (the message says the current price) unless this is true',
  })
  @IsOptional()
  @IsBoolean({ message: 'Choose true or false to confirm an alert that fires at once' })
  confirmCrossed?: boolean;
}

export class UpdateAlertDto {
  @ApiPropertyOptional({
    enum: ALERT_CONDITIONS,
    enumName: 'AlertCondition',
    description: "One of the alert's kind: above or below (price), up or down (move)",
  })
  @IsOptional()
  @IsIn(ALERT_CONDITIONS, { message: chooseOne(ALERT_CONDITIONS) })
  condition?: AlertCondition;

  @IsDecimalString({ ...TARGET, optional: true })
  targetPrice?: string;

  @IsDecimalString({ ...MOVE, optional: true })
  movePct?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_COOLDOWN_SECONDS,
    nullable: true,
    description: 'Seconds before a repeating alert may fire again (see CreateAlertDto); null makes it fire once',
  })
  @IsOptional()
  @IsInt(COOLDOWN)
  @Min(1, COOLDOWN)
  @Max(MAX_COOLDOWN_SECONDS, COOLDOWN)
  cooldownSeconds?: number | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'Choose true or false for email notifications' })
  notifyEmail?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'Choose true or false for push notifications' })
  notifyPush?: boolean;

  @ApiPropertyOptional({ description: 'true re-arms a fired or paused alert; false pauses it' })
  @IsOptional()
  @IsBoolean({ message: 'Choose true (armed) or false (paused)' })
  active?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Re-arming or moving an alert the current quote already reaches is refused with 409 ALERT_ALREADY_CROSSED unless this is true',
  })
  @IsOptional()
  @IsBoolean({ message: 'Choose true or false to confirm an alert that fires at once' })
  confirmCrossed?: boolean;
}

export class AlertListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only armed (true) or only fired/paused (false) alerts' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean({ message: 'Choose true (armed alerts) or false (fired or paused ones)' })
  active?: boolean;

  @IsTicker({ optional: true })
  symbol?: string;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'BTC' })
  symbol: string;

  @ApiProperty({ enum: ALERT_KINDS, enumName: 'AlertKind' })
  kind: AlertKind;

  @ApiProperty({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition' })
  condition: AlertCondition;

  @ApiProperty({ type: String, nullable: true, example: '70000.00000000', description: 'USD, decimal string; null for an alert on a 24 h move' })
  targetPrice: string | null;

  @ApiProperty({ type: String, nullable: true, example: '5.00', description: 'The 24 h change in percent of an alert on a 24 h move; null for a price alert' })
  movePct: string | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 3600, description: 'Repeating: seconds between firings; null: fires once' })
  cooldownSeconds: number | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'A repeating alert that fired is armed again from then (it fires at the first tick after it that reaches it)',
  })
  rearmAt: string | null;

  @ApiProperty()
  notifyEmail: boolean;

  @ApiProperty()
  notifyPush: boolean;

  @ApiProperty({ description: 'Armed: fires when a tick reaches it (once, or once per cooldown when repeating)' })
  active: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it last fired' })
  triggeredAt: string | null;

  @ApiProperty({ type: String, nullable: true, example: '70012.34000000', description: 'The price that fired it last' })
  triggeredPrice: string | null;

  @ApiProperty({ type: String, nullable: true, example: '5.1234', description: 'The 24 h change in percent when it last fired' })
  triggeredChange: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class AlertListDto {
  @ApiProperty({ type: [AlertDto] })
  items: AlertDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
