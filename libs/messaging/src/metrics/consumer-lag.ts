import type { CommittedOffset, PartitionExtent } from '../broker/message-broker.js';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Records in the partition the group has not yet committed past. */
  lag: number;
}

/**
 * How far a consumer group is behind, per partition: the partition's end less where the group
 * resumes. A group that never committed in a partition resumes at its earliest record, so what
 * the partition still holds is all behind; a commit older than retention counts from the earliest.
 */
export function consumerLag(extents: readonly PartitionExtent[], committed: readonly CommittedOffset[]): PartitionLag[] {
  const resumeAt = new Map(committed.map((entry) => [`${entry.topic}/${entry.partition}`, BigInt(entry.offset)]));
  return extents.map(({ topic, partition, earliest, end }) => {
    const offset = resumeAt.get(`${topic}/${partition}`) ?? -1n;
    const from = offset < BigInt(earliest) ? BigInt(earliest) : offset;
    const behind = BigInt(end) - from;
    return { topic, partition, lag: Number(behind > 0n ? behind : 0n) };
  });
}
