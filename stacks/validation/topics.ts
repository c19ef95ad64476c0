/**
 * Topics as code: the `topics` section, and the rule that declared topics drive the rest (Connect's topics,
 * the client policies' topic patterns and, later, consumers must name declared topics).
 */
import type { EnvironmentConfig, ManagedTopicConfig, ProvisionedClusterConfig, TopicConfig } from "../config";
import { topicConfigsOf } from "../defaults";
import { isExpressBroker } from "./aws-limits";
import type { Checker } from "./checker";
import { supportsTopicApi, TOPIC_API_MINIMUM_VERSION } from "./kafka-versions";
import { matchesPattern, patternProblem, topicNameProblem } from "./names";
import {
  IAM_ROLE_INLINE_POLICY_CHARS,
  kafkaMajorMinor,
  PARTITIONS_PER_BROKER,
  PARTITIONS_SOURCE,
  TIERED_STORAGE,
  TOPIC_CONFIG_KEYS,
  TOPIC_MANAGER_POLICY_OVERHEAD_CHARS,
  type TopicConfigKey,
  TYPED_TOPIC_CONFIGS,
  versionBefore,
} from "./topic-limits";

const HOUR_MS = 3_600_000;
const MIN_REASON_LENGTH = 10;

type Managed = ManagedTopicConfig;

const isRetired = (topic: TopicConfig): boolean => (topic as { retired?: unknown }).retired === true;

/** Names of the declared (not retired) topics; undefined when the environment does not manage topics. */
export function declaredTopicNames(config: EnvironmentConfig): readonly string[] | undefined {
  if (!Array.isArray(config.topics)) return undefined;
  return config.topics
    .filter((t) => typeof t === "object" && t !== null && !isRetired(t))
    .map((t) => t.name)
    .filter((name): name is string => typeof name === "string");
}

/** True when `name` is a declared, live topic of the environment. */
export function isDeclaredTopic(config: EnvironmentConfig, name: string): boolean {
  return declaredTopicNames(config)?.includes(name) ?? false;
}

/** The declared topics a pattern (optional trailing `*`) matches. */
export function declaredTopicsMatching(config: EnvironmentConfig, pattern: string): string[] {
  return (declaredTopicNames(config) ?? []).filter((name) => matchesPattern(name, pattern));
}

/** True when a pattern matches at least one declared topic. */
export function patternMatchesDeclaredTopic(config: EnvironmentConfig, pattern: string): boolean {
  return declaredTopicsMatching(config, pattern).length > 0;
}

const retiredNames = (config: EnvironmentConfig): string[] =>
  (config.topics ?? []).filter(isRetired).map((t) => t.name);

/**
 * Records an issue when topics are managed and `name` (at `path`) is not a declared, live topic. A no-op
 * for environments that do not declare topics. For other modules' topic references (consumers).
 */
export function requireDeclaredTopic(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  name: string,
): boolean {
  const declared = declaredTopicNames(config);
  if (declared === undefined || declared.includes(name)) return true;
  const retired = retiredNames(config).includes(name);
  return c.check(
    false,
    path,
    name,
    retired
      ? "names a retired topic (topics[] marks it retired: true): point it at a live topic"
      : `must be a declared topic (${declared.join(", ")}): declare it in topics or fix the name`,
  );
}

/** Records an issue when topics are managed and `pattern` (at `path`) matches no declared, live topic. */
export function requireDeclaredPattern(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  pattern: string,
): boolean {
  const declared = declaredTopicNames(config);
  if (declared === undefined || patternMatchesDeclaredTopic(config, pattern)) return true;
  return c.check(
    false,
    path,
    pattern,
    `matches no declared topic (${declared.join(", ")}): declare the topics it is for, or remove the pattern`,
  );
}

/** A config value as Kafka would parse it for its type; the problem, or undefined. */
function configValueProblem(key: TopicConfigKey, value: unknown): string | undefined {
  if (typeof value !== "string" || value.trim() !== value || value === "")
    return "must be a non-empty string without surrounding spaces";
  const check = key.check;
  switch (check.type) {
    case "long":
      return /^-?\d+$/.test(value) && Number(value) >= check.min && Number.isSafeInteger(Number(value))
        ? undefined
        : `must be an integer >= ${check.min}, as a string`;
    case "ratio":
      return /^\d+(\.\d+)?$/.test(value) && Number(value) <= 1
        ? undefined
        : 'must be a number between 0 and 1, as a string (e.g. "0.5")';
    case "boolean":
      return value === "true" || value === "false" ? undefined : 'must be "true" or "false"';
    case "enum":
      return check.values.includes(value)
        ? undefined
        : `must be one of ${check.values.map((v) => `"${v}"`).join(", ")}`;
    case "list":
      return /^[^,\s]+(,[^,\s]+)*$/.test(value) ? undefined : "must be a comma-separated list without spaces";
  }
}

/** Cluster facts the topic rules need, when the cluster section is usable. */
interface ClusterFacts {
  readonly production: boolean;
  readonly brokers?: number;
  readonly instanceType?: string;
  readonly kafkaVersion?: readonly [number, number];
  readonly kafkaVersionText: string;
  readonly tiered: boolean;
  readonly express: boolean;
  readonly defaultRf?: number;
  readonly minIsr?: number;
}

function clusterFacts(config: EnvironmentConfig, cluster: ProvisionedClusterConfig): ClusterFacts {
  const network = config.network;
  const azs =
    network?.mode === "create"
      ? network.availabilityZones
      : network?.mode === "existing"
        ? network.privateSubnets
        : undefined;
  const brokers =
    Array.isArray(azs) && Number.isInteger(cluster.brokersPerAz) && cluster.brokersPerAz >= 1
      ? cluster.brokersPerAz * azs.length
      : undefined;
  const declaredRf = cluster.kafka?.defaultReplicationFactor;
  const defaultRf =
    declaredRf !== undefined ? declaredRf : brokers === undefined ? undefined : Math.min(3, brokers);
  const azCount = Array.isArray(azs) ? azs.length : 0;
  const minIsr =
    cluster.kafka?.minInsyncReplicas ??
    (defaultRf === undefined || azCount === 0
      ? undefined
      : Math.max(1, defaultRf - Math.ceil(defaultRf / azCount)));
  const version = typeof cluster.kafkaVersion === "string" ? cluster.kafkaVersion : "";
  return {
    production: config.production === true,
    brokers,
    instanceType: typeof cluster.instanceType === "string" ? cluster.instanceType : undefined,
    kafkaVersion: kafkaMajorMinor(version),
    kafkaVersionText: version,
    tiered: cluster.storageMode === "TIERED",
    express: typeof cluster.instanceType === "string" && isExpressBroker(cluster.instanceType),
    defaultRf,
    minIsr,
  };
}

function validateName(c: Checker, path: string, name: unknown): boolean {
  if (!c.problem(path, name, topicNameProblem(name))) return false;
  return c.check(
    !(name as string).startsWith("__"),
    path,
    name,
    "must not start with \"__\": that prefix is Kafka's and MSK's own (__consumer_offsets, __amazon_msk_*)",
  );
}

function validateRetention(c: Checker, path: string, topic: Managed): void {
  const retention = topic.retention;
  if (retention === undefined) return;
  if (
    !c.check(
      typeof retention === "object" && retention !== null,
      `${path}.retention`,
      retention,
      "must be an object { hours?, bytesPerPartition? }",
    )
  )
    return;
  const { hours, bytesPerPartition } = retention;
  if (hours !== undefined && hours !== "unlimited") {
    c.check(
      typeof hours === "number" && hours > 0 && Number.isInteger(hours * HOUR_MS),
      `${path}.retention.hours`,
      hours,
      'must be a positive number of hours (whole milliseconds, e.g. 0.5 for 30 minutes) or "unlimited"',
    );
  }
  if (bytesPerPartition !== undefined && bytesPerPartition !== "unlimited") {
    c.check(
      typeof bytesPerPartition === "number" &&
        Number.isSafeInteger(bytesPerPartition) &&
        bytesPerPartition >= 1,
      `${path}.retention.bytesPerPartition`,
      bytesPerPartition,
      'must be a whole number of bytes >= 1, or "unlimited"',
    );
  }
  c.check(
    topic.cleanupPolicy !== "compact",
    `${path}.retention`,
    retention,
    'has no effect on a topic whose cleanupPolicy is "compact" (compaction never deletes by age or size): use "compact,delete" or remove retention',
  );
}

/** Keys of `configs`: known topic configs, not owned by a typed field, present in the cluster's Kafka version. */
function validateConfigs(c: Checker, path: string, topic: Managed, cluster: ClusterFacts): void {
  const configs = topic.configs;
  if (configs === undefined) return;
  if (
    !c.check(
      typeof configs === "object" && configs !== null && !Array.isArray(configs),
      `${path}.configs`,
      configs,
      "must be an object of config name -> string value",
    )
  )
    return;
  for (const [key, value] of Object.entries(configs)) {
    const keyPath = `${path}.configs["${key}"]`;
    const known = TOPIC_CONFIG_KEYS[key];
    if (
      !c.check(
        known !== undefined,
        keyPath,
        value,
        "is not a Kafka topic-level config (see Kafka's Topic Configs: e.g. max.message.bytes, compression.type, segment.ms)",
      )
    )
      continue;
    const typed = TYPED_TOPIC_CONFIGS[key];
    if (
      !c.check(typed === undefined, keyPath, value, `is set by a typed field: use ${path}.${typed} instead`)
    )
      continue;
    if (cluster.kafkaVersion !== undefined) {
      if (known.since !== undefined && versionBefore(cluster.kafkaVersion, known.since)) {
        c.check(
          false,
          keyPath,
          value,
          `needs Kafka ${known.since} or later (the cluster runs ${cluster.kafkaVersionText})`,
        );
        continue;
      }
      if (known.until !== undefined && !versionBefore(cluster.kafkaVersion, known.until)) {
        c.check(
          false,
          keyPath,
          value,
          `was removed in Kafka ${known.until} (the cluster runs ${cluster.kafkaVersionText}): remove it`,
        );
        continue;
      }
    }
    c.problem(keyPath, value, configValueProblem(known, value));
  }
  if (cluster.production) {
    c.check(
      configs["unclean.leader.election.enable"] !== "true",
      `${path}.configs["unclean.leader.election.enable"]`,
      configs["unclean.leader.election.enable"],
      'must not be "true" in a production environment: an out-of-sync replica becoming leader loses acknowledged writes',
    );
  }
  const minLag = Number(configs["min.compaction.lag.ms"] ?? 0);
  const maxLag = configs["max.compaction.lag.ms"];
  if (maxLag !== undefined && /^\d+$/.test(maxLag) && Number(maxLag) < minLag) {
    c.check(
      false,
      `${path}.configs["max.compaction.lag.ms"]`,
      maxLag,
      `must be >= min.compaction.lag.ms (${minLag}); Kafka refuses the pair`,
    );
  }
}

/** Tiered storage on a topic: MSK's rules for remote.storage.enable. */
function validateTiered(c: Checker, path: string, topic: Managed, cluster: ClusterFacts): void {
  const configs = topic.configs ?? {};
  if (configs["remote.storage.enable"] !== "true") return;
  const at = `${path}.configs["remote.storage.enable"]`;
  if (
    !c.check(
      cluster.tiered,
      at,
      "true",
      'needs cluster.storageMode "TIERED" (tiered storage is off on this cluster)',
    )
  )
    return;
  c.check(
    (topic.cleanupPolicy ?? "delete") === "delete",
    `${path}.cleanupPolicy`,
    topic.cleanupPolicy,
    'must be "delete" with tiered storage: Kafka has no tiered storage for compacted topics',
  );
  const effective = topicConfigsOf(topic);
  const retentionMs = effective["retention.ms"];
  if (
    c.check(
      retentionMs !== undefined,
      `${path}.retention.hours`,
      undefined,
      `must be set with tiered storage (MSK requires a topic-level retention.ms of at least ${TIERED_STORAGE.minRetentionMs / HOUR_MS} hours, or "unlimited")`,
    )
  ) {
    c.check(
      retentionMs === "-1" || Number(retentionMs) >= TIERED_STORAGE.minRetentionMs,
      `${path}.retention.hours`,
      topic.retention?.hours,
      `must be at least ${TIERED_STORAGE.minRetentionMs / HOUR_MS} hours with tiered storage (MSK minimum retention.ms: 3 days), or "unlimited"`,
    );
  }
  const pairs: [string, string][] = [
    ["local.retention.ms", "retention.ms"],
    ["local.retention.bytes", "retention.bytes"],
  ];
  for (const [local, total] of pairs) {
    const localValue = configs[local];
    const totalValue = effective[total];
    if (localValue === undefined || localValue === "-2" || totalValue === undefined || totalValue === "-1")
      continue;
    c.check(
      Number(localValue) < Number(totalValue),
      `${path}.configs["${local}"]`,
      localValue,
      `must be below ${total} (${totalValue}): MSK keeps local data for less than the total retention, or use -2 to keep it locally as long`,
    );
  }
  const segmentBytes = configs["segment.bytes"];
  if (segmentBytes !== undefined) {
    c.check(
      Number(segmentBytes) >= TIERED_STORAGE.minSegmentBytes,
      `${path}.configs["segment.bytes"]`,
      segmentBytes,
      `must be at least ${TIERED_STORAGE.minSegmentBytes} (48 MiB) with tiered storage (MSK minimum)`,
    );
  }
  const segmentMs = configs["segment.ms"];
  if (segmentMs !== undefined) {
    c.check(
      Number(segmentMs) >= TIERED_STORAGE.minSegmentMs,
      `${path}.configs["segment.ms"]`,
      segmentMs,
      `must be at least ${TIERED_STORAGE.minSegmentMs} (10 minutes) with tiered storage (MSK minimum)`,
    );
  }
}

/** Replication factor, min ISR and the production durability rule with its exception. */
function validateReplication(c: Checker, path: string, topic: Managed, cluster: ClusterFacts): void {
  let rf = cluster.defaultRf;
  if (topic.replicationFactor !== undefined) {
    rf = undefined;
    const max = cluster.brokers ?? Number.MAX_SAFE_INTEGER;
    if (
      c.check(
        Number.isInteger(topic.replicationFactor) &&
          topic.replicationFactor >= 1 &&
          topic.replicationFactor <= max,
        `${path}.replicationFactor`,
        topic.replicationFactor,
        cluster.brokers === undefined
          ? "must be an integer >= 1"
          : `must be an integer between 1 and the broker count (${cluster.brokers}): each replica needs its own broker`,
      )
    )
      rf = topic.replicationFactor;
  }
  // An inherited replication factor is the cluster's to get right (cluster.kafka has the Express rule too).
  if (rf !== undefined && cluster.express && topic.replicationFactor !== undefined) {
    if (
      !c.check(
        rf === 3,
        `${path}.replicationFactor`,
        rf,
        "must be 3 on express brokers (MSK fixes replication at 3)",
      )
    )
      rf = undefined;
  }
  let isr = cluster.minIsr;
  if (topic.minInsyncReplicas !== undefined) {
    isr = undefined;
    if (c.integer(`${path}.minInsyncReplicas`, topic.minInsyncReplicas, 1)) {
      isr = topic.minInsyncReplicas;
      if (
        rf !== undefined &&
        !c.check(
          isr <= rf,
          `${path}.minInsyncReplicas`,
          isr,
          `must be at most the topic's replication factor (${rf}), or every acks=all write fails`,
        )
      )
        isr = undefined;
    }
  } else if (rf !== undefined && isr !== undefined && isr > rf) {
    c.check(
      false,
      `${path}.replicationFactor`,
      rf,
      `is below the cluster's min.insync.replicas (${isr}), which this topic inherits, so every acks=all write fails: set ${path}.minInsyncReplicas to at most ${rf} or raise the replication factor`,
    );
    isr = undefined;
  }
  const exception = topic.durabilityException;
  if (exception !== undefined) {
    c.check(
      typeof exception === "object" &&
        exception !== null &&
        typeof exception.reason === "string" &&
        exception.reason.trim().length >= MIN_REASON_LENGTH,
      `${path}.durabilityException.reason`,
      exception?.reason,
      `must say why, in at least ${MIN_REASON_LENGTH} characters`,
    );
  }
  if (!cluster.production) {
    c.check(
      exception === undefined,
      `${path}.durabilityException`,
      exception,
      "applies to production environments only: remove it (outside production replication factor and min.insync.replicas are free)",
    );
    return;
  }
  if (rf === undefined || isr === undefined) return;
  // Values inherited from the cluster are the cluster's to get right (cluster.kafka has the same rule).
  const weakRf = rf < 3 && topic.replicationFactor !== undefined;
  const weakIsr = isr < 2 && topic.minInsyncReplicas !== undefined;
  if (weakRf || weakIsr) {
    c.check(
      exception !== undefined,
      weakRf ? `${path}.replicationFactor` : `${path}.minInsyncReplicas`,
      weakRf ? rf : isr,
      `must keep replication factor >= 3 and min.insync.replicas >= 2 in a production environment (this topic: ${rf} / ${isr}); if this topic may lose data, declare durabilityException: { reason: "..." } next to it`,
    );
  } else if (rf >= 3 && isr >= 2) {
    c.check(
      exception === undefined,
      `${path}.durabilityException`,
      exception,
      `is not needed: the topic keeps replication factor ${rf} and min.insync.replicas ${isr}; remove it`,
    );
  }
}

function validateManaged(c: Checker, path: string, topic: Managed, cluster: ClusterFacts): void {
  c.integer(`${path}.partitions`, topic.partitions, 1);
  validateReplication(c, path, topic, cluster);
  if (topic.cleanupPolicy !== undefined) {
    c.oneOf(`${path}.cleanupPolicy`, topic.cleanupPolicy, ["delete", "compact", "compact,delete"]);
  }
  validateRetention(c, path, topic);
  validateConfigs(c, path, topic, cluster);
  validateTiered(c, path, topic, cluster);
  if (topic.assumedIngressMBps !== undefined) {
    c.check(
      typeof topic.assumedIngressMBps === "number" &&
        topic.assumedIngressMBps > 0 &&
        Number.isFinite(topic.assumedIngressMBps),
      `${path}.assumedIngressMBps`,
      topic.assumedIngressMBps,
      "must be a positive number of MB/s",
    );
  }
}

function validateRetired(c: Checker, path: string, topic: TopicConfig): void {
  const extra = Object.keys(topic).filter((k) => !["name", "retired", "reason"].includes(k));
  c.check(
    extra.length === 0,
    path,
    extra,
    "a retired topic takes only name, retired and reason: remove the other fields",
  );
  const reason = (topic as { reason?: unknown }).reason;
  c.check(
    typeof reason === "string" && reason.trim().length >= MIN_REASON_LENGTH,
    `${path}.reason`,
    reason,
    `must say why the topic's data may be deleted, in at least ${MIN_REASON_LENGTH} characters`,
  );
}

/** Partition replicas per broker, every declared topic counted, against MSK's recommendation. */
function validateCapacity(
  c: Checker,
  topics: readonly Managed[],
  cluster: ClusterFacts,
  paths: ReadonlyMap<Managed, string>,
): void {
  if (cluster.brokers === undefined || cluster.instanceType === undefined || cluster.defaultRf === undefined)
    return;
  const limit = PARTITIONS_PER_BROKER[cluster.instanceType];
  if (limit === undefined) return;
  const brokers = cluster.brokers;
  const sized = topics.filter(
    (t) =>
      Number.isInteger(t.partitions) &&
      t.partitions >= 1 &&
      (t.replicationFactor === undefined || Number.isInteger(t.replicationFactor)),
  );
  const replicas = (t: Managed) => t.partitions * (t.replicationFactor ?? cluster.defaultRf ?? 1);
  const perBroker = (n: number) => Math.ceil(n / brokers);
  const allowed = `MSK recommends at most ${limit.recommended} partition replicas (leaders and followers) per ${cluster.instanceType} broker (${PARTITIONS_SOURCE})`;
  const alone = sized.filter((t) => perBroker(replicas(t)) > limit.recommended);
  for (const topic of alone) {
    c.check(
      false,
      `${paths.get(topic)}.partitions`,
      topic.partitions,
      `gives ${replicas(topic)} partition replicas (x replication factor ${topic.replicationFactor ?? cluster.defaultRf}), ${perBroker(replicas(topic))} per broker on ${brokers} brokers; ${allowed}: lower the partitions or add brokers`,
    );
  }
  if (alone.length > 0) return;
  const total = sized.reduce((sum, t) => sum + replicas(t), 0);
  const largest = [...sized].sort((a, b) => replicas(b) - replicas(a)).slice(0, 3);
  c.check(
    perBroker(total) <= limit.recommended,
    "topics",
    `${perBroker(total)} partition replicas per broker`,
    `${allowed}; the declared topics need ${total} replicas over ${brokers} brokers (largest: ${largest.map((t) => `${t.name} ${replicas(t)}`).join(", ")}): lower partitions or add brokers`,
  );
}

/** The topic manager's role names every topic ARN: all of them must fit IAM's inline policy size. */
function validatePolicySize(c: Checker, config: EnvironmentConfig, names: readonly string[]): void {
  if (typeof config.name !== "string" || typeof config.region !== "string") return;
  const project = config.project ?? "msk-platform";
  // Cluster UUIDs look like "<36-character uuid>-<n>": counted at 40 to stay on the safe side.
  const arn = (name: string) =>
    `"arn:aws-us-gov:kafka:${config.region}:${config.accountId}:topic/${project}-${config.name}/${"x".repeat(40)}/${name}",`;
  const size = TOPIC_MANAGER_POLICY_OVERHEAD_CHARS + names.reduce((n, name) => n + arn(name).length, 0);
  c.check(
    size <= IAM_ROLE_INLINE_POLICY_CHARS,
    "topics",
    `${names.length} topics`,
    `make the topic manager's IAM policy about ${size} characters, and IAM allows ${IAM_ROLE_INLINE_POLICY_CHARS} per role (one ARN per declared or retired topic): remove retired topics that are gone, or split topics across clusters`,
  );
}

/** Connect's topics and the client policies' topic patterns must name declared topics. */
function validateReferences(c: Checker, config: EnvironmentConfig): void {
  const connectTopics = config.connect?.topics;
  const patterns = config.cluster?.clientAccess?.topicPatterns;
  const validPatterns = Array.isArray(patterns) && patterns.every((p) => patternProblem(p) === undefined);
  if (Array.isArray(connectTopics)) {
    connectTopics.forEach((topic, i) => {
      if (topicNameProblem(topic) !== undefined) return;
      // A sink topic no client pattern covers is already refused (connect.ts): one mistake, one error.
      if (validPatterns && !patterns.some((p) => matchesPattern(topic as string, p))) return;
      requireDeclaredTopic(c, config, `connect.topics[${i}]`, topic as string);
    });
  }
  if (Array.isArray(patterns)) {
    patterns.forEach((pattern, i) => {
      if (patternProblem(pattern) === undefined)
        requireDeclaredPattern(c, config, `cluster.clientAccess.topicPatterns[${i}]`, pattern as string);
    });
  }
}

/** The `topics` and `topicManager` sections. */
export function validateTopics(c: Checker, config: EnvironmentConfig): void {
  const topics = config.topics;
  if (topics === undefined) {
    c.check(
      config.topicManager === undefined,
      "topicManager",
      config.topicManager,
      "configures the topic manager, which exists only when topics are declared: declare topics or remove it",
    );
    return;
  }
  if (!c.list("topics", topics, "topic (or leave topics out to not manage topics)")) return;
  const cluster = config.cluster;
  if (cluster?.type === "serverless") {
    c.check(
      false,
      "topics",
      `${topics.length} topics`,
      "cannot be managed on an MSK Serverless cluster: the MSK topic API (CreateTopic, UpdateTopic, ...) exists only for provisioned clusters; create serverless topics with a Kafka admin client, or remove topics",
    );
    return;
  }
  if (cluster?.type !== "provisioned") return;
  const facts = clusterFacts(config, cluster);
  if (typeof cluster.kafkaVersion === "string" && !supportsTopicApi(cluster.kafkaVersion, "provisioned")) {
    c.check(
      false,
      "cluster.kafkaVersion",
      cluster.kafkaVersion,
      `must be ${TOPIC_API_MINIMUM_VERSION} or later while topics are declared: the MSK topic API needs it`,
    );
  }
  if (config.topicManager?.logRetentionDays !== undefined) {
    c.retentionDays("topicManager.logRetentionDays", config.topicManager.logRetentionDays);
  }

  const managed: Managed[] = [];
  const paths = new Map<Managed, string>();
  const seen = new Map<string, number>();
  const normalised = new Map<string, string>();
  topics.forEach((topic, i) => {
    const path = `topics[${i}]`;
    if (
      !c.check(
        typeof topic === "object" && topic !== null,
        path,
        topic,
        "must be a topic object { name, partitions, ... } or { name, retired: true, reason }",
      )
    )
      return;
    const retiredFlag = (topic as { retired?: unknown }).retired;
    if (retiredFlag !== undefined && !c.boolean(`${path}.retired`, retiredFlag)) return;
    if (validateName(c, `${path}.name`, topic.name)) {
      const first = seen.get(topic.name);
      if (
        c.check(
          first === undefined,
          `${path}.name`,
          topic.name,
          `is declared twice (also topics[${first}]): declare each topic once`,
        )
      ) {
        seen.set(topic.name, i);
        // Kafka refuses a topic whose name differs from another only by '.' versus '_' (metric names collide).
        const key = topic.name.replace(/\./g, "_");
        const twin = normalised.get(key);
        c.check(
          twin === undefined,
          `${path}.name`,
          topic.name,
          `collides with "${twin}" ('.' and '_' are the same in Kafka's metric names, so Kafka refuses the second): rename one`,
        );
        normalised.set(key, topic.name);
      }
    }
    if (isRetired(topic)) {
      validateRetired(c, path, topic);
      return;
    }
    const live = topic as Managed;
    managed.push(live);
    paths.set(live, path);
    validateManaged(c, path, live, facts);
  });
  validateCapacity(c, managed, facts, paths);
  validatePolicySize(
    c,
    config,
    topics.filter((t) => typeof t?.name === "string").map((t) => t.name),
  );
  validateReferences(c, config);
}
