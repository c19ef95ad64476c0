/**
 * What AWS and Kafka allow for topics, as data, each with where it comes from: the MSK topic API's
 * requirements, MSK's recommended partitions per broker size, and Kafka's topic-level configuration list.
 * Read by stacks/validation/topics.ts and by the plan review's capacity section.
 */

/**
 * Recommended partitions per Standard broker, leader and follower replicas counted. Source: MSK Developer
 * Guide, "Best practices for Standard brokers", "Right-size your cluster: Number of partitions per Standard
 * broker" (checked 2026-11-30). MSK does not enforce it, but above the second figure ("maximum number of
 * partitions that support update operations") it blocks cluster updates such as broker type or version
 * changes. Express brokers have their own table, not recorded here: no figure is enforced for them.
 */
export const PARTITIONS_PER_BROKER: Readonly<
  Record<string, { readonly recommended: number; readonly maxForUpdates: number }>
> = {
  "kafka.t3.small": { recommended: 300, maxForUpdates: 300 },
  "kafka.m5.large": { recommended: 1000, maxForUpdates: 1500 },
  "kafka.m5.xlarge": { recommended: 1000, maxForUpdates: 1500 },
  "kafka.m5.2xlarge": { recommended: 2000, maxForUpdates: 3000 },
  ...Object.fromEntries(
    ["4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"].map((size) => [
      `kafka.m5.${size}`,
      { recommended: 4000, maxForUpdates: 6000 },
    ]),
  ),
  "kafka.m7g.large": { recommended: 1000, maxForUpdates: 1500 },
  "kafka.m7g.xlarge": { recommended: 1000, maxForUpdates: 1500 },
  "kafka.m7g.2xlarge": { recommended: 2000, maxForUpdates: 3000 },
  ...Object.fromEntries(
    ["4xlarge", "8xlarge", "12xlarge", "16xlarge"].map((size) => [
      `kafka.m7g.${size}`,
      { recommended: 4000, maxForUpdates: 6000 },
    ]),
  ),
};

/** Where the partition figures come from, for messages and the review. */
export const PARTITIONS_SOURCE =
  'MSK Developer Guide, "Best practices for Standard brokers", partitions per broker';

/**
 * Tiered storage topic rules. Source: MSK Developer Guide, "Guidelines for Amazon MSK tiered storage
 * topic-level configuration": segment.bytes at least 48 MiB and segment.ms at least 10 minutes,
 * local.retention.ms/bytes below retention.ms/bytes, retention.ms mandatory and at least 3 days;
 * Kafka (KIP-405): no tiered storage on compacted topics.
 */
export const TIERED_STORAGE = {
  minSegmentBytes: 48 * 1024 * 1024,
  minSegmentMs: 10 * 60 * 1000,
  minRetentionMs: 3 * 24 * 3_600_000,
} as const;

/**
 * Characters of all inline policies of one IAM role together (whitespace not counted). Source: IAM User
 * Guide, "IAM and AWS STS quotas": role policy size 10,240 characters. The topic manager's role names every
 * declared and retired topic's ARN, so this bounds how many topics one environment can declare.
 */
export const IAM_ROLE_INLINE_POLICY_CHARS = 10_240;

/** The topic manager policy's statements other than the topic ARNs, with room to spare. */
export const TOPIC_MANAGER_POLICY_OVERHEAD_CHARS = 1_300;

/** How a topic config value is checked. */
export type TopicConfigType =
  | { readonly type: "long"; readonly min: number }
  | { readonly type: "ratio" }
  | { readonly type: "boolean" }
  | { readonly type: "enum"; readonly values: readonly string[] }
  | { readonly type: "list" };

/** A topic-level config key and the Kafka versions that have it ([since, until) as "major.minor"). */
export interface TopicConfigKey {
  readonly check: TopicConfigType;
  readonly since?: string;
  readonly until?: string;
}

const long = (min: number): TopicConfigType => ({ type: "long", min });
const bool: TopicConfigType = { type: "boolean" };

/**
 * Topic-level configurations of Apache Kafka 3.6-4.1 (kafka.apache.org, "Topic Configs"), with the
 * validators Kafka applies (LogConfig). The typed fields of a topic declaration (retention, cleanupPolicy,
 * minInsyncReplicas) set the keys in TYPED_TOPIC_CONFIGS; `configs` may not.
 */
export const TOPIC_CONFIG_KEYS: Readonly<Record<string, TopicConfigKey>> = {
  "cleanup.policy": { check: { type: "list" } },
  "compression.type": {
    check: { type: "enum", values: ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"] },
  },
  "compression.gzip.level": { check: long(1), since: "3.8" },
  "compression.lz4.level": { check: long(1), since: "3.8" },
  "compression.zstd.level": { check: long(-131072), since: "3.8" },
  "delete.retention.ms": { check: long(0) },
  "file.delete.delay.ms": { check: long(0) },
  "flush.messages": { check: long(1) },
  "flush.ms": { check: long(0) },
  "follower.replication.throttled.replicas": { check: { type: "list" } },
  "index.interval.bytes": { check: long(0) },
  "leader.replication.throttled.replicas": { check: { type: "list" } },
  "local.retention.bytes": { check: long(-2) },
  "local.retention.ms": { check: long(-2) },
  "max.compaction.lag.ms": { check: long(1) },
  "max.message.bytes": { check: long(0) },
  "message.downconversion.enable": { check: bool, until: "4.0" },
  "message.format.version": { check: { type: "list" }, until: "4.0" },
  "message.timestamp.after.max.ms": { check: long(0) },
  "message.timestamp.before.max.ms": { check: long(0) },
  "message.timestamp.difference.max.ms": { check: long(0), until: "4.0" },
  "message.timestamp.type": { check: { type: "enum", values: ["CreateTime", "LogAppendTime"] } },
  "min.cleanable.dirty.ratio": { check: { type: "ratio" } },
  "min.compaction.lag.ms": { check: long(0) },
  "min.insync.replicas": { check: long(1) },
  preallocate: { check: bool },
  "remote.storage.enable": { check: bool },
  "remote.log.copy.disable": { check: bool, since: "3.9" },
  "remote.log.delete.on.disable": { check: bool, since: "3.9" },
  // MSK's own switch for turning tiered storage off on a topic (MSK Developer Guide, tiered storage).
  "remote.log.msk.disable.policy": { check: { type: "enum", values: ["Delete"] } },
  "retention.bytes": { check: long(-1) },
  "retention.ms": { check: long(-1) },
  "segment.bytes": { check: long(14) },
  "segment.index.bytes": { check: long(4) },
  "segment.jitter.ms": { check: long(0) },
  "segment.ms": { check: long(1) },
  "unclean.leader.election.enable": { check: bool },
};

/** Keys the typed fields of a topic declaration own. */
export const TYPED_TOPIC_CONFIGS: Readonly<Record<string, string>> = {
  "retention.ms": "retention.hours",
  "retention.bytes": "retention.bytesPerPartition",
  "cleanup.policy": "cleanupPolicy",
  "min.insync.replicas": "minInsyncReplicas",
};

/** "3.7.x.kraft" -> [3, 7]; undefined for anything else. */
export function kafkaMajorMinor(version: string): readonly [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** a < b for "major.minor" pairs. */
export function versionBefore(a: readonly [number, number], b: string): boolean {
  const [major, minor] = b.split(".").map(Number);
  return a[0] < major || (a[0] === major && a[1] < minor);
}
