import { describe, expect, it } from 'vitest';
import { consumerLag } from './consumer-lag.js';

describe('consumerLag', () => {
  const extents = [
    { topic: 'mallard.orders.events', partition: 0, earliest: '0', end: '120' },
    { topic: 'mallard.orders.events', partition: 1, earliest: '40', end: '90' },
    { topic: 'mallard.orders.events', partition: 2, earliest: '7', end: '7' },
  ];

  it('counts the records past where the group resumes, from the earliest kept when it never committed or fell behind retention', () => {
    expect(
      consumerLag(extents, [
        { topic: 'mallard.orders.events', partition: 0, offset: '100' },
        { topic: 'mallard.orders.events', partition: 1, offset: '12' },
        { topic: 'mallard.orders.events', partition: 2, offset: '-1' },
      ]),
    ).toEqual([
      { topic: 'mallard.orders.events', partition: 0, lag: 20 },
      { topic: 'mallard.orders.events', partition: 1, lag: 50 },
      { topic: 'mallard.orders.events', partition: 2, lag: 0 },
    ]);
  });

  it('counts a partition the group has no offset for at all from its earliest record', () => {
    expect(consumerLag(extents.slice(1, 2), [])).toEqual([{ topic: 'mallard.orders.events', partition: 1, lag: 50 }]);
  });
});
