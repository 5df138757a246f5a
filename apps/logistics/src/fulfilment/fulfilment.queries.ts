import type { SubOrderState, TrackedParcel } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { SubOrderInterception } from '../interception/sub-order-interception.entity.js';
import { Parcel } from '../parcels/parcel.entity.js';
import { ParcelLine } from '../parcels/parcel-line.entity.js';
import { ReturnParcel } from '../return-parcels/return-parcel.entity.js';
import { SubOrder } from '../sub-orders/sub-order.entity.js';
import { SubOrderLine } from '../sub-orders/sub-order-line.entity.js';
import { SubOrderStateChange } from '../sub-orders/sub-order-state-change.entity.js';
import { ParcelCheckpoint } from '../tracking/parcel-checkpoint.entity.js';
import {
  type ParcelView,
  type ShipmentView,
  toParcelView,
  toShipmentView,
  toWarehouseSubOrderView,
  type WarehouseSubOrderView,
} from './warehouse-sub-order.view.js';

/** At most this many parcels of each kind (shipment, return) are answered for one tracking number. */
const TRACKED_PARCELS_PER_KIND = 100;

/** Reads for warehouses, merchants and customer service; writes go through FulfilmentService. */
@Injectable()
export class FulfilmentQueries {
  constructor(private readonly dataSource: DataSource) {}

  async subOrder(id: string, manager: EntityManager = this.dataSource.manager): Promise<WarehouseSubOrderView | undefined> {
    const subOrder = await manager.findOne(SubOrder, { where: { id } });
    if (!subOrder) return undefined;
    const [view] = await this.views(manager, [subOrder]);
    return view;
  }

  /** A warehouse's sub-orders, oldest first: the next one to work on comes first. */
  async forWarehouse(warehouseId: string, state: SubOrderState | undefined, page: number, pageSize: number) {
    const manager = this.dataSource.manager;
    const subOrders = await manager.find(SubOrder, {
      where: { warehouseId, ...(state ? { state } : {}) },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: await this.views(manager, subOrders), page, pageSize };
  }

  /** A parcel, with the warehouse of its sub-order (whose staff may see it). */
  async parcel(id: string): Promise<{ view: { parcel: ParcelView; warehouseId: string } } | undefined> {
    const parcel = await this.dataSource.manager.findOne(Parcel, { where: { id } });
    if (!parcel) return undefined;
    const subOrder = await this.dataSource.manager.findOneOrFail(SubOrder, { where: { id: parcel.subOrderId } });
    const lines = await this.dataSource.manager.find(ParcelLine, { where: { parcelId: id } });
    const checkpoints = await this.checkpointsOf(this.dataSource.manager, [id]);
    return { view: { parcel: toParcelView(parcel, lines, checkpoints), warehouseId: subOrder.warehouseId } };
  }

  /**
   * The parcels carrying a tracking number, newest first. A number is unique per carrier only, and
   * a return parcel's is the shopper's word, never checked against the shipments', so several can;
   * a handful at most, hence the bound per kind (indexes parcel_tracking_number, return_parcel_tracking).
   */
  async parcelsByTrackingNumber(trackingNumber: string): Promise<TrackedParcel[]> {
    const manager = this.dataSource.manager;
    const order = { createdAt: 'DESC', id: 'ASC' } as const;
    const [shipments, returns] = await Promise.all([
      manager.find(Parcel, { where: { trackingNumber }, order, take: TRACKED_PARCELS_PER_KIND }),
      manager.find(ReturnParcel, { where: { trackingNumber }, order, take: TRACKED_PARCELS_PER_KIND }),
    ]);
    const tracked = (kind: TrackedParcel['kind'], parcel: Parcel | ReturnParcel): TrackedParcel => ({
      id: parcel.id,
      kind,
      orderId: parcel.orderId,
      // A parcel with a tracking number has its carrier (CHECK parcel_tracked_together).
      carrierCode: parcel.carrierCode!,
      trackingNumber,
      createdAt: parcel.createdAt.toISOString(),
    });
    return [...shipments.map((parcel) => tracked('SHIPMENT', parcel)), ...returns.map((parcel) => tracked('RETURN', parcel))].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id),
    );
  }

  /** An order's sub-orders as its shopper follows them, in their position order; empty before the split reached logistics. */
  async shipmentsOf(orderId: string): Promise<ShipmentView[]> {
    const manager = this.dataSource.manager;
    const subOrders = await manager.find(SubOrder, { where: { orderId }, order: { position: 'ASC' } });
    if (subOrders.length === 0) return [];
    const ids = subOrders.map((subOrder) => subOrder.id);
    const interceptions = await manager.find(SubOrderInterception, { where: { subOrderId: In(ids) } });
    const parcels = await manager.find(Parcel, { where: { subOrderId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const parcelIds = parcels.map((parcel) => parcel.id);
    const parcelLines = parcelIds.length
      ? await manager.find(ParcelLine, { where: { parcelId: In(parcelIds) }, order: { lineId: 'ASC' } })
      : [];
    const checkpoints = await this.checkpointsOf(manager, parcelIds);
    return subOrders.map((subOrder) =>
      toShipmentView(
        subOrder,
        interceptions.find((interception) => interception.subOrderId === subOrder.id),
        parcels.filter((parcel) => parcel.subOrderId === subOrder.id),
        parcelLines,
        checkpoints,
      ),
    );
  }

  private checkpointsOf(manager: EntityManager, parcelIds: string[]): Promise<ParcelCheckpoint[]> {
    if (parcelIds.length === 0) return Promise.resolve([]);
    return manager.find(ParcelCheckpoint, { where: { parcelId: In(parcelIds) }, order: { occurredAt: 'ASC', id: 'ASC' } });
  }

  private async views(manager: EntityManager, subOrders: SubOrder[]): Promise<WarehouseSubOrderView[]> {
    if (subOrders.length === 0) return [];
    const ids = subOrders.map((subOrder) => subOrder.id);
    // One query per table for the whole page, one at a time (a transaction has one connection).
    const lines = await manager.find(SubOrderLine, { where: { subOrderId: In(ids) }, order: { lineId: 'ASC' } });
    const parcels = await manager.find(Parcel, { where: { subOrderId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const parcelLines = parcels.length
      ? await manager.find(ParcelLine, { where: { parcelId: In(parcels.map((parcel) => parcel.id)) }, order: { lineId: 'ASC' } })
      : [];
    const checkpoints = await this.checkpointsOf(
      manager,
      parcels.map((parcel) => parcel.id),
    );
    const history = await manager.find(SubOrderStateChange, { where: { subOrderId: In(ids) }, order: { id: 'ASC' } });
    return subOrders.map((subOrder) =>
      toWarehouseSubOrderView(
        subOrder,
        lines.filter((line) => line.subOrderId === subOrder.id),
        parcels.filter((parcel) => parcel.subOrderId === subOrder.id),
        parcelLines,
        checkpoints,
        history.filter((change) => change.subOrderId === subOrder.id),
      ),
    );
  }
}
