import { Module } from '@nestjs/common';

/**
 * The public edge: HTTP API for mall front ends, auth, webhooks from carriers and payment
 * providers, and the order read model built from every service's events.
 */
@Module({})
export class GatewayAppModule {}
