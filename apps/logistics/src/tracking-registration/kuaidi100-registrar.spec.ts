import { afterEach, describe, expect, it } from 'vitest';
import { Kuaidi100Registrar, type Kuaidi100Subscription, kuaidi100Phone } from './kuaidi100-registrar.js';
import { closedPortUrl, type LocalProviderServer, type ProviderAnswer, startLocalProviderServer } from './local-provider-server.js';
import { PermanentRegistrationError, type RegistrationRequest, RetryableRegistrationError } from './tracking-registrar.js';

const KEY = 'kuaidi100-test-key';
const SALT = 'kuaidi100-test-salt';
const CALLBACK = 'https://mall.example.com/api/v1/webhooks/carriers/kuaidi100';
const PARCEL: RegistrationRequest = {
  parcelId: '0d6f6f5e-1f1b-4c36-9a53-7f1d2f9a1c01',
  orderId: '6a3a0f7e-2c9d-4b8e-9f1a-3e5d7c9b1a02',
  carrierCode: 'sf-express',
  trackingNumber: 'SF1234567890',
  receiverPhone: '+86 139 0000 0000',
  destinationCountry: 'CN',
};

const answered = (returnCode: string, message: string, result = returnCode === '200'): ProviderAnswer => ({
  status: 200,
  body: { result, returnCode, message },
});

describe('Kuaidi100Registrar against a local Kuaidi100', () => {
  let server: LocalProviderServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const registrarAnswering = async (answer: ProviderAnswer) => {
    server = await startLocalProviderServer(() => answer);
    return new Kuaidi100Registrar({ key: KEY, apiUrl: `${server.url}/poll`, callbackUrl: CALLBACK, salt: SALT });
  };

  it('posts the documented subscription: a form of schema=json and param with company, number, key, callback, salt, resultv2 and phone', async () => {
    const registrar = await registrarAnswering(answered('200', '提交成功'));

    expect(await registrar.register(PARCEL)).toEqual({ outcome: 'REGISTERED', providerRef: null });

    expect(server!.received).toHaveLength(1);
    const [request] = server!.received;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/poll');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body);
    expect([...form.keys()].sort()).toEqual(['param', 'schema']);
    expect(form.get('schema')).toBe('json');
    const param: Kuaidi100Subscription = JSON.parse(form.get('param')!);
    expect(param).toEqual({
      company: 'shunfeng',
      number: PARCEL.trackingNumber,
      key: KEY,
      parameters: { callbackurl: CALLBACK, salt: SALT, resultv2: '1', phone: '13900000000' },
    });
  });

  it('sends no phone when the receiver has none', async () => {
    const registrar = await registrarAnswering(answered('200', '提交成功'));
    await registrar.register({ ...PARCEL, carrierCode: 'yto', receiverPhone: undefined });
    const param: Kuaidi100Subscription = JSON.parse(new URLSearchParams(server!.received[0].body).get('param')!);
    expect(param.company).toBe('yuantong');
    expect(param.parameters).toEqual({ callbackurl: CALLBACK, salt: SALT, resultv2: '1' });
  });

  it('takes returnCode 501 (already subscribed and being tracked) as registered', async () => {
    const registrar = await registrarAnswering(answered('501', '重复订阅'));
    expect(await registrar.register(PARCEL)).toEqual({ outcome: 'ALREADY_REGISTERED', providerRef: null });
  });

  it.each([
    ['700', '订阅方的订阅数据存在错误'],
    ['701', '拒绝订阅的快递公司'],
    ['702', 'POLL:识别不到该单号对应的快递公司'],
    ['600', '您不是合法的订阅者'],
    ['601', 'POLL:KEY已过期'],
  ])('refuses for good on returnCode %s (%s)', async (returnCode, message) => {
    const registrar = await registrarAnswering(answered(returnCode, message));
    const error = await registrar.register(PARCEL).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentRegistrationError);
    expect((error as Error).message).toContain(`returnCode ${returnCode}`);
  });

  it.each([
    ['returnCode 500 (their server failing)', answered('500', '服务器错误')],
    ['HTTP 502', { status: 502, body: 'Bad Gateway' }],
    ['HTTP 429', { status: 429, body: '' }],
    ['an answer that is no JSON', { status: 200, body: '<html>maintenance</html>' }],
  ])('answers a retryable error on %s', async (_case, answer) => {
    const registrar = await registrarAnswering(answer);
    await expect(registrar.register(PARCEL)).rejects.toBeInstanceOf(RetryableRegistrationError);
  });

  it('answers a permanent error on another 4xx', async () => {
    const registrar = await registrarAnswering({ status: 403, body: 'Forbidden' });
    await expect(registrar.register(PARCEL)).rejects.toMatchObject({ name: 'PermanentRegistrationError', status: 403 });
  });

  it('answers a retryable error when Kuaidi100 cannot be reached', async () => {
    const registrar = new Kuaidi100Registrar({ key: KEY, apiUrl: `${await closedPortUrl()}/poll`, callbackUrl: CALLBACK, salt: SALT });
    await expect(registrar.register(PARCEL)).rejects.toBeInstanceOf(RetryableRegistrationError);
  });
});

describe('kuaidi100Phone', () => {
  it('gives the domestic number in digits, as the carrier keeps it', () => {
    expect(kuaidi100Phone('+8613900000000')).toBe('13900000000');
    expect(kuaidi100Phone('0086 139-0000-0000')).toBe('13900000000');
    expect(kuaidi100Phone('021 6123 4567')).toBe('02161234567');
    expect(kuaidi100Phone('  ')).toBeUndefined();
    expect(kuaidi100Phone(undefined)).toBeUndefined();
  });
});
