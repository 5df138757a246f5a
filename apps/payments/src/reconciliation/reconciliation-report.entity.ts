import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Mismatch } from './reconcile.js';

@Entity('reconciliation_report')
export class ReconciliationReport {
  @PrimaryColumn('uuid') id: string;
  @Column('text') provider: string;
  @Column('date', { name: 'settlement_date' }) settlementDate: string;
  @Column('text', { name: 'file_name', nullable: true }) fileName: string | null;
  @Column('text', { name: 'file_sha256' }) fileSha256: string;
  @Column('int', { name: 'ours_count' }) oursCount: number;
  @Column('int', { name: 'theirs_count' }) theirsCount: number;
  @Column('int', { name: 'matched_count' }) matchedCount: number;
  @Column('jsonb') mismatches: Mismatch[];
  @Column('text', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
