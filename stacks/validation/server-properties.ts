/**
 * The broker properties MSK lets a custom configuration set, per version family, as data with sources.
 * CreateConfiguration refuses any other key ("Key ... is not supported"), so validation refuses it first.
 *
 * Sources (checked 2026-11-30):
 * - Standard brokers: MSK Developer Guide, "Custom Amazon MSK configurations"
 *   https://docs.aws.amazon.com/msk/latest/developerguide/msk-configuration-properties.html
 *   (zookeeper.* only for ZooKeeper-mode clusters; log.message.timestamp.difference.max.ms is deprecated in
 *   Kafka 3.6 for log.message.timestamp.before.max.ms / after.max.ms and removed in Kafka 4.0, KIP-937)
 * - Express brokers: "Custom MSK Express broker configurations (Read/Write access)", static configurations
 *   https://docs.aws.amazon.com/msk/latest/developerguide/msk-configuration-express-read-write.html
 *   and "Express brokers read-only configurations" (default.replication.factor 3, min.insync.replicas 2,
 *   unclean.leader.election.enable false, num.*.threads and more are set by MSK)
 *   https://docs.aws.amazon.com/msk/latest/developerguide/msk-configuration-express-read-only.html
 * - Tiered storage needs log.cleanup.policy=delete: "Enable tiered storage on an existing Amazon MSK cluster".
 */
import { type BrokerKind, compareKafkaReleases, metadataModeOf } from "./kafka-versions";

/** A family of clusters that accept the same configuration keys. */
export type PropertyFamily = "standard-zookeeper" | "standard-kraft" | "standard-kafka4" | "express";

const STANDARD_COMMON: readonly string[] = [
  "allow.everyone.if.no.acl.found",
  "auto.create.topics.enable",
  "compression.type",
  "connections.max.idle.ms",
  "default.replication.factor",
  "delete.topic.enable",
  "group.initial.rebalance.delay.ms",
  "group.max.session.timeout.ms",
  "group.min.session.timeout.ms",
  "leader.imbalance.per.broker.percentage",
  "log.cleaner.delete.retention.ms",
  "log.cleaner.min.cleanable.ratio",
  "log.cleanup.policy",
  "log.flush.interval.messages",
  "log.flush.interval.ms",
  "log.message.timestamp.after.max.ms",
  "log.message.timestamp.before.max.ms",
  "log.message.timestamp.type",
  "log.retention.bytes",
  "log.retention.hours",
  "log.retention.minutes",
  "log.retention.ms",
  "log.roll.ms",
  "log.segment.bytes",
  "max.incremental.fetch.session.cache.slots",
  "message.max.bytes",
  "min.insync.replicas",
  "num.io.threads",
  "num.network.threads",
  "num.partitions",
  "num.recovery.threads.per.data.dir",
  "num.replica.fetchers",
  "offsets.retention.minutes",
  "offsets.topic.replication.factor",
  "replica.fetch.max.bytes",
  "replica.fetch.response.max.bytes",
  "replica.lag.time.max.ms",
  "replica.selector.class",
  "replica.socket.receive.buffer.bytes",
  "socket.receive.buffer.bytes",
  "socket.request.max.bytes",
  "socket.send.buffer.bytes",
  "transaction.max.timeout.ms",
  "transaction.state.log.min.isr",
  "transaction.state.log.replication.factor",
  "transactional.id.expiration.ms",
  "unclean.leader.election.enable",
];

/** Keys MSK lets a configuration set, per family. */
export const CONFIGURABLE_PROPERTIES: Readonly<Record<PropertyFamily, readonly string[]>> = {
  "standard-zookeeper": [
    ...STANDARD_COMMON,
    "log.message.timestamp.difference.max.ms",
    "zookeeper.connection.timeout.ms",
    "zookeeper.session.timeout.ms",
  ],
  "standard-kraft": [...STANDARD_COMMON, "log.message.timestamp.difference.max.ms"],
  "standard-kafka4": STANDARD_COMMON,
  express: [
    "allow.everyone.if.no.acl.found",
    "auto.create.topics.enable",
    "compression.type",
    "connections.max.idle.ms",
    "delete.topic.enable",
    "group.initial.rebalance.delay.ms",
    "group.max.session.timeout.ms",
    "leader.imbalance.per.broker.percentage",
    "log.cleanup.policy",
    "log.message.timestamp.after.max.ms",
    "log.message.timestamp.before.max.ms",
    "log.message.timestamp.type",
    "log.retention.bytes",
    "log.retention.ms",
    "max.connections.per.ip",
    "max.incremental.fetch.session.cache.slots",
    "message.max.bytes",
    "num.partitions",
    "offsets.retention.minutes",
    "replica.fetch.max.bytes",
    "replica.selector.class",
    "socket.receive.buffer.bytes",
    "socket.request.max.bytes",
    "socket.send.buffer.bytes",
    "transaction.max.timeout.ms",
    "transactional.id.expiration.ms",
  ],
};

/** Where each family's list comes from, for error messages. */
export const PROPERTY_SOURCES: Readonly<Record<PropertyFamily, string>> = {
  "standard-zookeeper": "MSK Developer Guide, Custom Amazon MSK configurations",
  "standard-kraft": "MSK Developer Guide, Custom Amazon MSK configurations (no zookeeper.* on KRaft)",
  "standard-kafka4":
    "MSK Developer Guide, Custom Amazon MSK configurations (Kafka 4 removed log.message.timestamp.difference.max.ms)",
  express: "MSK Developer Guide, Custom MSK Express broker configurations (static, read/write)",
};

/** Values MSK (or Kafka) bounds, with the bound's source page as above. */
export const PROPERTY_RANGES: Readonly<Record<string, { readonly min: number; readonly max: number }>> = {
  "replica.lag.time.max.ms": { min: 10000, max: 30000 },
  "zookeeper.connection.timeout.ms": { min: 6000, max: 18000 },
  "zookeeper.session.timeout.ms": { min: 6000, max: 18000 },
  "log.cleaner.min.cleanable.ratio": { min: 0, max: 1 },
  "leader.imbalance.per.broker.percentage": { min: 0, max: 100 },
};

/** Properties whose value is true or false. */
export const BOOLEAN_PROPERTIES: readonly string[] = [
  "allow.everyone.if.no.acl.found",
  "auto.create.topics.enable",
  "delete.topic.enable",
  "unclean.leader.election.enable",
];

/** The configuration family of a cluster. */
export function propertyFamily(kafkaVersion: string, kind: BrokerKind): PropertyFamily {
  if (kind === "express") return "express";
  if (compareKafkaReleases(kafkaVersion, "4.0") >= 0) return "standard-kafka4";
  return metadataModeOf(kafkaVersion) === "kraft" ? "standard-kraft" : "standard-zookeeper";
}

/**
 * Properties Express brokers fix (read-only) with the value MSK sets; the platform never renders them.
 * Source: Express brokers read-only configurations.
 */
export const EXPRESS_READ_ONLY: Readonly<Record<string, string>> = {
  "default.replication.factor": "3",
  "min.insync.replicas": "2",
  "unclean.leader.election.enable": "false",
};

/** Why a value is not acceptable for a key, or undefined when it is. */
export function propertyValueProblem(key: string, value: string): string | undefined {
  if (BOOLEAN_PROPERTIES.includes(key) && value !== "true" && value !== "false")
    return 'must be "true" or "false"';
  const range = PROPERTY_RANGES[key];
  if (range) {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < range.min || n > range.max)
      return `must be a number between ${range.min} and ${range.max}`;
  }
  if (key === "log.cleanup.policy") {
    const policies = value.split(",").map((p) => p.trim());
    if (policies.length === 0 || policies.some((p) => p !== "delete" && p !== "compact"))
      return 'must be "delete", "compact" or "compact,delete"';
  }
  return undefined;
}
