import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import { chooseOne } from '../../common/decorators/validation-messages';

const ROLES = ['user', 'admin'] as const;
const STATUSES = ['pending', 'approved', 'rejected'] as const;

export class RequestRoleChangeDto {
  @ApiProperty({ enum: ROLES, enumName: 'Role', description: '`admin` grants the role, `user` revokes it' })
  @IsIn(ROLES, { message: chooseOne(ROLES) })
  role: (typeof ROLES)[number];
}

/** An account as a role change names it: people read the email and name; the id is for links and hover text. */
export class RoleChangeAccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiPropertyOptional() name?: string;
}

export class AdminRoleChangeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: RoleChangeAccountDto }) user: RoleChangeAccountDto;
  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'The role the account gets once approved' }) role: (typeof ROLES)[number];
  @ApiProperty({ enum: STATUSES, enumName: 'RoleChangeStatus' }) status: (typeof STATUSES)[number];
  @ApiProperty({ type: RoleChangeAccountDto }) requestedBy: RoleChangeAccountDto;
  @ApiProperty({
    type: RoleChangeAccountDto,
    nullable: true,
    description: 'The admin who approved or rejected it; null while pending, and for a change made with the setup token',
  })
  decidedBy: RoleChangeAccountDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class AdminRoleChangeResponseDto {
  @ApiProperty({ type: AdminRoleChangeDto }) change: AdminRoleChangeDto;
}

export class AdminRoleChangePageDto {
  @ApiProperty({ type: [AdminRoleChangeDto] }) items: AdminRoleChangeDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AdminRoleChangeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES, enumName: 'RoleChangeStatus', description: 'Only changes in this state (all when omitted)' })
  @IsOptional()
  @IsIn(STATUSES, { message: chooseOne(STATUSES) })
  status?: (typeof STATUSES)[number];
}
