import {
  CURRENCY_PATTERN,
  CustomerServiceContactRequest,
  FULFILMENT_TYPES,
  type FulfilmentType,
  STOCK_POLICIES,
  type StockPolicy,
} from '@mallard/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** Ids of merchants, warehouses and SKUs: chosen by the caller, URL-safe, at most 100 characters. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const ID_MESSAGE = { message: '$property must be 1-100 characters of letters, digits, ".", "_", ":" or "-"' };
/** 10^12 minor units: far above any real price, and far enough below 2^53 that price × quantity stays exact. */
const MAX_PRICE_MINOR = 1_000_000_000_000;
const MAX_LIMIT = 1_000_000;
/** Tax rates are basis points: 10 000 is 100 %. */
const MAX_TAX_RATE = 10_000;

// Names and reasons need no check of their own for text PostgreSQL cannot store (NUL, lone
// surrogates): installHttpHooks (libs/platform, input-safety) refuses such a request before any DTO.

/** A present value must be valid; absent (undefined) leaves the field as it is; null is refused. */
const IfPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

export class IdParam {
  @Matches(ID_PATTERN, ID_MESSAGE)
  id: string;
}

/** A whole merchant: an absent (or null, or empty) customer-service contact is none. */
export class PutMerchantDto {
  @IsString() @Length(1, 200) name: string;
  @IsIn(STOCK_POLICIES) defaultStockPolicy: StockPolicy;
  /** The contact's rules are the gateway's, word for word (libs/contracts). */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerServiceContactRequest)
  customerService?: CustomerServiceContactRequest | null;
  /** null or absent: the service's DEFAULT_TAX_RATE_BASIS_POINTS. */
  @IsOptional() @IsInt() @Min(0) @Max(MAX_TAX_RATE) defaultTaxRateBasisPoints?: number | null;
}

export class PutWarehouseDto {
  @IsString() @Length(1, 200) name: string;
  /** Absent or null: a warehouse the mall operates. Required for DROP_SHIP. */
  @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE) merchantId?: string | null;
  @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
}

/** A whole SKU: absent optional fields are reset (no own policy, no limit, not scarce, no own tax rate). */
export class PutSkuDto {
  @Matches(ID_PATTERN, ID_MESSAGE) merchantId: string;
  @IsString() @Length(1, 200) name: string;
  @IsInt() @Min(0) @Max(MAX_PRICE_MINOR) priceMinor: number;
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code such as EUR' }) currency: string;
  @IsBoolean() onShelf: boolean;
  @IsIn(FULFILMENT_TYPES) fulfilmentType: FulfilmentType;
  /** null or absent: the merchant's default. */
  @IsOptional() @IsIn(STOCK_POLICIES) stockPolicy?: StockPolicy | null;
  @IsOptional() @IsBoolean() scarce?: boolean;
  /** null or absent: no limit. */
  @IsOptional() @IsInt() @Min(1) @Max(MAX_LIMIT) purchaseLimit?: number | null;
  /** null or absent: the merchant's default. */
  @IsOptional() @IsInt() @Min(0) @Max(MAX_TAX_RATE) taxRateBasisPoints?: number | null;
}

/** Some fields of a SKU; absent ones are kept. stockPolicy, purchaseLimit and taxRateBasisPoints accept null (clear). */
export class PatchSkuDto {
  @IfPresent() @IsString() @Length(1, 200) name?: string;
  @IfPresent() @IsInt() @Min(0) @Max(MAX_PRICE_MINOR) priceMinor?: number;
  @IfPresent() @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code such as EUR' }) currency?: string;
  @IfPresent() @IsBoolean() onShelf?: boolean;
  @IfPresent() @IsIn(FULFILMENT_TYPES) fulfilmentType?: FulfilmentType;
  @IsOptional() @IsIn(STOCK_POLICIES) stockPolicy?: StockPolicy | null;
  @IfPresent() @IsBoolean() scarce?: boolean;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_LIMIT) purchaseLimit?: number | null;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_TAX_RATE) taxRateBasisPoints?: number | null;
}

/** `?ids=a,b,c` (or `?ids=a&ids=b`). */
export class SkuIdsQuery {
  @Transform(({ value }) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((part: unknown) => (typeof part === 'string' ? part.split(',') : [part]))
      .map((part: unknown) => (typeof part === 'string' ? part.trim() : part))
      .filter((part: unknown) => part !== ''),
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(ID_PATTERN, { each: true, ...ID_MESSAGE })
  ids: string[];
}
