import { CATALOG_ID_PATTERN, compileTaxIdFormats, type TaxIdFormats } from '@mallard/contracts';
import { ServiceConfig } from '@mallard/platform';
import type { ShippingRule } from '@mallard/pricing';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min, ValidateBy } from 'class-validator';

export const SHIPPING_FEE_SPLITS = ['FIRST_SUB_ORDER', 'SPREAD_EVENLY'] as const;
export type ShippingFeeSplit = (typeof SHIPPING_FEE_SPLITS)[number];

/**
 * Tax id formats of the countries without a rule in code (China's is its check character):
 * VAT numbers of Germany and the United Kingdom (standard, government departments, health
 * authorities), and the United States' EIN with or without its hyphen.
 */
export const DEFAULT_TAX_ID_FORMATS: Readonly<Record<string, string>> = {
  DE: 'DE[0-9]{9}',
  GB: 'GB(?:[0-9]{9}|[0-9]{12}|GD[0-4][0-9]{2}|HA[5-9][0-9]{2})',
  US: '[0-9]{2}-?[0-9]{7}',
};

/** JSON text as its value; text that is not JSON is left as it is, for the validator to name the setting. */
const parseJson = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

/** Why a TAX_ID_FORMATS value cannot be used, or null. */
function taxIdFormatsFault(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  try {
    compileTaxIdFormats(value as Record<string, unknown>);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const IsTaxIdFormats = () =>
  ValidateBy({
    name: 'isTaxIdFormats',
    validator: {
      validate: (value) => taxIdFormatsFault(value) === null,
      defaultMessage: (args) =>
        `TAX_ID_FORMATS must be a JSON object of country code → regular expression: ${taxIdFormatsFault(args?.value)}`,
    },
  });

const IsIssuerMap = () =>
  ValidateBy({
    name: 'isIssuerMap',
    validator: {
      validate: (value) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((issuer) => typeof issuer === 'string' && CATALOG_ID_PATTERN.test(issuer)),
      defaultMessage: () =>
        'INVOICE_ISSUERS must be a JSON object of merchant id → issuer id (ids as merchants have: URL-safe, up to 100 characters)',
    },
  });

export class OrdersConfig extends ServiceConfig {
  /** An unpaid order is closed this long after it was placed. */
  @Type(() => Number) @IsInt() @Min(1) PAYMENT_WINDOW_SECONDS: number = 86_400;

  /** How often unpaid orders are checked for their window. */
  @Type(() => Number) @IsInt() @Min(50) @Max(600_000) PAYMENT_WINDOW_SWEEP_MS: number = 1_000;

  /** Orders one sweep transaction reads (and closes); a full batch is followed at once by another. */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000) PAYMENT_WINDOW_SWEEP_BATCH_SIZE: number = 100;

  /** Flat shipping fee of an order, in minor units. */
  @Type(() => Number) @IsInt() @Min(0) SHIPPING_FEE_MINOR: number = 1_000;

  /** Merchandise total (after discounts) from which shipping is free; 0 = never free. */
  @Type(() => Number) @IsInt() @Min(0) FREE_SHIPPING_FROM_MINOR: number = 9_900;

  /** How a split order's shipping fee lands on its sub-orders. */
  @IsIn(SHIPPING_FEE_SPLITS) SHIPPING_FEE_SPLIT: ShippingFeeSplit = 'FIRST_SUB_ORDER';

  @Type(() => Number) @IsInt() @Min(1) @Max(200) MAX_LINES_PER_ORDER: number = 50;

  /** Orders one buyer may have unpaid (PLACED or AWAITING_PAYMENT) at once; 0 = no cap. */
  @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) MAX_UNPAID_ORDERS_PER_BUYER: number = 10;

  /** Units of reserve-on-order lines (held by inventory) one buyer may have in unpaid orders at once; 0 = no cap. */
  @Type(() => Number) @IsInt() @Min(0) @Max(100_000_000) MAX_HELD_UNITS_PER_BUYER: number = 1_000;

  /**
   * How long an Idempotency-Key of a placement is remembered; a retry after that places a new
   * order. Clients retry within minutes, so two days leave ample room.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(24 * 365) PLACEMENT_REQUEST_RETENTION_HOURS: number = 48;

  /** How often expired placement requests are purged. */
  @Type(() => Number) @IsInt() @Min(50) @Max(86_400_000) PLACEMENT_REQUEST_PURGE_INTERVAL_MS: number = 60_000;

  /** Rows deleted per purge statement, so a purge never holds long locks or a long transaction. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100_000) PLACEMENT_REQUEST_PURGE_BATCH_SIZE: number = 1_000;

  /**
   * Billing tax ids accepted by country, as JSON: {"DE": "DE[0-9]{9}"}, each pattern matched
   * against the whole id. A value replaces the defaults, so list every country to accept. China
   * is checked by its own rule and cannot be listed; a country not listed is refused.
   */
  @Transform(parseJson) @IsTaxIdFormats() TAX_ID_FORMATS: Record<string, string> = { ...DEFAULT_TAX_ID_FORMATS };

  /**
   * Who issues the invoices of a merchant's sub-orders, as JSON: {"merchant-7": "mall-operator"}.
   * Each issuer numbers its invoices and credit notes in one gap-free sequence; a merchant not
   * listed issues its own (its id is the issuer's).
   */
  @Transform(parseJson) @IsIssuerMap() INVOICE_ISSUERS: Record<string, string> = {};

  /** The tax rate, in basis points, of a line placed before orders kept rates (its SKU had none then). */
  @Type(() => Number) @IsInt() @Min(0) @Max(10_000) INVOICE_FALLBACK_TAX_RATE_BASIS_POINTS: number = 1_300;

  /**
   * An unpaid order still open this long after its payment window ended counts as stuck work
   * (`order_unpaid_past_window`): the sweep should have closed it. Never less than two sweeps.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_080) STUCK_UNPAID_ORDER_MINUTES: number = 5;

  /** A paid order not split this long after its payment counts as stuck work (`order_paid_not_split`). */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_080) STUCK_PAID_ORDER_MINUTES: number = 10;

  #taxIdFormats: TaxIdFormats | undefined;

  /** TAX_ID_FORMATS compiled once. */
  get taxIdFormats(): TaxIdFormats {
    this.#taxIdFormats ??= compileTaxIdFormats(this.TAX_ID_FORMATS);
    return this.#taxIdFormats;
  }
}

/** The shipping rule these settings make (docs/domain.md §2): a flat fee, waived from a merchandise total unless that is 0. */
export function shippingRuleOf(config: Pick<OrdersConfig, 'SHIPPING_FEE_MINOR' | 'FREE_SHIPPING_FROM_MINOR'>): ShippingRule {
  return {
    flatFeeMinor: config.SHIPPING_FEE_MINOR,
    ...(config.FREE_SHIPPING_FROM_MINOR > 0 ? { freeFromMinor: config.FREE_SHIPPING_FROM_MINOR } : {}),
  };
}
