import { afterEach, describe, expect, it } from 'vitest';
import { EasyPostRegistrar } from './easypost-registrar.js';
import { closedPortUrl, type LocalProviderServer, type ProviderAnswer, startLocalProviderServer } from './local-provider-server.js';
import { PermanentRegistrationError, type RegistrationRequest, RetryableRegistrationError } from './tracking-registrar.js';

const API_KEY = 'EZTK_test_key_0123';
const PARCEL: RegistrationRequest = {
  parcelId: '0d6f6f5e-1f1b-4c36-9a53-7f1d2f9a1c01',
  orderId: '6a3a0f7e-2c9d-4b8e-9f1a-3e5d7c9b1a02',
  carrierCode: 'ups',
  trackingNumber: '1Z999AA10123456784',
  destinationCountry: 'US',
};

const tracker = (id: string): ProviderAnswer => ({
  status: 201,
  body: {
    id,
    object: 'Tracker',
    mode: 'test',
    tracking_code: PARCEL.trackingNumber,
    carrier: 'UPS',
    status: 'pre_transit',
    tracking_details: [],
    created_at: '2026-01-05T10:00:00Z',
    updated_at: '2026-01-05T10:00:00Z',
  },
});

const apiError = (status: number, code: string, message: string): ProviderAnswer => ({
  status,
  body: { error: { code, message, errors: [] } },
});

describe('EasyPostRegistrar against a local EasyPost', () => {
  let server: LocalProviderServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const registrarAnswering = async (answer: ProviderAnswer, base = '/v2/') => {
    server = await startLocalProviderServer(() => answer);
    return new EasyPostRegistrar({ apiKey: API_KEY, apiUrl: `${server.url}${base}` });
  };

  it('creates a Tracker as documented: POST /v2/trackers, basic auth with the key, tracking_code and carrier', async () => {
    const registrar = await registrarAnswering(tracker('trk_1'));

    expect(await registrar.register(PARCEL)).toEqual({ outcome: 'REGISTERED', providerRef: 'trk_1' });

    expect(server!.received).toHaveLength(1);
    const [request] = server!.received;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v2/trackers');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request.body)).toEqual({ tracker: { tracking_code: PARCEL.trackingNumber, carrier: 'UPS' } });
  });

  it('takes a base URL without its trailing slash, and sends EasyPost’s carrier name for ours', async () => {
    const registrar = await registrarAnswering(tracker('trk_2'), '/v2');
    await registrar.register({ ...PARCEL, carrierCode: 'dhl' });
    expect(server!.received[0].path).toBe('/v2/trackers');
    expect(JSON.parse(server!.received[0].body).tracker.carrier).toBe('DHLExpress');
  });

  it('refuses, without a request, a carrier EasyPost does not carry', async () => {
    const registrar = await registrarAnswering(tracker('trk_3'));
    await expect(registrar.register({ ...PARCEL, carrierCode: 'sf-express' })).rejects.toBeInstanceOf(PermanentRegistrationError);
    expect(server!.received).toEqual([]);
  });

  it.each([
    ['an invalid tracker (422)', apiError(422, 'TRACKER.CREATE.ERROR', 'Invalid tracking code.'), 422],
    ['a bad API key (401)', apiError(401, 'APIKEY.INACTIVE', 'This api key is no longer active.'), 401],
    ['a bad request (400)', apiError(400, 'PARAMETER.INVALID', 'Invalid carrier.'), 400],
  ])('refuses for good on %s', async (_case, answer, status) => {
    const registrar = await registrarAnswering(answer);
    const error = await registrar.register(PARCEL).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentRegistrationError);
    expect(error).toMatchObject({ provider: 'easypost', status });
  });

  it.each([
    ['rate limited (429)', apiError(429, 'RATE_LIMITED', 'Too many requests.')],
    ['failing (500)', apiError(500, 'INTERNAL_SERVER_ERROR', 'We are sorry, something went wrong.')],
    [
      'unavailable (503) without its error body',
      { status: 503, body: '<html>maintenance</html>', headers: { 'content-type': 'text/html' } },
    ],
  ])('answers a retryable error when EasyPost is %s', async (_case, answer) => {
    const registrar = await registrarAnswering(answer);
    await expect(registrar.register(PARCEL)).rejects.toBeInstanceOf(RetryableRegistrationError);
  });

  it('answers a retryable error when EasyPost cannot be reached', async () => {
    const registrar = new EasyPostRegistrar({ apiKey: API_KEY, apiUrl: `${await closedPortUrl()}/v2/` });
    await expect(registrar.register(PARCEL)).rejects.toBeInstanceOf(RetryableRegistrationError);
  });
});
