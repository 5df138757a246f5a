import { defineProblems } from '@mallard/platform';

/** What the dead-letter desk of the back office refuses (docs/operations.md). */
export const deadLetterProblems = defineProblems('gateway', {
  groupNotFound: {
    slug: 'dead-letter-group-not-found',
    status: 404,
    title: 'No dead-letter topic for this consumer group',
    description: 'The consumer group has no dead-letter topic: it never ran, or the name is wrong.',
    extensions: ['consumerGroup'],
    create: (consumerGroup: string) => ({
      detail: `consumer group ${consumerGroup} has no dead-letter topic`,
      extensions: { consumerGroup },
    }),
  },
  letterNotFound: {
    slug: 'dead-letter-not-found',
    status: 404,
    title: 'No such dead letter',
    description: 'The consumer group has no dead letter with this id (its offset in the dead-letter topic).',
    extensions: ['consumerGroup', 'id'],
    create: (consumerGroup: string, id: string) => ({
      detail: `consumer group ${consumerGroup} has no dead letter ${id}`,
      extensions: { consumerGroup, id },
    }),
  },
  alreadyHandled: {
    slug: 'dead-letter-already-handled',
    status: 409,
    title: 'The dead letter was already replayed or discarded',
    description: 'A replay or discard of a letter that is no longer PENDING; send `force: true` to do it again on purpose.',
    extensions: ['consumerGroup', 'id', 'letterStatus'],
    create: (consumerGroup: string, id: string, letterStatus: string) => ({
      detail: `dead letter ${id} of ${consumerGroup} is already ${letterStatus}; send "force": true to act on it again on purpose`,
      extensions: { consumerGroup, id, letterStatus },
    }),
  },
  beyondInboxRetention: {
    slug: 'dead-letter-beyond-inbox-retention',
    status: 409,
    title: 'The dead letter is older than the inbox retention',
    description:
      'A replay of an event older than INBOX_RETENTION_DAYS: the groups that applied it may no longer recognise it; send `force: true` if its handlers are safe to repeat.',
    extensions: ['consumerGroup', 'id'],
    create: (consumerGroup: string, id: string) => ({
      detail: `dead letter ${id} of ${consumerGroup} is older than the inbox retention (or its age is unknown): consumers that applied it may apply it again; send "force": true only if that is safe`,
      extensions: { consumerGroup, id },
    }),
  },
});
