import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { chooseOne } from '../../common/decorators/validation-messages';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import { ALERT_CONDITIONS, type AlertCondition } from '../alert-rules';

const bool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);
const TARGET = { min: '0', exclusiveMin: true, max: '1000000000000', maxScale: 8, example: '70000', label: 'a target price', description: 'USD price' };

export class CreateAlertDto {
  @IsTicker({ description: 'Ticker of a listed asset' })
  symbol: string;

  @ApiProperty({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition', description: 'Fires when the price goes above or below the target' })
  @IsIn(ALERT_CONDITIONS, { message: chooseOne(ALERT_CONDITIONS) })
  condition: AlertCondition;

  @IsDecimalString(TARGET)
  targetPrice: string;

  @ApiPropertyOptional({ default: false, description: 'Also email the user when it fires' })
  @IsOptional()
  @IsBoolean({ message: 'Choose true or false for email notifications' })
  notifyEmail?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Let the client show a system (push) notification when it fires' })
  @IsOptional()
  @IsBoolean({ message: 'Choose true or false for push notifications' })
  notifyPush?: boolean;
}

export class UpdateAlertDto {
  @ApiPropertyOptional({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition' })
  @IsOptional()
  @IsIn(ALERT_CONDITIONS, { message: chooseOne(ALERT_CONDITIONS) })
  condition?: AlertCondition;

  @IsDecimalString({ ...TARGET, optional: true })
  targetPrice?: string;

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

  @ApiProperty({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition' })
  condition: AlertCondition;

  @ApiProperty({ example: '70000.00000000', description: 'USD, decimal string' })
  targetPrice: string;

  @ApiProperty()
  notifyEmail: boolean;

  @ApiProperty()
  notifyPush: boolean;

  @ApiProperty({ description: 'Armed: fires once when a tick reaches the target' })
  active: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  triggeredAt: string | null;

  @ApiProperty({ type: String, nullable: true, example: '70012.34000000', description: 'The price that fired it' })
  triggeredPrice: string | null;

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
