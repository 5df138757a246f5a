import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { BILLING_TYPES, type BillingType, COUNTRY_PATTERN, DEFAULT_BILLING_COUNTRY, TAX_ID_SHAPE } from '../billing.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../commerce.js';

/**
 * The body of POST /api/v1/orders, validated by the gateway and again by orders. A nested
 * object is required to be an object (`@IsObject`): `@ValidateNested` alone lets an array
 * through (`receiver: []` validates each of its zero items) and lets a missing one pass.
 */

export class OrderLineRequest {
  @ApiProperty({ example: 'SKU-TEA-001' }) @IsString() @Length(1, 64) skuId: string;
  @ApiProperty({ type: 'integer', example: 2, minimum: 1, maximum: 999 }) @IsInt() @Min(1) @Max(999) quantity: number;
}

export class AddressRequest {
  @ApiProperty({ example: 'CN' }) @Matches(/^[A-Z]{2}$/) country: string;
  @ApiPropertyOptional({ example: 'Jiangsu' }) @IsOptional() @IsString() @Length(1, 64) province?: string;
  @ApiProperty({ example: 'Suzhou' }) @IsString() @Length(1, 64) city: string;
  @ApiPropertyOptional({ example: 'Gusu' }) @IsOptional() @IsString() @Length(1, 64) district?: string;
  @ApiProperty({ example: '8 Garden Lane' }) @IsString() @Length(1, 200) street: string;
  @ApiPropertyOptional({ example: '215000' }) @IsOptional() @IsString() @Length(1, 16) postalCode?: string;
}

/** Who receives the parcel; kept apart from the buyer, who comes from the token. */
export class ReceiverRequest {
  @ApiProperty({ example: 'Han Meimei' }) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ example: '+8613800000000' }) @Matches(/^\+?[0-9 -]{5,20}$/) phone: string;
  @ApiProperty({ type: AddressRequest }) @IsObject() @ValidateNested() @Type(() => AddressRequest) address: AddressRequest;
}

export class DeliverySlotRequest {
  @ApiProperty({ example: '2026-12-01' }) @Matches(/^\d{4}-\d{2}-\d{2}$/) date: string;
  @ApiProperty({ example: '09:00' }) @Matches(/^([01]\d|2[0-3]):[0-5]\d$/) from: string;
  @ApiProperty({ example: '12:00' }) @Matches(/^([01]\d|2[0-3]):[0-5]\d$/) to: string;
}

/**
 * Who the invoice is made out to (docs/domain.md §1). The gateway checks the shape; orders checks
 * the tax id by its country (422 `tax-id-invalid`).
 */
export class BillingDetailsRequest {
  @ApiProperty({ enum: BILLING_TYPES, description: 'A person, or a company (which must give its tax id)' })
  @IsIn(BILLING_TYPES)
  type: BillingType;

  @ApiProperty({
    example: 'Hangzhou Longjing Teahouse Co., Ltd.',
    minLength: 1,
    maxLength: 100,
    description: 'The person’s or the company’s name',
  })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'title must not be blank' })
  title: string;

  @ApiPropertyOptional({
    example: '91350100M000100Y43',
    pattern: TAX_ID_SHAPE.source,
    description:
      'Required for COMPANY, optional for PERSONAL; capitals, digits and inner hyphens, no spaces. Checked by `country`: a Chinese Unified Social Credit Code by its check character, others by the format orders is configured with (TAX_ID_FORMATS)',
  })
  @ValidateIf((billing: BillingDetailsRequest) => billing.type === 'COMPANY' || billing.taxId !== undefined)
  @IsString()
  @Matches(TAX_ID_SHAPE)
  taxId?: string;

  @ApiPropertyOptional({
    example: 'CN',
    pattern: COUNTRY_PATTERN.source,
    default: DEFAULT_BILLING_COUNTRY,
    description: 'The tax id’s country, ISO 3166-1 alpha-2',
  })
  @IsOptional()
  @Matches(COUNTRY_PATTERN)
  country?: string;

  @ApiProperty({
    format: 'email',
    maxLength: 254,
    example: 'invoices@longjing.example',
    description: 'Where the electronic invoice is sent',
  })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email: string;
}

export class PlaceOrderRequest {
  @ApiProperty({ type: [OrderLineRequest] })
  @IsArray()
  @IsObject({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineRequest)
  lines: OrderLineRequest[];

  @ApiProperty({ type: ReceiverRequest }) @IsObject() @ValidateNested() @Type(() => ReceiverRequest) receiver: ReceiverRequest;

  @ApiPropertyOptional({ type: DeliverySlotRequest })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DeliverySlotRequest)
  deliverySlot?: DeliverySlotRequest;

  @ApiProperty({ enum: PAYMENT_METHODS }) @IsIn(PAYMENT_METHODS) paymentMethod: PaymentMethod;

  @ApiPropertyOptional({ example: 'WELCOME10' }) @IsOptional() @IsString() @Length(1, 40) couponCode?: string;

  @ApiPropertyOptional({ type: BillingDetailsRequest, description: 'Who the invoice is made out to; kept apart from the receiver' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BillingDetailsRequest)
  billing?: BillingDetailsRequest;
}
