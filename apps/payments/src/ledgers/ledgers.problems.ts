import { ProblemException } from '@mallard/platform';

export const ledgerProblems = {
  giftCardRefused: (code: string, why: 'UNKNOWN' | 'CURRENCY' | 'EXPIRED' | 'INSUFFICIENT', balanceMinor?: number) =>
    new ProblemException({
      status: 422,
      slug: 'gift-card-refused',
      title: 'A gift card cannot pay this amount',
      detail: {
        UNKNOWN: `no gift card ${code}`,
        CURRENCY: `gift card ${code} is in another currency`,
        EXPIRED: `gift card ${code} has expired`,
        INSUFFICIENT: `gift card ${code} has ${balanceMinor ?? 0} minor units left`,
      }[why],
      extensions: { code, why, ...(why === 'INSUFFICIENT' ? { balanceMinor } : {}) },
    }),
  insufficientPoints: (balance: number, wanted: number) =>
    new ProblemException({
      status: 422,
      slug: 'insufficient-points',
      title: 'Not enough points',
      detail: `${wanted} points wanted, ${balance} available`,
      extensions: { balance, wanted },
    }),
  grantIdReused: (grantId: string) =>
    new ProblemException({
      status: 422,
      slug: 'grant-id-reused',
      title: 'grantId already used for another grant',
      detail: `points grant ${grantId} was first made with a different buyer, amount or reason; use a new grantId for a new grant`,
      extensions: { grantId },
    }),
  giftCardExpiryPast: (expiresAt: string) =>
    new ProblemException({
      status: 422,
      slug: 'gift-card-expiry-past',
      title: 'The expiry is in the past',
      detail: `${expiresAt} has passed`,
    }),
  giftCardExists: (code: string) =>
    new ProblemException({
      status: 409,
      slug: 'gift-card-exists',
      title: 'A gift card with this code exists',
      detail: `gift card ${code} was issued before`,
    }),
  giftCardNotFound: (code: string) =>
    new ProblemException({
      status: 404,
      slug: 'gift-card-not-found',
      title: 'Gift card not found',
      detail: `no gift card ${code}`,
    }),
};
