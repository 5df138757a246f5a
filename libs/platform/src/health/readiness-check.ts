import { SetMetadata } from '@nestjs/common';

/**
 * Something a service needs before it can take traffic (its broker, a downstream). Any
 * provider marked with @ReadinessProbe() is run by /health/ready next to the database ping;
 * `check` rejects when the dependency is not usable.
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export const READINESS_PROBE = 'mallard:readiness-probe';
export const ReadinessProbe = (): ClassDecorator => SetMetadata(READINESS_PROBE, true);
