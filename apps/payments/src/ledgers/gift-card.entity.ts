import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('gift_card')
export class GiftCard {
  @PrimaryColumn('text') code: string;
  @Column('char', { length: 3 }) currency: string;
  @MoneyColumn({ name: 'initial_minor' }) initialMinor: number;
  @MoneyColumn({ name: 'balance_minor' }) balanceMinor: number;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('text', { name: 'issued_by', nullable: true }) issuedBy: string | null;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt: Date;
}
