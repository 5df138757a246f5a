import {
  type Coupon,
  type ItemPromotion,
  type OrderPromotion,
  validateCoupon,
  validateItemPromotion,
  validateOrderPromotion,
} from '@mallard/pricing';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CouponCode } from './coupon-code.entity.js';
import { Promotion } from './promotion.entity.js';

const CACHE_MS = 2_000;

export interface ActivePromotions {
  itemPromotions: ItemPromotion[];
  orderPromotions: OrderPromotion[];
}

/**
 * The promotions in force. Read on every order, changed rarely: kept for two seconds, so a
 * change by staff reaches pricing within that time without a query per order.
 */
@Injectable()
export class PromotionBook {
  private readonly logger = new Logger(PromotionBook.name);
  private cached?: { at: number; value: Promise<ActivePromotions> };

  constructor(private readonly dataSource: DataSource) {}

  active(): Promise<ActivePromotions> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      const value = this.load();
      this.cached = { at: now, value };
      value.catch(() => (this.cached = undefined));
    }
    return this.cached.value;
  }

  async coupon(code: string): Promise<Coupon | undefined> {
    const row = await this.dataSource.getRepository(CouponCode).findOne({ where: { code, active: true } });
    if (!row || !this.usable(`coupon ${code}`, () => validateCoupon(row.rule))) return undefined;
    return row.rule;
  }

  async savePromotion(id: string, rule: ItemPromotion | OrderPromotion, active: boolean): Promise<void> {
    await this.dataSource.getRepository(Promotion).upsert({ id, rule: { ...rule, id }, active }, ['id']);
    this.cached = undefined;
  }

  async saveCoupon(code: string, rule: Coupon, active: boolean): Promise<void> {
    await this.dataSource.getRepository(CouponCode).upsert({ code, rule: { ...rule, code }, active }, ['code']);
  }

  private async load(): Promise<ActivePromotions> {
    const rows = await this.dataSource.getRepository(Promotion).find({ where: { active: true } });
    const rules = rows.map((row) => row.rule);
    const itemPromotions = rules.filter((rule): rule is ItemPromotion => rule.kind.startsWith('ITEM_'));
    const orderPromotions = rules.filter((rule): rule is OrderPromotion => !rule.kind.startsWith('ITEM_'));
    return {
      itemPromotions: itemPromotions.filter((rule) => this.usable(`promotion ${rule.id}`, () => validateItemPromotion(rule))),
      orderPromotions: orderPromotions.filter((rule) => this.usable(`promotion ${rule.id}`, () => validateOrderPromotion(rule))),
    };
  }

  /**
   * A stored rule pricing would refuse (saved before the bounds existed, or edited in the
   * database) is left out rather than applied: otherwise every order in the mall is refused
   * while it is active. Logged at error level, since a promotion staff expect is not running.
   */
  private usable(what: string, validate: () => void): boolean {
    try {
      validate();
      return true;
    } catch (error) {
      this.logger.error(`${what} is invalid and is not applied: ${(error as Error).message}`);
      return false;
    }
  }
}
