import { Module } from '@nestjs/common';
import { AlipayProvider } from './alipay/alipay.provider.js';
import { PaymentProviders } from './payment-providers.js';
import { SandboxController } from './sandbox/sandbox.controller.js';
import { SandboxProvider } from './sandbox/sandbox.provider.js';
import { StripeProvider } from './stripe/stripe.provider.js';

/** The external payment providers behind one interface, and the sandbox provider's console. */
@Module({
  controllers: [SandboxController],
  providers: [SandboxProvider, StripeProvider, AlipayProvider, PaymentProviders],
  exports: [PaymentProviders],
})
export class ProvidersModule {}
