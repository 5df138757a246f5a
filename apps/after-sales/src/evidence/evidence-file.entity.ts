import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EvidenceContentType } from './evidence-type.js';

/**
 * A photo or video attached to an after-sales request. The bytes are in the evidence storage
 * under `sha256`, with the location metadata already taken out; `size` is what is stored.
 */
@Entity('evidence_file')
@Index('evidence_file_request_position', ['requestId', 'position'], { unique: true })
export class EvidenceFile {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'request_id' }) requestId: string;
  /**
   * Its place among the request's files (0 to 8), in the order they were attached. Unique per
   * request and bounded by the table, so the limit of nine holds even against a bug elsewhere.
   */
  @Column('smallint') position: number;
  @Column('text') sha256: string;
  @Column('text', { name: 'content_type' }) contentType: EvidenceContentType;
  @Column('int') size: number;
  /** Who attached it: `buyer:<id>` or `staff:<id>`. */
  @Column('text', { name: 'uploaded_by' }) uploadedBy: string;
  @Column('timestamptz', { name: 'uploaded_at', default: () => 'now()' }) uploadedAt: Date;
}
