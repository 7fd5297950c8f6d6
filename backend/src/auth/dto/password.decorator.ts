import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, registerDecorator, ValidationArguments } from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '../password-policy';

/** A new password: validated by the policy and documented in OpenAPI from the same rule. */
export function IsNewPassword(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      minLength: PASSWORD_MIN,
      maxLength: PASSWORD_MAX,
      format: 'password',
      description: `${PASSWORD_MIN}–${PASSWORD_MAX} characters with at least one letter and one digit; common passwords are refused`,
      example: 'Tangerine-Kayak-42',
    }),
    IsString({ message: 'Enter a password' }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isNewPassword',
        target: target.constructor,
        propertyName: String(propertyName),
        validator: {
          validate: (value: unknown) => typeof value === 'string' && passwordProblem(value) === null,
          defaultMessage: (args: ValidationArguments) => (typeof args.value === 'string' ? (passwordProblem(args.value) ?? '') : 'Enter a password'),
        },
      }),
  );
}
