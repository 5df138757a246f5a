import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How many units of one order line a parcel holds. */
@Entity('parcel_line')
export class ParcelLine {
  @PrimaryColumn('uuid', { name: 'parcel_id' }) parcelId: string;
  @PrimaryColumn('uuid', { name: 'line_id' }) lineId: string;
  @Column('text', { name: 'sku_id' }) skuId: string;
  @Column('int') quantity: number;
}
