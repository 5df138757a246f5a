import { defineProblems } from '@mallard/platform';

export const ledgerProblems = defineProblems('payments', {
  giftCardRefused: {
    slug: 'gift-card-refused',
    status: 422,
    title: 'A gift card cannot pay this amount',
    description: 'A gift card is unknown, in another currency, expired or short of balance.',
    extensions: ['code', 'why', 'balanceMinor'],
    create: (code: string, why: 'UNKNOWN' | 'CURRENCY' | 'EXPIRED' | 'INSUFFICIENT', balanceMinor?: number) => ({
      detail: {
        UNKNOWN: `no gift card ${code}`,
        CURRENCY: `gift card ${code} is in another currency`,
        EXPIRED: `gift card ${code} has expired`,
        INSUFFICIENT: `gift card ${code} has ${balanceMinor ?? 0} minor units left`,
      }[why],
      extensions: { code, why, ...(why === 'INSUFFICIENT' ? { balanceMinor } : {}) },
    }),
  },
  insufficientPoints: {
    slug: 'insufficient-points',
    status: 422,
    title: 'Not enough points',
    description: 'The buyer has fewer points than the tender or the deduction wants.',
    extensions: ['balance', 'wanted'],
    create: (balance: number, wanted: number) => ({
      detail: `${wanted} points wanted, ${balance} available`,
      extensions: { balance, wanted },
    }),
  },
  grantIdReused: {
    slug: 'grant-id-reused',
    status: 422,
    title: 'grantId already used for another grant',
    description: 'A points grant reused the grantId of a different grant.',
    extensions: ['grantId'],
    create: (grantId: string) => ({
      detail: `points grant ${grantId} was first made with a different buyer, amount or reason; use a new grantId for a new grant`,
      extensions: { grantId },
    }),
  },
  giftCardExpiryPast: {
    slug: 'gift-card-expiry-past',
    status: 422,
    title: 'The expiry is in the past',
    description: 'A gift card was issued with an expiry that has already passed.',
    create: (expiresAt: string) => ({ detail: `${expiresAt} has passed` }),
  },
  giftCardExists: {
    slug: 'gift-card-exists',
    status: 409,
    title: 'A gift card with this code exists',
    description: 'A gift card was issued with a code already in use.',
    create: (code: string) => ({ detail: `gift card ${code} was issued before` }),
  },
  giftCardNotFound: {
    slug: 'gift-card-not-found',
    status: 404,
    title: 'Gift card not found',
    description: 'No gift card has the code in the path.',
    create: (code: string) => ({ detail: `no gift card ${code}` }),
  },
});
