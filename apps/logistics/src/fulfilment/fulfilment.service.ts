import type {
  AnswerInterceptionRequest,
  HandOverParcelRequest,
  PackSubOrderRequest,
  ParcelSource,
  ReportShipmentRequest,
  SubOrderState,
} from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { InterceptionService } from '../interception/interception.service.js';
import { Parcel } from '../parcels/parcel.entity.js';
import { isHandedOver } from '../parcels/parcel-machine.js';
import { ParcelsService } from '../parcels/parcels.service.js';
import type { SubOrder } from '../sub-orders/sub-order.entity.js';
import { type SubOrderActor, SubOrdersService } from '../sub-orders/sub-orders.service.js';
import { TrackingService } from '../tracking/tracking.service.js';
import { lockTrackingNumber } from '../tracking/tracking-lock.js';
import { TrackingRegistrations } from '../tracking-registration/tracking-registration.service.js';
import { fulfilmentProblems } from './fulfilment.problems.js';
import { FulfilmentQueries } from './fulfilment.queries.js';
import { type LineUnits, parcelContentProblems, shipmentCoverage } from './parcel-contents.js';
import type { WarehouseSubOrderView } from './warehouse-sub-order.view.js';

/** Where a sub-order may take parcels someone else handed to carriers. */
const SHIPPABLE: ReadonlySet<SubOrderState> = new Set(['AWAITING_PICK', 'PACKED', 'PARTIALLY_SHIPPED']);

/** The warehouses a staff member is limited to; undefined: not limited. */
export type WarehouseScope = readonly string[] | undefined;

/**
 * The steps staff and merchants take with a sub-order: pick, pack into parcels, hand each to a
 * carrier, or (a merchant) report what it shipped. Each is one transaction that locks the
 * sub-order first and its parcels second, the one lock order of logistics (docs/logistics.md),
 * and answers the sub-order as it then is. A step already taken answers the same, so a retried
 * click changes nothing.
 */
@Injectable()
export class FulfilmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subOrders: SubOrdersService,
    private readonly parcels: ParcelsService,
    private readonly queries: FulfilmentQueries,
    private readonly tracking: TrackingService,
    private readonly interception: InterceptionService,
    private readonly registrations: TrackingRegistrations,
  ) {}

  pick(subOrderId: string, actor: SubOrderActor, scope: WarehouseScope): Promise<WarehouseSubOrderView> {
    return this.step(subOrderId, scope, async (manager, subOrder) => {
      if (subOrder.state === 'PICKING') return;
      await this.moveOrRefuse(manager, subOrder, 'PICKING', actor, 'pick');
    });
  }

  pack(subOrderId: string, actor: SubOrderActor, request: PackSubOrderRequest, scope: WarehouseScope): Promise<WarehouseSubOrderView> {
    return this.step(subOrderId, scope, async (manager, subOrder) => {
      if (subOrder.state === 'PACKED') return;
      if (subOrder.state !== 'PICKING' || subOrder.fulfilmentType !== 'SELF_OPERATED') {
        throw fulfilmentProblems.stepRefused(subOrder.id, subOrder.state, 'be packed');
      }
      const items = await this.subOrders.linesOf(manager, subOrder.id);
      const problems = parcelContentProblems(
        items,
        [],
        request.parcels.map((parcel) => parcel.lines),
        { everyUnit: true },
      );
      if (problems.length > 0) throw fulfilmentProblems.parcelContentsInvalid(problems);
      const skuOf = new Map(items.map((item) => [item.lineId, item.skuId]));
      const now = new Date();
      await this.parcels.create(
        manager,
        subOrder,
        request.parcels.map((parcel) => ({
          state: 'PACKED',
          source: 'STAFF',
          occurredAt: now,
          lines: parcel.lines.map((line) => ({ lineId: line.lineId, skuId: skuOf.get(line.lineId)!, quantity: line.quantity })),
        })),
      );
      await this.moveOrRefuse(manager, subOrder, 'PACKED', actor, 'be packed');
    });
  }

  /** A carrier took a packed parcel: it is PICKED_UP with its tracking number, and the sub-order shipped as far as its parcels are. */
  async handOver(
    parcelId: string,
    actor: SubOrderActor,
    request: HandOverParcelRequest,
    scope: WarehouseScope,
  ): Promise<WarehouseSubOrderView> {
    const parcel = await this.dataSource.manager.findOne(Parcel, { where: { id: parcelId } });
    if (!parcel) throw fulfilmentProblems.parcelNotFound(parcelId);
    return this.step(
      parcel.subOrderId,
      scope,
      async (manager, subOrder) => {
        const parcels = await this.parcels.lockOf(manager, subOrder.id);
        const locked = parcels.find((candidate) => candidate.id === parcelId)!;
        const outcome = await this.handOverLocked(manager, locked, request, 'STAFF');
        if (outcome === 'already') return;
        if (outcome === 'refused') throw fulfilmentProblems.stepRefused(subOrder.id, subOrder.state, 'hand this parcel over');
        await this.followParcels(manager, subOrder, parcels, actor);
      },
      [request.trackingNumber],
    );
  }

  /**
   * A merchant's (drop-ship) report of parcels it handed to carriers, all or some of the
   * sub-order. Parcels it reported before (same carrier and tracking number) are not made again.
   */
  reportShipment(
    subOrderId: string,
    actor: SubOrderActor,
    request: ReportShipmentRequest,
    scope: WarehouseScope,
  ): Promise<WarehouseSubOrderView> {
    return this.step(
      subOrderId,
      scope,
      async (manager, subOrder) => {
        if (subOrder.fulfilmentType !== 'DROP_SHIP')
          throw fulfilmentProblems.stepRefused(subOrder.id, subOrder.state, 'take a merchant’s shipment');
        await this.takeShipment(manager, subOrder, actor, 'MERCHANT', request.parcels);
      },
      request.parcels.map((parcel) => parcel.trackingNumber),
    );
  }

  /** A drop-ship merchant's answer to a shopper's request to stop: stopped, or already shipped. */
  answerInterception(
    subOrderId: string,
    actor: SubOrderActor,
    request: AnswerInterceptionRequest,
    scope: WarehouseScope,
  ): Promise<WarehouseSubOrderView> {
    return this.step(subOrderId, scope, async (manager, subOrder) => {
      const outcome = await this.interception.merchantAnswered(manager, subOrder, request.stopped, actor);
      if (outcome === 'refused') throw fulfilmentProblems.stepRefused(subOrder.id, subOrder.state, 'answer a request to stop it');
    });
  }

  /**
   * Parcels someone else packed and handed to carriers (a merchant, the platform, our warehouse
   * system): those not known yet (by carrier and tracking number) are made PICKED_UP, and the
   * sub-order ships as far as its parcels go. The caller locked the tracking numbers and the
   * sub-order; answers the sub-order's parcels, old and new.
   */
  async takeShipment(
    manager: EntityManager,
    subOrder: SubOrder,
    actor: SubOrderActor,
    source: ParcelSource,
    reported: readonly { carrierCode: string; trackingNumber: string; lines: readonly LineUnits[] }[],
  ): Promise<Parcel[]> {
    const parcels = await this.parcels.lockOf(manager, subOrder.id);
    const known = new Set(parcels.map((parcel) => `${parcel.carrierCode} ${parcel.trackingNumber}`));
    const fresh = reported.filter((parcel) => !known.has(`${parcel.carrierCode} ${parcel.trackingNumber}`));
    if (fresh.length === 0) return parcels;
    if (!SHIPPABLE.has(subOrder.state)) throw fulfilmentProblems.stepRefused(subOrder.id, subOrder.state, 'take a shipment');
    const items = await this.subOrders.linesOf(manager, subOrder.id);
    const existing = await this.parcels.linesOf(
      manager,
      parcels.map((parcel) => parcel.id),
    );
    const problems = parcelContentProblems(
      items,
      parcels.map((parcel) => existing.filter((line) => line.parcelId === parcel.id)),
      fresh.map((parcel) => parcel.lines),
      { everyUnit: false },
    );
    if (problems.length > 0) throw fulfilmentProblems.parcelContentsInvalid(problems);
    const skuOf = new Map(items.map((item) => [item.lineId, item.skuId]));
    const now = new Date();
    const made = await this.withTrackingNumber(() =>
      this.parcels.create(
        manager,
        subOrder,
        fresh.map((parcel) => ({
          state: 'PICKED_UP',
          source,
          occurredAt: now,
          carrierCode: parcel.carrierCode,
          trackingNumber: parcel.trackingNumber,
          lines: parcel.lines.map((line) => ({ lineId: line.lineId, skuId: skuOf.get(line.lineId)!, quantity: line.quantity })),
        })),
      ),
    );
    for (const parcel of made) {
      await this.tracking.applyParked(manager, parcel);
      await this.registrations.enqueue(manager, parcel);
    }
    await this.followParcels(manager, subOrder, [...parcels, ...made], actor);
    return [...parcels, ...made];
  }

  /**
   * Gives a packed parcel its carrier and tracking number (PICKED_UP), applies what carriers said
   * of that number before, and queues its registration. `already` when it was handed over with
   * this label; throws when with another. The caller locked the number and the sub-order.
   */
  async handOverLocked(
    manager: EntityManager,
    parcel: Parcel,
    label: HandOverParcelRequest,
    source: ParcelSource,
  ): Promise<'handed-over' | 'already' | 'refused'> {
    if (isHandedOver(parcel.state)) {
      if (parcel.carrierCode === label.carrierCode && parcel.trackingNumber === label.trackingNumber) return 'already';
      throw fulfilmentProblems.parcelAlreadyHandedOver(parcel.carrierCode, parcel.trackingNumber);
    }
    const moved = await this.withTrackingNumber(() =>
      this.parcels.move(manager, parcel, {
        to: 'PICKED_UP',
        source,
        occurredAt: new Date(),
        carrier: { carrierCode: label.carrierCode, trackingNumber: label.trackingNumber },
      }),
    );
    if (!moved) return 'refused';
    await this.tracking.applyParked(manager, parcel);
    await this.registrations.enqueue(manager, parcel);
    return 'handed-over';
  }

  /** PARTIALLY_SHIPPED or SHIPPED as the units handed to carriers say. */
  async followParcels(manager: EntityManager, subOrder: SubOrder, parcels: Parcel[], actor: SubOrderActor): Promise<void> {
    const items = await this.subOrders.linesOf(manager, subOrder.id);
    const handed = parcels.filter((parcel) => isHandedOver(parcel.state));
    const lines = await this.parcels.linesOf(
      manager,
      handed.map((parcel) => parcel.id),
    );
    const coverage = shipmentCoverage(
      items,
      handed.map((parcel) => lines.filter((line) => line.parcelId === parcel.id)),
    );
    const target: SubOrderState | undefined = coverage === 'ALL' ? 'SHIPPED' : coverage === 'SOME' ? 'PARTIALLY_SHIPPED' : undefined;
    if (target) await this.moveOrRefuse(manager, subOrder, target, actor, 'ship');
  }

  private async moveOrRefuse(
    manager: EntityManager,
    subOrder: SubOrder,
    to: SubOrderState,
    actor: SubOrderActor,
    step: string,
  ): Promise<void> {
    const from = subOrder.state;
    const outcome = await this.subOrders.move(manager, subOrder, to, actor, null);
    if (outcome.outcome === 'refused') throw fulfilmentProblems.stepRefused(subOrder.id, from, step);
  }

  /**
   * Runs one step on the locked sub-order, then answers the sub-order as the step left it. The
   * tracking numbers the step gives parcels are locked first, in one order, as a carrier's report
   * for them locks them (docs/logistics.md, "Locks").
   */
  private async step(
    subOrderId: string,
    scope: WarehouseScope,
    work: (manager: EntityManager, subOrder: SubOrder) => Promise<void>,
    trackingNumbers: readonly string[] = [],
  ): Promise<WarehouseSubOrderView> {
    return this.dataSource.transaction(async (manager) => {
      for (const trackingNumber of [...new Set(trackingNumbers)].sort()) {
        await lockTrackingNumber(manager, trackingNumber);
      }
      const subOrder = await this.subOrders.lock(manager, subOrderId);
      // Another warehouse's sub-order is none of this staff member's business: not found.
      if (!subOrder || (scope && !scope.includes(subOrder.warehouseId))) throw fulfilmentProblems.subOrderNotFound(subOrderId);
      await work(manager, subOrder);
      return (await this.queries.subOrder(subOrderId, manager))!;
    });
  }

  /** A tracking number already on another parcel is the caller's 409, not a 500. */
  private async withTrackingNumber<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const driverError = error instanceof QueryFailedError ? (error.driverError as { constraint?: string; detail?: string }) : undefined;
      if (driverError?.constraint !== 'parcel_tracking') throw error;
      // PostgreSQL names the clashing key: "Key (carrier_code, tracking_number)=(sf-express, SF1) already exists."
      const [, carrierCode = '', trackingNumber = ''] = /\)=\(([^,]*), ([^)]*)\)/.exec(driverError.detail ?? '') ?? [];
      throw fulfilmentProblems.trackingNumberTaken(carrierCode, trackingNumber);
    }
  }
}
