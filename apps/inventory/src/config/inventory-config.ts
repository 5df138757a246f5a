import { ServiceConfig } from '@mallard/platform';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';

/** 'true'/'1' and 'false'/'0'; anything else stays as given and fails validation. */
const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};

/** The inventory service's settings on top of every service's. */
export class InventoryConfig extends ServiceConfig {
  /** How long a reserve-on-order hold lasts before the hold-expiry worker releases it (docs/domain.md §1: 24 h). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(30 * 24 * 3600)
  STOCK_HOLD_TTL_SECONDS: number = 86_400;

  /**
   * The hold of an order holding any SKU marked scarce lasts this long instead (never longer
   * than STOCK_HOLD_TTL_SECONDS): scarce stock goes back on sale if its buyer does not pay.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(30 * 24 * 3600)
  SCARCE_HOLD_TTL_SECONDS: number = 900;

  /** How often the hold-expiry worker looks for expired holds. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(3_600_000)
  HOLD_SWEEP_INTERVAL_MS: number = 1_000;

  /** Orders released per hold-expiry worker transaction. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  HOLD_SWEEP_BATCH_SIZE: number = 100;

  /**
   * A hold still HELD this long after it expired counts as stuck work (`hold_past_expiry`): the
   * hold-expiry worker should have released it. Never less than two of its runs.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_080)
  STUCK_EXPIRED_HOLD_MINUTES: number = 5;

  /**
   * The tax rate (basis points, 1300 = 13 %) of the SKUs whose merchant keeps no default rate and
   * that have none of their own. 1300 is China's standard VAT on goods, the demo market's. Read
   * when a SKU is published: changing it does not republish SKUs already published, so set it
   * before the catalog is filled, or give merchants their own default.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  DEFAULT_TAX_RATE_BASIS_POINTS: number = 1_300;

  /** Load the demo mall (merchants, warehouses, SKUs, stock) at start; idempotent. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'SEED_DEMO_DATA must be true or false' })
  SEED_DEMO_DATA: boolean = false;
}
