import { afterEach, describe, expect, it } from 'vitest';
import { AfterShipRegistrar } from './aftership-registrar.js';
import { closedPortUrl, type LocalProviderServer, type ProviderAnswer, startLocalProviderServer } from './local-provider-server.js';
import { PermanentRegistrationError, type RegistrationRequest, RetryableRegistrationError } from './tracking-registrar.js';

const API_KEY = 'asat_test_key_0123';
const PARCEL: RegistrationRequest = {
  parcelId: '0d6f6f5e-1f1b-4c36-9a53-7f1d2f9a1c01',
  orderId: '6a3a0f7e-2c9d-4b8e-9f1a-3e5d7c9b1a02',
  carrierCode: 'sf-express',
  trackingNumber: 'SF1234567890',
  receiverPhone: '+8613900000000',
  destinationCountry: 'CN',
};

/** AfterShip's error envelope: the HTTP status and a meta code that says more. */
const metaError = (status: number, code: number, message: string): ProviderAnswer => ({
  status,
  body: { meta: { code, message, type: 'BadRequest' }, data: {} },
});

describe('AfterShipRegistrar against a local AfterShip', () => {
  let server: LocalProviderServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const registrarAnswering = async (answer: ProviderAnswer) => {
    server = await startLocalProviderServer(() => answer);
    return new AfterShipRegistrar({ apiKey: API_KEY, apiUrl: server.url });
  };

  it('creates the tracking as documented: POST /tracking/2026-07/trackings with as-api-key, slug, number, order and destination', async () => {
    const registrar = await registrarAnswering({
      status: 201,
      body: { meta: { code: 201 }, data: { id: 'as-trk-1', slug: 'sf-express', tracking_number: PARCEL.trackingNumber } },
    });

    expect(await registrar.register(PARCEL)).toEqual({ outcome: 'REGISTERED', providerRef: 'as-trk-1' });

    expect(server!.received).toHaveLength(1);
    const [request] = server!.received;
    expect(request.method).toBe('POST');
    // The path of the API version the SDK 17.0.0 speaks.
    expect(request.path).toBe('/tracking/2026-07/trackings');
    expect(request.headers['as-api-key']).toBe(API_KEY);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request.body)).toEqual({
      slug: 'sf-express',
      tracking_number: PARCEL.trackingNumber,
      order_id: PARCEL.orderId,
      destination_country_region: 'CHN',
    });
  });

  it('sends AfterShip’s slug for our carrier code, whichever spelling staff typed, and no destination it cannot name', async () => {
    const registrar = await registrarAnswering({ status: 201, body: { meta: { code: 201 }, data: { id: 'as-trk-2' } } });
    await registrar.register({ ...PARCEL, carrierCode: 'zhongtong', destinationCountry: 'AQ' });
    expect(JSON.parse(server!.received[0].body)).toEqual({
      slug: 'zto-express',
      tracking_number: PARCEL.trackingNumber,
      order_id: PARCEL.orderId,
    });
  });

  it('takes 4003 "tracking already exists" as registered', async () => {
    const registrar = await registrarAnswering(metaError(400, 4003, 'Tracking already exists.'));
    expect(await registrar.register(PARCEL)).toEqual({ outcome: 'ALREADY_REGISTERED', providerRef: null });
  });

  it.each([
    ['a bad tracking number', metaError(400, 4005, 'The value of tracking_number is invalid.'), 400],
    ['a carrier it does not know', metaError(400, 4012, 'Unable to import shipment as the carrier is not on your approved list.'), 400],
    ['a bad API key', metaError(401, 401, 'The API Key is invalid.'), 401],
  ])('refuses for good %s (4xx): a permanent error', async (_case, answer, status) => {
    const registrar = await registrarAnswering(answer);
    const error = await registrar.register(PARCEL).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentRegistrationError);
    expect(error).toMatchObject({ provider: 'aftership', status });
    // One request: the SDK's own retries are off, the queue retries.
    expect(server!.received).toHaveLength(1);
  });

  it.each([
    ['rate limited (429)', metaError(429, 429, 'You have exceeded the API call rate limit.'), 429],
    ['failing (500)', metaError(500, 500, 'Something went wrong on AfterShip’s end.'), 500],
    ['unavailable (503) without its envelope', { status: 503, body: '<html>busy</html>' }, 503],
  ])('answers a retryable error when AfterShip is %s, after one request', async (_case, answer, status) => {
    const registrar = await registrarAnswering(answer);
    const error = await registrar.register(PARCEL).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryableRegistrationError);
    expect(error).toMatchObject({ provider: 'aftership', status });
    expect(server!.received).toHaveLength(1);
  });

  it('answers a retryable error when AfterShip cannot be reached', async () => {
    const registrar = new AfterShipRegistrar({ apiKey: API_KEY, apiUrl: await closedPortUrl() });
    await expect(registrar.register(PARCEL)).rejects.toBeInstanceOf(RetryableRegistrationError);
  });
});
