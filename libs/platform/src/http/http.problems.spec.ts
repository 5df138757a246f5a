import { describe, expect, it } from 'vitest';
import { httpProblems, statusProblem } from './http.problems.js';
import { slugForStatus, titleForStatus } from './problem-details.js';

describe('the http catalogue', () => {
  it('names each status-only problem after its status, as errors without a catalogue entry are named', () => {
    for (const factory of Object.values(httpProblems)) {
      expect(factory.slug).toBe(slugForStatus(factory.status));
      expect(factory.title).toBe(titleForStatus(factory.status));
    }
  });

  it('turns a bare status into the catalogue’s problem, with the detail when there is one', () => {
    expect(statusProblem(404, 'No thing t-9.').toProblem()).toEqual({
      type: 'https://mallard.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No thing t-9.',
    });
    expect(statusProblem(431).toProblem()).toEqual({
      type: 'https://mallard.dev/problems/request-header-fields-too-large',
      title: 'Request Header Fields Too Large',
      status: 431,
    });
  });

  it('still names a status outside the catalogue by its phrase', () => {
    expect(statusProblem(402).toProblem()).toEqual({
      type: 'https://mallard.dev/problems/payment-required',
      title: 'Payment Required',
      status: 402,
    });
  });
});
