import type {
  ClientAccessConfig,
  EnvironmentConfig,
  KafkaSettings,
  ProvisionedClusterConfig,
} from "../config";
import { partitionOf } from "../defaults";
import {
  AUTOSCALING_TARGET_PERCENT,
  BROKER_INSTANCE_TYPES,
  EBS_VOLUME_GIB,
  EXPRESS_FIXED,
  isExpressBroker,
  MSK_QUOTAS,
  PROVISIONED_THROUGHPUT_MAX_MIBPS,
  PROVISIONED_THROUGHPUT_RANGE,
} from "./aws-limits";
import type { Checker } from "./checker";
import { checkBucketName } from "./common";
import {
  type BrokerKind,
  KAFKA_VERSION_TABLE_AS_OF,
  kafkaVersionInfo,
  metadataModeOf,
  upgradePath,
  versionLifecycle,
  versionsForNewClusters,
} from "./kafka-versions";
import { patternProblem } from "./names";
import {
  CONFIGURABLE_PROPERTIES,
  EXPRESS_READ_ONLY,
  PROPERTY_SOURCES,
  propertyFamily,
  propertyValueProblem,
} from "./server-properties";

const INSTANCE_TYPES_TEXT =
  "kafka.t3.small, kafka.m5.{large,xlarge,2xlarge,4xlarge,8xlarge,12xlarge,16xlarge,24xlarge}, " +
  "kafka.m7g.{large,xlarge,2xlarge,4xlarge,8xlarge,12xlarge,16xlarge} or express.m7g.{same sizes as kafka.m7g}";
const SCRAM_USER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PCA_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FIREHOSE_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
const PROPERTY_NAME = /^[a-z0-9]+([._-][a-z0-9]+)*$/;
/** Server properties that have typed fields: setting them verbatim would bypass these checks. */
const TYPED_PROPERTIES: Readonly<Record<string, string>> = {
  "default.replication.factor": "cluster.kafka.defaultReplicationFactor",
  "min.insync.replicas": "cluster.kafka.minInsyncReplicas",
  "auto.create.topics.enable": "cluster.kafka.autoCreateTopics",
  "log.retention.hours": "cluster.kafka.logRetentionHours",
  "message.max.bytes": "cluster.kafka.messageMaxBytes",
  "num.partitions": "cluster.kafka.defaultPartitions",
  "unclean.leader.election.enable": "(always false: replicas outside the ISR never become leader)",
};

/** The AZ count when the network section is usable, so broker totals are only computed from valid data. */
function azCountOf(config: EnvironmentConfig): number | undefined {
  const network = config.network;
  const azs =
    network?.mode === "create"
      ? network.availabilityZones
      : network?.mode === "existing"
        ? network.privateSubnets
        : undefined;
  if (!Array.isArray(azs) || azs.length < 2 || azs.length > 3) return undefined;
  return azs.length;
}

/** Topic and consumer-group patterns of the exported client policies. */
export function validateClientAccess(c: Checker, access: ClientAccessConfig | undefined): void {
  const topics = access?.topicPatterns;
  if (c.list("cluster.clientAccess.topicPatterns", topics, "topic pattern")) {
    const ok = topics
      .map((p, i) => c.problem(`cluster.clientAccess.topicPatterns[${i}]`, p, patternProblem(p)))
      .every(Boolean);
    if (ok) c.unique("cluster.clientAccess.topicPatterns", topics);
  }
  const groups = access?.consumerGroupPatterns;
  if (c.list("cluster.clientAccess.consumerGroupPatterns", groups, "consumer group pattern", true)) {
    const ok = groups
      .map((p, i) => c.problem(`cluster.clientAccess.consumerGroupPatterns[${i}]`, p, patternProblem(p)))
      .every(Boolean);
    if (ok) c.unique("cluster.clientAccess.consumerGroupPatterns", groups);
  }
}

/**
 * The Kafka version against the dated version table: offered for new clusters on this broker kind, and how
 * close it is to end of support on `today` (a warning, never an error). Returns true when usable.
 */
function validateVersion(c: Checker, cluster: ProvisionedClusterConfig, kind: BrokerKind): boolean {
  const path = "cluster.kafkaVersion";
  const version = cluster.kafkaVersion;
  const table = c.context.kafkaVersions;
  const offered = versionsForNewClusters(kind, table);
  const info = typeof version === "string" ? kafkaVersionInfo(version, table) : undefined;
  if (
    !c.check(
      info !== undefined,
      path,
      version,
      `must be a Kafka version MSK supports for new clusters: ${offered.join(", ")} (".kraft" runs without ZooKeeper; table of ${KAFKA_VERSION_TABLE_AS_OF} in stacks/validation/kafka-versions.ts)`,
    ) ||
    info === undefined
  ) {
    return false;
  }
  if (
    !c.check(
      info.newClusters,
      path,
      version,
      `${info.endOfSupport ? `reached end of support on ${info.endOfSupport} and ` : ""}MSK no longer creates clusters on it: ${upgradePath(version, kind, table)}`,
    )
  ) {
    return false;
  }
  if (
    !c.check(
      info.brokerKinds.includes(kind),
      path,
      version,
      `does not run on ${kind === "express" ? "Express" : "Standard"} brokers: use ${offered.join(", ")}`,
    )
  ) {
    return false;
  }
  const lifecycle = versionLifecycle(version, c.context.today, table);
  if (lifecycle.state === "ended") {
    c.warn(
      "kafka-version-end-of-support",
      path,
      version,
      `reached end of support on ${lifecycle.endOfSupport} and AWS phases out new clusters on it: ${upgradePath(version, kind, table)}`,
    );
  } else if (lifecycle.state === "ending") {
    c.warn(
      "kafka-version-end-of-support",
      path,
      version,
      `reaches end of support on ${lifecycle.endOfSupport}, in ${lifecycle.days} day${lifecycle.days === 1 ? "" : "s"}: ${upgradePath(version, kind, table)}`,
    );
  }
  return true;
}

/** Raised quotas the environment declares: positive integers. */
export function validateQuotas(c: Checker, config: EnvironmentConfig): void {
  const quotas = config.quotas;
  if (quotas === undefined) return;
  if (!c.check(typeof quotas === "object" && quotas !== null, "quotas", quotas, "must be an object")) return;
  for (const key of Object.keys(quotas)) {
    c.oneOf(`quotas.${key}`, key, Object.keys(MSK_QUOTAS));
  }
  if (quotas.brokersPerCluster !== undefined)
    c.integer("quotas.brokersPerCluster", quotas.brokersPerCluster, 1);
  if (quotas.brokersPerAccount !== undefined)
    c.integer("quotas.brokersPerAccount", quotas.brokersPerAccount, 1);
}

/** The broker total against the cluster quota: a declared raise is a limit, the AWS default a warning. */
function checkBrokerQuota(
  c: Checker,
  config: EnvironmentConfig,
  cluster: ProvisionedClusterConfig,
  azCount: number,
) {
  const mode = metadataModeOf(cluster.kafkaVersion);
  const total = cluster.brokersPerAz * azCount;
  const declared = config.quotas?.brokersPerCluster;
  const quota = MSK_QUOTAS.brokersPerCluster;
  if (declared !== undefined) {
    if (Number.isInteger(declared) && declared >= 1) {
      c.check(
        total <= declared,
        "cluster.brokersPerAz",
        cluster.brokersPerAz,
        `gives ${total} brokers across ${azCount} AZs, above the raised quota declared in quotas.brokersPerCluster (${declared}): raise the quota in Service Quotas first, then the declaration`,
      );
    }
    return;
  }
  const limit = quota.defaults[mode];
  if (total > limit) {
    c.warn(
      "msk-quota",
      "cluster.brokersPerAz",
      cluster.brokersPerAz,
      `gives ${total} brokers across ${azCount} AZs, above the default Amazon MSK quota "${quota.name}" (${limit} with ${mode === "kraft" ? "KRaft" : "ZooKeeper"}${mode === "kraft" ? "" : `; ${quota.defaults.kraft} with a ".kraft" version`}): CreateCluster fails unless the quota is raised; request it in Service Quotas and declare it as quotas.brokersPerCluster in the environment file`,
    );
  }
}

/** Broker count, instance type, storage and throughput. */
function validateSizing(c: Checker, config: EnvironmentConfig, cluster: ProvisionedClusterConfig): void {
  // Problems are reported in field order (kafkaVersion, brokersPerAz, instanceType); the version check
  // needs the broker kind, so the type is looked at before it is reported.
  const typeKnown = BROKER_INSTANCE_TYPES.includes(cluster.instanceType);
  const express = typeKnown && isExpressBroker(cluster.instanceType);
  const versionOk = validateVersion(c, cluster, express ? "express" : "standard");
  const azCount = azCountOf(config);
  if (c.integer("cluster.brokersPerAz", cluster.brokersPerAz, 1) && versionOk && azCount !== undefined) {
    checkBrokerQuota(c, config, cluster, azCount);
  }
  const typeOk = c.check(
    typeKnown,
    "cluster.instanceType",
    cluster.instanceType,
    `must be an MSK broker type: ${INSTANCE_TYPES_TEXT}`,
  );
  if (express && azCount !== undefined) {
    c.check(
      azCount === 3,
      "cluster.instanceType",
      cluster.instanceType,
      "express brokers need 3 availability zones: list 3 AZs or use a kafka.m7g.* broker",
    );
  }
  const volume = cluster.volumeSizeGiB;
  if (express) {
    c.check(
      volume === undefined,
      "cluster.volumeSizeGiB",
      volume,
      "express brokers have no EBS volume (MSK manages their storage): remove it",
    );
  }
  const volumeOk =
    !express && c.integer("cluster.volumeSizeGiB", volume, EBS_VOLUME_GIB.min, EBS_VOLUME_GIB.max);

  const throughput = cluster.provisionedThroughputMiBps;
  if (
    !express &&
    throughput !== undefined &&
    c.integer(
      "cluster.provisionedThroughputMiBps",
      throughput,
      PROVISIONED_THROUGHPUT_RANGE.min,
      PROVISIONED_THROUGHPUT_RANGE.max,
    ) &&
    typeOk
  ) {
    const max = PROVISIONED_THROUGHPUT_MAX_MIBPS[cluster.instanceType];
    if (
      c.check(
        max !== undefined,
        "cluster.provisionedThroughputMiBps",
        throughput,
        `needs a kafka.m5.4xlarge, kafka.m7g.2xlarge or larger broker (instanceType is ${cluster.instanceType}): remove it or choose a larger broker`,
      )
    ) {
      c.check(
        throughput <= max,
        "cluster.provisionedThroughputMiBps",
        throughput,
        `must be at most ${max} on ${cluster.instanceType} (the broker's EBS bandwidth)`,
      );
      if (volumeOk && volume !== undefined) {
        c.check(
          volume >= 10,
          "cluster.provisionedThroughputMiBps",
          throughput,
          `needs volumeSizeGiB of at least 10 (it is ${volume})`,
        );
      }
    }
  }

  if (
    cluster.storageMode !== undefined &&
    c.oneOf("cluster.storageMode", cluster.storageMode, ["LOCAL", "TIERED"])
  ) {
    if (cluster.storageMode === "TIERED" && typeOk) {
      const tiered = c.check(
        cluster.instanceType !== "kafka.t3.small" && !express,
        "cluster.storageMode",
        cluster.storageMode,
        `TIERED is not available on ${cluster.instanceType}: use "LOCAL" or a kafka.m5/m7g broker`,
      );
      const info = kafkaVersionInfo(cluster.kafkaVersion);
      if (tiered && versionOk && info) {
        c.check(
          info.tieredStorage,
          "cluster.storageMode",
          cluster.storageMode,
          `TIERED needs a tiered-storage version (3.6.0 or later), and ${cluster.kafkaVersion} is not one`,
        );
      }
    }
  }

  const autoscaling = cluster.storageAutoscaling;
  if (express) {
    c.check(
      throughput === undefined,
      "cluster.provisionedThroughputMiBps",
      throughput,
      "express brokers manage storage throughput themselves: remove it",
    );
    c.check(
      autoscaling === undefined,
      "cluster.storageAutoscaling",
      autoscaling,
      "express brokers manage storage themselves: remove it",
    );
    return;
  }
  if (autoscaling === undefined) return;
  if (
    c.integer(
      "cluster.storageAutoscaling.maxVolumeSizeGiB",
      autoscaling.maxVolumeSizeGiB,
      EBS_VOLUME_GIB.min,
      EBS_VOLUME_GIB.max,
    ) &&
    volumeOk &&
    volume !== undefined
  ) {
    c.check(
      autoscaling.maxVolumeSizeGiB > volume,
      "cluster.storageAutoscaling.maxVolumeSizeGiB",
      autoscaling.maxVolumeSizeGiB,
      `must be greater than cluster.volumeSizeGiB (${volume}), or autoscaling can never grow the volume`,
    );
  }
  if (autoscaling.targetUtilizationPercent !== undefined) {
    c.integer(
      "cluster.storageAutoscaling.targetUtilizationPercent",
      autoscaling.targetUtilizationPercent,
      AUTOSCALING_TARGET_PERCENT.min,
      AUTOSCALING_TARGET_PERCENT.max,
    );
  }
}

/** Encryption in transit and client authentication, including public access. */
function validateAccess(c: Checker, config: EnvironmentConfig, cluster: ProvisionedClusterConfig): void {
  const clientBroker = cluster.clientBroker ?? "TLS";
  const brokerOk = c.oneOf("cluster.clientBroker", clientBroker, ["TLS", "TLS_PLAINTEXT", "PLAINTEXT"]);
  const auth = cluster.auth ?? { iam: true };
  const iam = auth.iam ?? true;
  const unauthenticated = auth.unauthenticated ?? false;
  c.boolean("cluster.auth.iam", iam);
  c.boolean("cluster.auth.unauthenticated", unauthenticated);
  let scram = false;
  if (auth.scram !== undefined) {
    const users = auth.scram?.users;
    if (c.list("cluster.auth.scram.users", users, "SCRAM user")) {
      scram = true;
      const ok = users
        .map((user, i) =>
          c.pattern(
            `cluster.auth.scram.users[${i}]`,
            user,
            SCRAM_USER,
            "a user name of 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
          ),
        )
        .every(Boolean);
      if (ok) c.unique("cluster.auth.scram.users", users);
      const associated = auth.scram?.associatedUsers;
      if (
        ok &&
        associated !== undefined &&
        c.list("cluster.auth.scram.associatedUsers", associated, "SCRAM user", true)
      ) {
        const known = associated
          .map((user, i) =>
            c.check(
              typeof user === "string" && users.includes(user),
              `cluster.auth.scram.associatedUsers[${i}]`,
              user,
              `must be one of cluster.auth.scram.users (${users.join(", ")}): a user gets its secret first, then is associated once the secret holds a value`,
            ),
          )
          .every(Boolean);
        if (known) c.unique("cluster.auth.scram.associatedUsers", associated);
      }
    }
  }
  let mutualTls = false;
  if (auth.mutualTls !== undefined) {
    const arns = auth.mutualTls?.certificateAuthorityArns;
    if (c.list("cluster.auth.mutualTls.certificateAuthorityArns", arns, "ACM Private CA ARN")) {
      mutualTls = true;
      const partition = typeof config.region === "string" ? partitionOf(config.region) : "";
      const ok = arns
        .map(
          (arn, i) =>
            c.pattern(
              `cluster.auth.mutualTls.certificateAuthorityArns[${i}]`,
              arn,
              PCA_ARN,
              'an ACM Private CA ARN such as "arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/<uuid>"',
            ) &&
            c.check(
              partition === "" || (arn as string).split(":")[1] === partition,
              `cluster.auth.mutualTls.certificateAuthorityArns[${i}]`,
              arn,
              `must be in the environment's partition "${partition}"`,
            ),
        )
        .every(Boolean);
      if (ok) c.unique("cluster.auth.mutualTls.certificateAuthorityArns", arns);
    }
  }
  const sasl = iam === true || scram;
  // With a flag of the wrong type (already reported) whether any mode is on is unknown.
  if (typeof iam === "boolean" && typeof unauthenticated === "boolean") {
    c.check(
      sasl || mutualTls || unauthenticated,
      "cluster.auth",
      cluster.auth,
      "must enable at least one of iam, scram, mutualTls or unauthenticated",
    );
  }
  if (brokerOk) {
    if (config.production) {
      c.check(
        clientBroker === "TLS",
        "cluster.clientBroker",
        clientBroker,
        'must be "TLS" in a production environment (no plaintext listener)',
      );
    } else if (clientBroker === "PLAINTEXT") {
      c.check(
        !sasl && !mutualTls,
        "cluster.clientBroker",
        clientBroker,
        'PLAINTEXT cannot carry IAM, SCRAM or mutual-TLS authentication (they need TLS): use "TLS"',
      );
    } else if (clientBroker === "TLS_PLAINTEXT") {
      c.check(
        unauthenticated === true,
        "cluster.clientBroker",
        clientBroker,
        'TLS_PLAINTEXT adds a plaintext listener that only unauthenticated clients can use: use "TLS", or set cluster.auth.unauthenticated to true',
      );
    }
  }
  if (config.production) {
    c.check(
      unauthenticated !== true,
      "cluster.auth.unauthenticated",
      unauthenticated,
      "must be false in a production environment: authenticate clients with iam, scram or mutualTls",
    );
  }

  if (cluster.publicAccess === undefined || !c.boolean("cluster.publicAccess", cluster.publicAccess)) return;
  if (!cluster.publicAccess) return;
  c.check(
    config.network?.mode !== "create",
    "cluster.publicAccess",
    true,
    'needs brokers in public subnets, and network.mode "create" puts them in private subnets: use network.mode "existing" with public subnets, or keep it false',
  );
  c.check(
    unauthenticated !== true && (sasl || mutualTls),
    "cluster.publicAccess",
    true,
    "needs iam, scram or mutualTls authentication and cluster.auth.unauthenticated false",
  );
  c.check(
    clientBroker === "TLS",
    "cluster.publicAccess",
    true,
    'needs cluster.clientBroker "TLS" (MSK refuses public access while plaintext is on)',
  );
  if (scram || mutualTls) {
    c.check(
      cluster.kafka?.serverProperties?.["allow.everyone.if.no.acl.found"] === "false",
      "cluster.publicAccess",
      true,
      'with scram or mutualTls needs Kafka ACLs: set cluster.kafka.serverProperties["allow.everyone.if.no.acl.found"] to "false"',
    );
  }
}

/** Kafka server settings: replication, retention, sizes and verbatim properties. */
function validateKafka(c: Checker, config: EnvironmentConfig, cluster: ProvisionedClusterConfig): void {
  const kafka = cluster.kafka ?? {};
  const azCount = azCountOf(config);
  const express = isExpressBroker(cluster.instanceType);
  const brokers =
    Number.isInteger(cluster.brokersPerAz) && cluster.brokersPerAz >= 1 && azCount !== undefined
      ? cluster.brokersPerAz * azCount
      : undefined;
  const rfPath = "cluster.kafka.defaultReplicationFactor";
  const isrPath = "cluster.kafka.minInsyncReplicas";
  if (express) {
    // Express brokers fix both (read-only in MSK): any other value would silently not apply.
    if (kafka.defaultReplicationFactor !== undefined) {
      c.check(
        kafka.defaultReplicationFactor === EXPRESS_FIXED.replicationFactor,
        rfPath,
        kafka.defaultReplicationFactor,
        `is fixed at ${EXPRESS_FIXED.replicationFactor} on Express brokers (read-only in MSK): remove it or set ${EXPRESS_FIXED.replicationFactor}`,
      );
    }
    if (kafka.minInsyncReplicas !== undefined) {
      c.check(
        kafka.minInsyncReplicas === EXPRESS_FIXED.minInsyncReplicas,
        isrPath,
        kafka.minInsyncReplicas,
        `is fixed at ${EXPRESS_FIXED.minInsyncReplicas} on Express brokers (read-only in MSK): remove it or set ${EXPRESS_FIXED.minInsyncReplicas}`,
      );
    }
  } else {
    validateReplication(c, config, kafka, brokers);
  }
  if (kafka.autoCreateTopics !== undefined)
    c.boolean("cluster.kafka.autoCreateTopics", kafka.autoCreateTopics);
  if (kafka.logRetentionHours !== undefined) {
    c.integer("cluster.kafka.logRetentionHours", kafka.logRetentionHours, 1);
  }
  if (kafka.messageMaxBytes !== undefined) {
    c.integer("cluster.kafka.messageMaxBytes", kafka.messageMaxBytes, 1, 2147483647);
  }
  if (kafka.defaultPartitions !== undefined) {
    c.integer("cluster.kafka.defaultPartitions", kafka.defaultPartitions, 1);
  }
  validateServerProperties(c, cluster, kafka);
}

/** Replication factor and min ISR of Standard brokers. */
function validateReplication(
  c: Checker,
  config: EnvironmentConfig,
  kafka: KafkaSettings,
  brokers: number | undefined,
): void {
  const rfPath = "cluster.kafka.defaultReplicationFactor";
  const isrPath = "cluster.kafka.minInsyncReplicas";
  let rf: number | undefined = brokers === undefined ? undefined : Math.min(3, brokers);
  if (kafka.defaultReplicationFactor !== undefined) {
    rf = undefined;
    if (c.integer(rfPath, kafka.defaultReplicationFactor, 1)) {
      const fits =
        brokers === undefined ||
        c.check(
          kafka.defaultReplicationFactor <= brokers,
          rfPath,
          kafka.defaultReplicationFactor,
          `must be <= the broker count (${brokers})`,
        );
      if (fits) rf = kafka.defaultReplicationFactor;
    }
  }
  let rfOk = rf !== undefined;
  if (rf !== undefined && config.production) {
    rfOk = c.check(
      rf >= 3,
      rfPath,
      rf,
      "must be >= 3 in a production environment (a broker can fail while another is patched)",
    );
  }
  // min.insync.replicas is judged against a sound replication factor only, so one mistake is one error.
  if (kafka.minInsyncReplicas !== undefined) {
    if (c.integer(isrPath, kafka.minInsyncReplicas, 1) && rf !== undefined && rfOk) {
      c.check(
        kafka.minInsyncReplicas < rf || (rf === 1 && kafka.minInsyncReplicas === 1),
        isrPath,
        kafka.minInsyncReplicas,
        `must be less than the replication factor (${rf}), or one broker down stops every acks=all producer`,
      );
    }
  }
  const isr = kafka.minInsyncReplicas ?? (rf === undefined ? undefined : Math.max(1, rf - 1));
  if (config.production && rfOk && isr !== undefined && Number.isInteger(isr) && isr >= 1) {
    c.check(
      isr >= 2,
      isrPath,
      isr,
      "must be >= 2 in a production environment (acks=all must mean two copies)",
    );
  }
}

/**
 * Verbatim server properties: a key MSK lets this cluster's configuration family set (CreateConfiguration
 * refuses the rest), a value it accepts, no typed setting bypassed, and the tiered-storage cleanup rule.
 */
function validateServerProperties(c: Checker, cluster: ProvisionedClusterConfig, kafka: KafkaSettings): void {
  const express = isExpressBroker(cluster.instanceType);
  const family =
    typeof cluster.kafkaVersion === "string" && kafkaVersionInfo(cluster.kafkaVersion)
      ? propertyFamily(cluster.kafkaVersion, express ? "express" : "standard")
      : undefined;
  const properties = kafka.serverProperties ?? {};
  for (const [key, value] of Object.entries(properties)) {
    const path = `cluster.kafka.serverProperties["${key}"]`;
    if (!c.pattern(path, key, PROPERTY_NAME, 'a Kafka property name such as "log.cleaner.threads"')) continue;
    const typed = TYPED_PROPERTIES[key];
    if (!c.check(typed === undefined, path, value, `is managed by the platform: set ${typed} instead`))
      continue;
    if (family !== undefined) {
      const readOnly = express ? EXPRESS_READ_ONLY[key] : undefined;
      if (
        !c.check(
          readOnly === undefined,
          path,
          value,
          `is read-only on Express brokers (MSK sets it to ${readOnly}): remove it`,
        ) ||
        !c.check(
          CONFIGURABLE_PROPERTIES[family].includes(key),
          path,
          value,
          `is not a property MSK lets a configuration set on ${cluster.kafkaVersion} ${express ? "Express" : "Standard"} brokers (CreateConfiguration refuses it; the allowed keys are in stacks/validation/server-properties.ts, from ${PROPERTY_SOURCES[family]}): remove it`,
        )
      ) {
        continue;
      }
    }
    if (
      !c.check(
        typeof value === "string" && value.trim().length > 0 && !/[\r\n]/.test(value),
        path,
        value,
        "must be a non-empty single-line string",
      )
    ) {
      continue;
    }
    c.problem(path, value, propertyValueProblem(key, value));
  }
  for (const key of ["log.retention.ms", "log.retention.minutes"]) {
    if (properties[key] !== undefined && kafka.logRetentionHours !== undefined) {
      c.check(
        false,
        `cluster.kafka.serverProperties["${key}"]`,
        properties[key],
        `takes precedence over log.retention.hours, so cluster.kafka.logRetentionHours (${kafka.logRetentionHours}) would not apply: keep one of the two`,
      );
    }
  }
  const cleanup = properties["log.cleanup.policy"];
  if (cluster.storageMode === "TIERED" && cleanup !== undefined) {
    c.check(
      cleanup.trim() === "delete",
      'cluster.kafka.serverProperties["log.cleanup.policy"]',
      cleanup,
      'must be "delete" with storageMode "TIERED": tiered storage does not take compacted logs as the cluster default (compact individual topics without tiered storage instead)',
    );
  }
}

function validateLogging(c: Checker, cluster: ProvisionedClusterConfig): void {
  const logging = cluster.logging;
  if (logging === undefined) return;
  if (logging.retentionDays !== undefined)
    c.retentionDays("cluster.logging.retentionDays", logging.retentionDays);
  if (logging.s3 !== undefined) {
    checkBucketName(c, "cluster.logging.s3.bucket", logging.s3?.bucket, true);
    if (logging.s3?.prefix !== undefined) {
      c.check(
        typeof logging.s3.prefix === "string" &&
          !logging.s3.prefix.startsWith("/") &&
          logging.s3.prefix.length <= 512,
        "cluster.logging.s3.prefix",
        logging.s3.prefix,
        'must be a key prefix not starting with "/", e.g. "msk/broker-logs/"',
      );
    }
  }
  if (logging.firehoseDeliveryStream !== undefined) {
    c.pattern(
      "cluster.logging.firehoseDeliveryStream",
      logging.firehoseDeliveryStream,
      FIREHOSE_NAME,
      "a Firehose delivery stream name (1-64 letters, digits, '_', '.' or '-')",
    );
  }
}

/** MSK cluster sizing, auth and Kafka settings. */
export function validateCluster(c: Checker, config: EnvironmentConfig): void {
  const cluster = config.cluster;
  if (!c.oneOf("cluster.type", cluster?.type, ["provisioned", "serverless"])) return;
  if (cluster.type === "provisioned") {
    validateSizing(c, config, cluster);
    if (cluster.enhancedMonitoring !== undefined) {
      c.oneOf("cluster.enhancedMonitoring", cluster.enhancedMonitoring, [
        "DEFAULT",
        "PER_BROKER",
        "PER_TOPIC_PER_BROKER",
        "PER_TOPIC_PER_PARTITION",
      ]);
    }
    if (cluster.openMonitoring !== undefined) {
      c.boolean("cluster.openMonitoring.jmxExporter", cluster.openMonitoring?.jmxExporter);
      c.boolean("cluster.openMonitoring.nodeExporter", cluster.openMonitoring?.nodeExporter);
    }
    validateAccess(c, config, cluster);
    validateKafka(c, config, cluster);
    validateLogging(c, cluster);
  }
  validateClientAccess(c, cluster.clientAccess);
}
