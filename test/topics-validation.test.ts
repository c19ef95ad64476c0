/**
 * The `topics` section's validation: every rule fed one bad value, with the exact line a user sees (file,
 * field, value, what is allowed). Variants start from the real environments.
 */
import type {
  EnvironmentConfig,
  ManagedTopicConfig,
  ProvisionedClusterConfig,
  TopicConfig,
} from "../stacks/config";
import {
  declaredTopicNames,
  declaredTopicsMatching,
  isDeclaredTopic,
  patternMatchesDeclaredTopic,
  validateEnvironment,
} from "../stacks/validation";
import { formatIssue } from "../stacks/validation/checker";
import { supportsTopicApi } from "../stacks/validation/kafka-versions";
import { ENVIRONMENTS } from "./support/synth";

const { dev, staging, prod } = ENVIRONMENTS;
const cluster = (config: EnvironmentConfig) => config.cluster as ProvisionedClusterConfig;
const topicsOf = (config: EnvironmentConfig) => (config.topics ?? []) as ManagedTopicConfig[];

/** Every error line of a config, as `npm run synth` prints them. */
function errors(config: EnvironmentConfig): string[] {
  return validateEnvironment(config, config.name).map((issue) =>
    formatIssue(`environments/${config.name}.ts`, issue),
  );
}

const withTopics = (
  config: EnvironmentConfig,
  topics: readonly TopicConfig[],
  changes: Partial<EnvironmentConfig> = {},
) => ({
  ...config,
  ...changes,
  topics,
});

/** staging with its first topic changed. */
const stagingTopic = (changes: Partial<ManagedTopicConfig>) =>
  withTopics(staging, [
    { ...topicsOf(staging)[0], ...changes } as ManagedTopicConfig,
    ...topicsOf(staging).slice(1),
  ]);
/** prod with its first topic changed. */
const prodTopic = (changes: Partial<ManagedTopicConfig>) =>
  withTopics(prod, [{ ...topicsOf(prod)[0], ...changes } as ManagedTopicConfig, ...topicsOf(prod).slice(1)]);

/** dev, declaring the topic its connector and policies use, on a tiered-storage cluster when asked. */
function devWith(topics: readonly TopicConfig[], tiered = false): EnvironmentConfig {
  return {
    ...dev,
    cluster: {
      ...cluster(dev),
      instanceType: tiered ? "kafka.m5.large" : cluster(dev).instanceType,
      storageMode: tiered ? "TIERED" : "LOCAL",
    },
    topics,
  };
}

describe("the real environments", () => {
  it.each(["staging", "prod"])(
    "%s declares the topics its connector and client policies use, and is valid",
    (name) => {
      const config = ENVIRONMENTS[name];
      expect(errors(config)).toEqual([]);
      for (const topic of config.connect.topics) expect(isDeclaredTopic(config, topic)).toBe(true);
      for (const pattern of cluster(config).clientAccess.topicPatterns)
        expect(patternMatchesDeclaredTopic(config, pattern)).toBe(true);
    },
  );
});

describe("topics: the rules of the issue", () => {
  it("refuses a replication factor above the broker count", () => {
    expect(errors(stagingTopic({ replicationFactor: 4 }))).toEqual([
      "environments/staging.ts: topics[0].replicationFactor: got 4; must be an integer between 1 and the broker count (3): each replica needs its own broker",
    ]);
  });

  it("refuses a duplicate name", () => {
    expect(
      errors(withTopics(staging, [...topicsOf(staging), { name: "orders.created", partitions: 1 }])),
    ).toEqual([
      'environments/staging.ts: topics[2].name: got "orders.created"; is declared twice (also topics[0]): declare each topic once',
    ]);
  });

  it("refuses partitions beyond MSK's recommended partitions per broker, one topic or all together", () => {
    // 1001 partitions x RF 3 over 3 kafka.m5.large brokers: 1001 per broker; MSK recommends 1000.
    expect(errors(stagingTopic({ partitions: 1001 }))).toEqual([
      'environments/staging.ts: topics[0].partitions: got 1001; gives 3003 partition replicas (x replication factor 3), 1001 per broker on 3 brokers; MSK recommends at most 1000 partition replicas (leaders and followers) per kafka.m5.large broker (MSK Developer Guide, "Best practices for Standard brokers", partitions per broker): lower the partitions or add brokers',
    ]);
    expect(errors(stagingTopic({ partitions: 1000 }))).toEqual([
      'environments/staging.ts: topics: got "1003 partition replicas per broker"; MSK recommends at most 1000 partition replicas (leaders and followers) per kafka.m5.large broker (MSK Developer Guide, "Best practices for Standard brokers", partitions per broker); the declared topics need 3009 replicas over 3 brokers (largest: orders.created 3000, payments.settled 9): lower partitions or add brokers',
    ]);
    // kafka.t3.small: 300 per broker; dev has 2 brokers and replication factor 2.
    expect(errors(devWith([{ name: "dev.orders", partitions: 301 }]))[0]).toContain(
      "topics[0].partitions: got 301; gives 602 partition replicas (x replication factor 2), 301 per broker on 2 brokers; MSK recommends at most 300",
    );
    expect(errors(devWith([{ name: "dev.orders", partitions: 300 }]))).toEqual([]);
  });

  it("in production requires replication factor >= 3 and min ISR >= 2 unless an exception is declared next to the topic", () => {
    expect(errors(prodTopic({ replicationFactor: 2, minInsyncReplicas: 1 }))).toEqual([
      'environments/prod.ts: topics[0].replicationFactor: got 2; must keep replication factor >= 3 and min.insync.replicas >= 2 in a production environment (this topic: 2 / 1); if this topic may lose data, declare durabilityException: { reason: "..." } next to it',
    ]);
    expect(errors(prodTopic({ minInsyncReplicas: 1 }))).toEqual([
      'environments/prod.ts: topics[0].minInsyncReplicas: got 1; must keep replication factor >= 3 and min.insync.replicas >= 2 in a production environment (this topic: 3 / 1); if this topic may lose data, declare durabilityException: { reason: "..." } next to it',
    ]);
    expect(
      errors(
        prodTopic({
          replicationFactor: 2,
          minInsyncReplicas: 1,
          durabilityException: { reason: "click-stream sampling: losing a few minutes is acceptable" },
        }),
      ),
    ).toEqual([]);
    expect(errors(prodTopic({ durabilityException: { reason: "not needed at all here" } }))).toEqual([
      'environments/prod.ts: topics[0].durabilityException: got {"reason":"not needed at all here"}; is not needed: the topic keeps replication factor 3 and min.insync.replicas 2; remove it',
    ]);
    expect(errors(prodTopic({ replicationFactor: 2, durabilityException: { reason: "short" } }))).toEqual([
      'environments/prod.ts: topics[0].durabilityException.reason: got "short"; must say why, in at least 10 characters',
    ]);
    expect(errors(stagingTopic({ durabilityException: { reason: "staging is not production" } }))).toEqual([
      'environments/staging.ts: topics[0].durabilityException: got {"reason":"staging is not production"}; applies to production environments only: remove it (outside production replication factor and min.insync.replicas are free)',
    ]);
  });

  it("keeps min ISR at most the replication factor, declared or inherited from the cluster", () => {
    expect(errors(stagingTopic({ replicationFactor: 2, minInsyncReplicas: 3 }))).toEqual([
      "environments/staging.ts: topics[0].minInsyncReplicas: got 3; must be at most the topic's replication factor (2), or every acks=all write fails",
    ]);
    // staging's cluster has min.insync.replicas 2: a replication factor of 1 inherits it.
    expect(errors(stagingTopic({ replicationFactor: 1 }))).toEqual([
      "environments/staging.ts: topics[0].replicationFactor: got 1; is below the cluster's min.insync.replicas (2), which this topic inherits, so every acks=all write fails: set topics[0].minInsyncReplicas to at most 1 or raise the replication factor",
    ]);
    expect(errors(stagingTopic({ replicationFactor: 1, minInsyncReplicas: 1 }))).toEqual([]);
  });

  it("refuses topics on a serverless cluster: the topic API does not exist there", () => {
    const serverless = {
      ...staging,
      cluster: { type: "serverless" as const, clientAccess: cluster(staging).clientAccess },
    };
    expect(errors(serverless)).toEqual([
      'environments/staging.ts: topics: got "2 topics"; cannot be managed on an MSK Serverless cluster: the MSK topic API (CreateTopic, UpdateTopic, ...) exists only for provisioned clusters; create serverless topics with a Kafka admin client, or remove topics',
    ]);
  });

  it("knows which Kafka versions have the topic API (>= 3.6.0)", () => {
    expect(
      ["3.6.0", "3.7.x", "3.7.x.kraft", "3.9.x", "4.0.x.kraft", "4.1.x.kraft"].every((v) =>
        supportsTopicApi(v, "provisioned"),
      ),
    ).toBe(true);
    expect(["3.5.1", "2.8.2.tiered", "2.8.1", "latest"].some((v) => supportsTopicApi(v, "provisioned"))).toBe(
      false,
    );
  });
});

describe("topics: names, retirement and the section itself", () => {
  it("checks names: Kafka characters, no '__' prefix, no '.'/'_' collision", () => {
    expect(errors(stagingTopic({ name: "orders created" }))).toEqual(
      expect.arrayContaining([
        "environments/staging.ts: topics[0].name: got \"orders created\"; may contain only letters, digits, '.', '_' and '-'",
      ]),
    );
    expect(
      errors(withTopics(staging, [...topicsOf(staging), { name: "__consumer_offsets", partitions: 50 }])),
    ).toEqual([
      'environments/staging.ts: topics[2].name: got "__consumer_offsets"; must not start with "__": that prefix is Kafka\'s and MSK\'s own (__consumer_offsets, __amazon_msk_*)',
    ]);
    expect(
      errors(withTopics(staging, [...topicsOf(staging), { name: "orders_created", partitions: 1 }])),
    ).toEqual([
      "environments/staging.ts: topics[2].name: got \"orders_created\"; collides with \"orders.created\" ('.' and '_' are the same in Kafka's metric names, so Kafka refuses the second): rename one",
    ]);
  });

  it("retires a topic explicitly, with a reason and nothing else", () => {
    const retire = (entry: Record<string, unknown>) =>
      withTopics(staging, [...topicsOf(staging), entry as unknown as TopicConfig]);
    expect(
      errors(retire({ name: "orders.v1", retired: true, reason: "replaced by orders.created" })),
    ).toEqual([]);
    expect(errors(retire({ name: "orders.v1", retired: true }))).toEqual([
      "environments/staging.ts: topics[2].reason: got undefined; must say why the topic's data may be deleted, in at least 10 characters",
    ]);
    expect(
      errors(
        retire({ name: "orders.v1", retired: true, reason: "replaced by orders.created", partitions: 3 }),
      ),
    ).toEqual([
      'environments/staging.ts: topics[2]: got ["partitions"]; a retired topic takes only name, retired and reason: remove the other fields',
    ]);
  });

  it("refuses a retired topic that Connect still reads, and patterns that match no declared topic", () => {
    const retired = withTopics(staging, [
      topicsOf(staging)[0],
      { name: "payments.settled", retired: true, reason: "moved to the ledger cluster" },
    ]);
    expect(errors(retired)).toEqual([
      'environments/staging.ts: connect.topics[1]: got "payments.settled"; names a retired topic (topics[] marks it retired: true): point it at a live topic',
      'environments/staging.ts: cluster.clientAccess.topicPatterns[1]: got "payments.*"; matches no declared topic (orders.created): declare the topics it is for, or remove the pattern',
    ]);
    expect(
      errors(withTopics(staging, [topicsOf(staging)[0], { name: "payments.refunded", partitions: 3 }])),
    ).toEqual([
      'environments/staging.ts: connect.topics[1]: got "payments.settled"; must be a declared topic (orders.created, payments.refunded): declare it in topics or fix the name',
    ]);
  });

  it("refuses more topics than the topic manager's IAM policy can name", () => {
    const many = Array.from({ length: 90 }, (_, i) => ({
      name: `orders.shard-${String(i).padStart(3, "0")}`,
      partitions: 1,
    }));
    expect(errors(withTopics(staging, [...topicsOf(staging), ...many]))).toEqual([
      expect.stringMatching(
        /^environments\/staging\.ts: topics: got "92 topics"; make the topic manager's IAM policy about \d+ characters, and IAM allows 10240 per role/,
      ),
    ]);
    expect(errors(withTopics(staging, [...topicsOf(staging), ...many.slice(0, 60)]))).toEqual([]);
  });

  it("refuses an empty list, and topicManager settings without topics", () => {
    expect(errors(withTopics(staging, []))[0]).toBe(
      "environments/staging.ts: topics: got []; must list at least one topic (or leave topics out to not manage topics)",
    );
    expect(errors({ ...dev, topicManager: { logRetentionDays: 30 } })).toEqual([
      'environments/dev.ts: topicManager: got {"logRetentionDays":30}; configures the topic manager, which exists only when topics are declared: declare topics or remove it',
    ]);
    expect(errors({ ...staging, topicManager: { logRetentionDays: 42 } })[0]).toContain(
      "topicManager.logRetentionDays: got 42; must be a retention CloudWatch Logs accepts",
    );
  });
});

describe("topics: configs, retention, compaction and tiered storage", () => {
  it("takes only Kafka topic configs, not the keys typed fields own, with values of the right type and version", () => {
    expect(errors(stagingTopic({ configs: { "retention.hours": "3" } }))).toEqual([
      'environments/staging.ts: topics[0].configs["retention.hours"]: got "3"; is not a Kafka topic-level config (see Kafka\'s Topic Configs: e.g. max.message.bytes, compression.type, segment.ms)',
    ]);
    expect(errors(stagingTopic({ configs: { "retention.ms": "3600000" } }))).toEqual([
      'environments/staging.ts: topics[0].configs["retention.ms"]: got "3600000"; is set by a typed field: use topics[0].retention.hours instead',
    ]);
    expect(
      errors(stagingTopic({ configs: { "compression.type": "brotli", "max.message.bytes": "2MB" } })),
    ).toEqual([
      'environments/staging.ts: topics[0].configs["compression.type"]: got "brotli"; must be one of "uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"',
      'environments/staging.ts: topics[0].configs["max.message.bytes"]: got "2MB"; must be an integer >= 0, as a string',
    ]);
    // Keys newer than the cluster's version are refused (every version MSK still creates runs 3.8 or later).
    const on38 = (config: EnvironmentConfig): EnvironmentConfig =>
      config.cluster.type === "provisioned"
        ? { ...config, cluster: { ...config.cluster, kafkaVersion: "3.8.x.kraft" } }
        : config;
    expect(errors(on38(stagingTopic({ configs: { "compression.zstd.level": "3" } })))).toEqual([]);
    expect(errors(on38(stagingTopic({ configs: { "remote.log.copy.disable": "true" } })))).toEqual([
      'environments/staging.ts: topics[0].configs["remote.log.copy.disable"]: got "true"; needs Kafka 3.9 or later (the cluster runs 3.8.x.kraft)',
    ]);
    expect(
      errors(
        stagingTopic({ configs: { "min.compaction.lag.ms": "600000", "max.compaction.lag.ms": "60000" } }),
      ),
    ).toEqual([
      'environments/staging.ts: topics[0].configs["max.compaction.lag.ms"]: got "60000"; must be >= min.compaction.lag.ms (600000); Kafka refuses the pair',
    ]);
    expect(errors(prodTopic({ configs: { "unclean.leader.election.enable": "true" } }))).toEqual([
      'environments/prod.ts: topics[0].configs["unclean.leader.election.enable"]: got "true"; must not be "true" in a production environment: an out-of-sync replica becoming leader loses acknowledged writes',
    ]);
  });

  it("checks retention values and refuses retention on a compact-only topic", () => {
    expect(errors(stagingTopic({ retention: { hours: 0, bytesPerPartition: 0.5 } }))).toEqual([
      'environments/staging.ts: topics[0].retention.hours: got 0; must be a positive number of hours (whole milliseconds, e.g. 0.5 for 30 minutes) or "unlimited"',
      'environments/staging.ts: topics[0].retention.bytesPerPartition: got 0.5; must be a whole number of bytes >= 1, or "unlimited"',
    ]);
    expect(
      errors(stagingTopic({ retention: { hours: "unlimited", bytesPerPartition: 1073741824 } })),
    ).toEqual([]);
    expect(errors(stagingTopic({ cleanupPolicy: "compact", retention: { hours: 24 } }))).toEqual([
      'environments/staging.ts: topics[0].retention: got {"hours":24}; has no effect on a topic whose cleanupPolicy is "compact" (compaction never deletes by age or size): use "compact,delete" or remove retention',
    ]);
  });

  it("applies MSK's tiered storage rules", () => {
    const tieredTopic = (changes: Partial<ManagedTopicConfig>, tiered = true) =>
      devWith([{ name: "dev.orders", partitions: 3, ...changes }], tiered);
    const remote = { "remote.storage.enable": "true" };
    expect(errors(tieredTopic({ retention: { hours: 72 }, configs: remote }, false))).toEqual([
      'environments/dev.ts: topics[0].configs["remote.storage.enable"]: got "true"; needs cluster.storageMode "TIERED" (tiered storage is off on this cluster)',
    ]);
    expect(errors(tieredTopic({ retention: { hours: 72 }, configs: remote }))).toEqual([]);
    expect(errors(tieredTopic({ configs: remote }))).toEqual([
      'environments/dev.ts: topics[0].retention.hours: got undefined; must be set with tiered storage (MSK requires a topic-level retention.ms of at least 72 hours, or "unlimited")',
    ]);
    expect(
      errors(tieredTopic({ retention: { hours: 48 }, cleanupPolicy: "compact,delete", configs: remote })),
    ).toEqual([
      'environments/dev.ts: topics[0].cleanupPolicy: got "compact,delete"; must be "delete" with tiered storage: Kafka has no tiered storage for compacted topics',
      'environments/dev.ts: topics[0].retention.hours: got 48; must be at least 72 hours with tiered storage (MSK minimum retention.ms: 3 days), or "unlimited"',
    ]);
    expect(
      errors(
        tieredTopic({
          retention: { hours: 72 },
          configs: {
            ...remote,
            "local.retention.ms": "259200000",
            "segment.bytes": "1048576",
            "segment.ms": "60000",
          },
        }),
      ),
    ).toEqual([
      'environments/dev.ts: topics[0].configs["local.retention.ms"]: got "259200000"; must be below retention.ms (259200000): MSK keeps local data for less than the total retention, or use -2 to keep it locally as long',
      'environments/dev.ts: topics[0].configs["segment.bytes"]: got "1048576"; must be at least 50331648 (48 MiB) with tiered storage (MSK minimum)',
      'environments/dev.ts: topics[0].configs["segment.ms"]: got "60000"; must be at least 600000 (10 minutes) with tiered storage (MSK minimum)',
    ]);
  });
});

describe("helpers for other modules' topic references", () => {
  it("tell whether a topic is declared and which declared topics a pattern matches", () => {
    expect(declaredTopicNames(dev)).toBeUndefined();
    expect(declaredTopicNames(prod)).toEqual(["orders.created", "payments.settled", "payments.balances"]);
    expect(declaredTopicsMatching(prod, "payments.*")).toEqual(["payments.settled", "payments.balances"]);
    expect(patternMatchesDeclaredTopic(prod, "refunds.*")).toBe(false);
    expect(isDeclaredTopic(prod, "orders.created")).toBe(true);
    expect(isDeclaredTopic(prod, "orders")).toBe(false);
  });
});
