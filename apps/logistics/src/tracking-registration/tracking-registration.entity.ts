import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RegistrationProvider } from './tracking-registrar.js';
import type { TrackingRegistrationState } from './tracking-registration-policy.js';

/**
 * A handed-over parcel to register with the tracking provider, so that the provider sends us its
 * updates: written in the handover's transaction, registered later by the worker, retried with
 * backoff while the provider is unreachable.
 */
@Entity('tracking_registration')
@Index('tracking_registration_due', ['provider', 'nextAttemptAt'], { where: `state = 'PENDING'` })
export class TrackingRegistration {
  @PrimaryColumn('uuid', { name: 'parcel_id' }) parcelId: string;
  @Column('text') provider: RegistrationProvider;
  /** Ours, as the parcel has it; the adapter spells it the provider's way. */
  @Column('text', { name: 'carrier_code' }) carrierCode: string;
  @Column('text', { name: 'tracking_number' }) trackingNumber: string;
  @Column('text', { default: 'PENDING' }) state: TrackingRegistrationState;
  /** Attempts started, the one in flight included. */
  @Column('int', { default: 0 }) attempts: number;
  /** When a PENDING registration is next due; while an attempt is in flight, when its claim lapses. */
  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' }) nextAttemptAt: Date;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  /** The provider's id for the tracking, when it gives one. */
  @Column('text', { name: 'provider_ref', nullable: true }) providerRef: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
