import type { FlinkApplicationSettings } from "../modules/consumers/flink-application";
import type { LambdaConsumerSettings } from "../modules/consumers/lambda-consumer";
import type {
  ArchiveStorageClass,
  BackendConfig,
  ClientBrokerEncryption,
  ClientVpcConfig,
  ConnectorCapacity,
  EnvironmentConfig,
  ExistingVpcConfig,
  LambdaConsumerConfig,
  LambdaPollerAccess,
  NatGatewayMode,
  ProvisionedClusterConfig,
  SchemaCompatibility,
  SchemaDataFormat,
  SharedAuthMode,
  SharedKafkaAccess,
  TopicConfig,
} from "./config";
import { projectRoot } from "./project-root";
import { clientStackName } from "./stack-names";
import { EXPRESS_BROKER_THROUGHPUT_MBPS, EXPRESS_FIXED, isExpressBroker } from "./validation/aws-limits";
import type { BrokerKind } from "./validation/kafka-versions";
import { destinationKind, LAMBDA_LIMITS } from "./validation/lambda-limits";
import { readSchemaFile } from "./validation/schema-registry";

/** Every default of the environment schema, in one place (the README's tables mirror these). */
export const DEFAULTS = {
  project: "msk-platform",
  natGateways: "none" as NatGatewayMode,
  logRetentionDays: 365,
  clientBroker: "TLS" as ClientBrokerEncryption,
  enhancedMonitoring: "PER_BROKER" as const,
  storageMode: "LOCAL" as const,
  autoscalingTargetPercent: 60,
  logRetentionHours: 168,
  messageMaxBytes: 1048588,
  defaultPartitions: 3,
  noncurrentVersionExpirationDays: 30,
  accessLogExpirationDays: 365,
  kafkaConnectVersion: "2.7.1",
  rotateIntervalMs: 600000,
  scaleInCpuPercent: 20,
  scaleOutCpuPercent: 80,
  sharedKafkaAccess: "produce-and-consume" as SharedKafkaAccess,
  lambdaPollerAccess: "endpoints" as LambdaPollerAccess,
  lambdaStartingPosition: "TRIM_HORIZON" as const,
  lambdaBatchSize: LAMBDA_LIMITS.batchSize.default,
  lambdaMemoryMiB: LAMBDA_LIMITS.memoryMiB.default,
  lambdaTimeoutSeconds: LAMBDA_LIMITS.timeoutSeconds.default,
  lambdaArchitecture: "x86_64" as const,
  flinkParallelism: 1,
  flinkParallelismPerKpu: 1,
  flinkAutoScaling: true,
  flinkCheckpointIntervalMs: 60000,
  flinkMinPauseBetweenCheckpointsMs: 5000,
  flinkLogLevel: "INFO" as const,
  flinkMetricsLevel: "APPLICATION" as const,
  schemaVersions: "repository" as const,
} as const;

/** A Flink application once defaults are applied: what modules/consumers/flink-application.ts takes. */
export type ResolvedFlinkApplication = FlinkApplicationSettings;

/** A registry schema with its definition read from the repository. */
export interface ResolvedRegistrySchema {
  readonly name: string;
  readonly dataFormat: SchemaDataFormat;
  readonly compatibility: SchemaCompatibility;
  readonly description?: string;
  readonly versions: "repository" | "producers";
  /** The file, relative to the repository root. */
  readonly file: string;
  /** The file's content, as registered. */
  readonly definition: string;
}

/** The Glue Schema Registry once defaults are applied. */
export interface ResolvedSchemaRegistry {
  readonly name: string;
  readonly description: string;
  readonly schemas: readonly ResolvedRegistrySchema[];
}

/** Resolved client authentication: every mode explicit. */
export interface ResolvedAuth {
  readonly iam: boolean;
  readonly scramUsers: readonly string[];
  /** SCRAM users whose secret is associated with the cluster (a subset of scramUsers). */
  readonly scramAssociatedUsers: readonly string[];
  readonly mutualTlsCaArns: readonly string[];
  readonly unauthenticated: boolean;
}

/** Resolved Kafka server settings. */
export interface ResolvedKafkaSettings {
  readonly defaultReplicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly autoCreateTopics: boolean;
  readonly logRetentionHours: number;
  readonly messageMaxBytes: number;
  readonly defaultPartitions: number;
  readonly serverProperties: Readonly<Record<string, string>>;
}

/** The network as the stack sees it once defaults are applied. */
export type ResolvedNetwork =
  | {
      readonly mode: "create";
      readonly cidr: string;
      readonly availabilityZones: readonly string[];
      readonly natGateways: NatGatewayMode;
      readonly flowLogRetentionDays: number;
      readonly clientCidrs: readonly string[];
      readonly allowedSecurityGroupIds: readonly string[];
      readonly lambdaPollerAccess: LambdaPollerAccess;
    }
  | (Omit<ExistingVpcConfig, "clientCidrs"> & {
      readonly availabilityZones: readonly string[];
      readonly privateRouteTableIds: readonly string[];
      readonly clientCidrs: readonly string[];
      readonly allowedSecurityGroupIds: readonly string[];
      readonly lambdaPollerAccess: LambdaPollerAccess;
    });

/** Auth schemes of multi-VPC private connectivity turned on on the cluster. */
export interface VpcConnectivityAuth {
  readonly iam: boolean;
  readonly scram: boolean;
  readonly tls: boolean;
}

export interface ResolvedProvisionedCluster {
  readonly type: "provisioned";
  readonly kafkaVersion: string;
  readonly brokersPerAz: number;
  readonly brokerCount: number;
  readonly instanceType: string;
  /** "express" for express.* instance types: MSK manages storage, RF 3 and min ISR 2 are fixed. */
  readonly brokerKind: BrokerKind;
  /** EBS volume per broker; absent for Express brokers. */
  readonly volumeSizeGiB?: number;
  /** Recommended maximum client throughput per Express broker, MB/s (AWS-published); Express only. */
  readonly expressThroughputMBps?: { readonly ingress: number; readonly egress: number };
  readonly provisionedThroughputMiBps?: number;
  readonly storageMode: "LOCAL" | "TIERED";
  readonly enhancedMonitoring: NonNullable<ProvisionedClusterConfig["enhancedMonitoring"]>;
  readonly openMonitoring: { readonly jmxExporter: boolean; readonly nodeExporter: boolean };
  readonly clientBroker: ClientBrokerEncryption;
  readonly auth: ResolvedAuth;
  /** An existing customer key for data at rest; undefined: the stack creates one. */
  readonly kmsKeyArn?: string;
  readonly publicAccess: boolean;
  /** Multi-VPC private connectivity, on once sharing.clusterArn proves the cluster exists. */
  readonly vpcConnectivity?: VpcConnectivityAuth;
  readonly storageAutoscaling?: {
    readonly maxVolumeSizeGiB: number;
    readonly targetUtilizationPercent: number;
  };
  readonly kafka: ResolvedKafkaSettings;
  readonly logging: {
    readonly retentionDays: number;
    readonly s3?: { readonly bucket: string; readonly prefix?: string };
    readonly firehoseDeliveryStream?: string;
  };
  readonly clientAccess: {
    readonly topicPatterns: readonly string[];
    readonly consumerGroupPatterns: readonly string[];
  };
}

export interface ResolvedServerlessCluster {
  readonly type: "serverless";
  readonly clientAccess: {
    readonly topicPatterns: readonly string[];
    readonly consumerGroupPatterns: readonly string[];
  };
}

/** A declared topic as the topic manager applies it: the Kafka configs it sets, nothing implied. */
export interface ResolvedTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level Kafka configs the platform sets (declared ones only; the rest follow the broker defaults). */
  readonly configs: Readonly<Record<string, string>>;
  /** Expected write rate, MB/s, for the plan review's disk estimate. */
  readonly assumedIngressMBps?: number;
  /** Reason of a declared production durability exception. */
  readonly durabilityException?: string;
}

/** The topics section once defaults are applied. */
export interface ResolvedTopics {
  /** Topics to create and keep as declared, in declaration order. */
  readonly managed: readonly ResolvedTopic[];
  /** Topics to delete, with why. */
  readonly retired: readonly { readonly name: string; readonly reason: string }[];
  /** Retention of the topic manager's log group, in days. */
  readonly logRetentionDays: number;
}

export interface ResolvedEnvironment {
  readonly name: string;
  readonly production: boolean;
  readonly accountId: string;
  readonly region: string;
  /** "aws", "aws-cn" or "aws-us-gov", derived from the region. */
  readonly partition: string;
  readonly project: string;
  /** Prefix for resource names: "<project>-<env>". */
  readonly prefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly backend: BackendConfig;
  readonly network: ResolvedNetwork;
  readonly cluster: ResolvedProvisionedCluster | ResolvedServerlessCluster;
  readonly sink: {
    readonly bucketName: string;
    readonly accessLogBucketName: string;
    readonly archive: { readonly storageClass: ArchiveStorageClass; readonly afterDays: number };
    readonly expireAfterDays?: number;
    readonly noncurrentVersionExpirationDays: number;
    readonly accessLogExpirationDays: number;
  };
  readonly connect: {
    readonly topics: readonly string[];
    readonly logRetentionDays: number;
    readonly connector?: {
      readonly plugin: {
        readonly bucketArn: string;
        readonly fileKey: string;
        readonly contentType: "ZIP" | "JAR";
      };
      readonly kafkaConnectVersion: string;
      readonly tasksMax: number;
      readonly flushSize: number;
      readonly rotateIntervalMs: number;
      readonly format: "json" | "avro" | "parquet";
      readonly partitioner: "default" | "time";
      readonly capacity: Required<ConnectorCapacity>;
    };
  };
  readonly alarms: { readonly emailEndpoints: readonly string[] };
  readonly sharing: ResolvedSharing;
  /** Declared topics; undefined when the environment does not manage topics. */
  readonly topics?: ResolvedTopics;
  /** Consumers of the topics. */
  readonly consumers: ResolvedConsumers;
  /** The Glue Schema Registry; undefined when the environment declares none. */
  readonly schemaRegistry?: ResolvedSchemaRegistry;
}

/** Another account's grant on the cluster, defaults applied. */
export interface ResolvedSharedAccount {
  readonly accountId: string;
  /** Principal ARNs of the cluster policy: the listed roles, or the account root. */
  readonly principals: readonly string[];
  readonly auth: readonly SharedAuthMode[];
  readonly access: SharedKafkaAccess;
  readonly topicPatterns: readonly string[];
  readonly consumerGroupPatterns: readonly string[];
}

/** A client VPC, defaults applied. */
export interface ResolvedClientVpc {
  readonly name: string;
  /** `<env>-client-<name>`: the client stack (provisioned clusters). */
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly auth: SharedAuthMode;
  readonly allowedSecurityGroupIds: readonly string[];
  /** The client stack's state backend, with its own key or path. */
  readonly backend: BackendConfig;
  /** The grant of the VPC's account when it is another account (undefined for the environment's own). */
  readonly grant?: ResolvedSharedAccount;
}

export interface ResolvedSharing {
  /** The existing cluster's ARN (step 2); undefined until the cluster exists. */
  readonly clusterArn?: string;
  readonly accounts: readonly ResolvedSharedAccount[];
  readonly clientVpcs: readonly ResolvedClientVpc[];
}

/** AWS partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Number of AZs the brokers span. */
export function availabilityZonesOf(config: EnvironmentConfig): readonly string[] {
  const network = config.network;
  return network.mode === "create"
    ? network.availabilityZones
    : network.privateSubnets.map((subnet) => subnet.availabilityZone);
}

function resolveNetwork(config: EnvironmentConfig): ResolvedNetwork {
  const network = config.network;
  const clientCidrs = network.clientCidrs ?? [];
  const allowedSecurityGroupIds = network.allowedSecurityGroupIds ?? [];
  const lambdaPollerAccess = network.lambdaPollerAccess ?? DEFAULTS.lambdaPollerAccess;
  if (network.mode === "create") {
    return {
      mode: "create",
      cidr: network.cidr,
      availabilityZones: network.availabilityZones,
      natGateways: network.natGateways ?? DEFAULTS.natGateways,
      flowLogRetentionDays: network.flowLogRetentionDays ?? DEFAULTS.logRetentionDays,
      clientCidrs,
      allowedSecurityGroupIds,
      lambdaPollerAccess,
    };
  }
  return {
    mode: "existing",
    vpcId: network.vpcId,
    cidr: network.cidr,
    privateSubnets: network.privateSubnets,
    availabilityZones: availabilityZonesOf(config),
    privateRouteTableIds: network.privateRouteTableIds ?? [],
    s3PrefixListId: network.s3PrefixListId,
    clientCidrs,
    allowedSecurityGroupIds,
    lambdaPollerAccess,
  };
}

function resolveCluster(config: EnvironmentConfig): ResolvedEnvironment["cluster"] {
  const cluster = config.cluster;
  if (cluster.type === "serverless") return cluster;
  const azCount = availabilityZonesOf(config).length;
  const brokerCount = cluster.brokersPerAz * azCount;
  const express = isExpressBroker(cluster.instanceType);
  const rf = express
    ? EXPRESS_FIXED.replicationFactor
    : (cluster.kafka?.defaultReplicationFactor ?? Math.min(3, brokerCount));
  // Rack-aware placement puts at most ceil(RF / AZs) replicas in one AZ: losing that AZ must leave min ISR.
  const replicasPerAz = Math.ceil(rf / Math.max(1, azCount));
  const minInsyncReplicas = express
    ? EXPRESS_FIXED.minInsyncReplicas
    : (cluster.kafka?.minInsyncReplicas ?? Math.max(1, rf - replicasPerAz));
  const auth = cluster.auth ?? { iam: true };
  return {
    type: "provisioned",
    kafkaVersion: cluster.kafkaVersion,
    brokersPerAz: cluster.brokersPerAz,
    brokerCount,
    instanceType: cluster.instanceType,
    brokerKind: express ? "express" : "standard",
    volumeSizeGiB: express ? undefined : cluster.volumeSizeGiB,
    expressThroughputMBps: express ? EXPRESS_BROKER_THROUGHPUT_MBPS[cluster.instanceType] : undefined,
    provisionedThroughputMiBps: cluster.provisionedThroughputMiBps,
    storageMode: cluster.storageMode ?? DEFAULTS.storageMode,
    enhancedMonitoring: cluster.enhancedMonitoring ?? DEFAULTS.enhancedMonitoring,
    openMonitoring: cluster.openMonitoring ?? { jmxExporter: false, nodeExporter: false },
    clientBroker: cluster.clientBroker ?? DEFAULTS.clientBroker,
    auth: {
      iam: auth.iam ?? true,
      scramUsers: auth.scram?.users ?? [],
      scramAssociatedUsers: auth.scram?.associatedUsers ?? [],
      mutualTlsCaArns: auth.mutualTls?.certificateAuthorityArns ?? [],
      unauthenticated: auth.unauthenticated ?? false,
    },
    kmsKeyArn: cluster.kmsKeyArn,
    publicAccess: cluster.publicAccess ?? false,
    vpcConnectivity: vpcConnectivityOf(config),
    storageAutoscaling: cluster.storageAutoscaling && {
      maxVolumeSizeGiB: cluster.storageAutoscaling.maxVolumeSizeGiB,
      targetUtilizationPercent:
        cluster.storageAutoscaling.targetUtilizationPercent ?? DEFAULTS.autoscalingTargetPercent,
    },
    kafka: {
      defaultReplicationFactor: rf,
      minInsyncReplicas,
      autoCreateTopics: cluster.kafka?.autoCreateTopics ?? !config.production,
      logRetentionHours: cluster.kafka?.logRetentionHours ?? DEFAULTS.logRetentionHours,
      messageMaxBytes: cluster.kafka?.messageMaxBytes ?? DEFAULTS.messageMaxBytes,
      defaultPartitions: cluster.kafka?.defaultPartitions ?? DEFAULTS.defaultPartitions,
      serverProperties: cluster.kafka?.serverProperties ?? {},
    },
    logging: {
      retentionDays: cluster.logging?.retentionDays ?? DEFAULTS.logRetentionDays,
      s3: cluster.logging?.s3,
      firehoseDeliveryStream: cluster.logging?.firehoseDeliveryStream,
    },
    clientAccess: cluster.clientAccess,
  };
}

const HOUR_MS = 3_600_000;

/** The Kafka topic configs a declaration sets: typed fields first, then `configs` verbatim. */
export function topicConfigsOf(topic: Extract<TopicConfig, { retired?: false }>): Record<string, string> {
  const configs: Record<string, string> = { ...(topic.configs ?? {}) };
  const hours = topic.retention?.hours;
  if (hours !== undefined) configs["retention.ms"] = hours === "unlimited" ? "-1" : String(hours * HOUR_MS);
  const bytes = topic.retention?.bytesPerPartition;
  if (bytes !== undefined) configs["retention.bytes"] = bytes === "unlimited" ? "-1" : String(bytes);
  if (topic.cleanupPolicy !== undefined) configs["cleanup.policy"] = topic.cleanupPolicy;
  if (topic.minInsyncReplicas !== undefined) configs["min.insync.replicas"] = String(topic.minInsyncReplicas);
  return Object.fromEntries(
    Object.keys(configs)
      .sort()
      .map((key) => [key, configs[key]]),
  );
}

function resolveTopics(
  config: EnvironmentConfig,
  cluster: ResolvedEnvironment["cluster"],
): ResolvedTopics | undefined {
  if (config.topics === undefined) return undefined;
  const defaultRf = cluster.type === "provisioned" ? cluster.kafka.defaultReplicationFactor : 3;
  return {
    managed: config.topics.flatMap((topic) =>
      topic.retired === true
        ? []
        : [
            {
              name: topic.name,
              partitions: topic.partitions,
              replicationFactor: topic.replicationFactor ?? defaultRf,
              configs: topicConfigsOf(topic),
              assumedIngressMBps: topic.assumedIngressMBps,
              durabilityException: topic.durabilityException?.reason,
            },
          ],
    ),
    retired: config.topics.flatMap((topic) =>
      topic.retired === true ? [{ name: topic.name, reason: topic.reason }] : [],
    ),
    logRetentionDays: config.topicManager?.logRetentionDays ?? DEFAULTS.logRetentionDays,
  };
}

function resolveFlink(config: EnvironmentConfig, prefix: string): ResolvedFlinkApplication[] {
  return (config.consumers?.flink ?? []).map((app) => ({
    name: app.name,
    applicationName: `${prefix}-${app.name}`,
    runtime: app.runtime,
    code: app.code,
    inputTopics: app.inputTopics,
    outputTopics: app.outputTopics ?? [],
    consumerGroup: app.consumerGroup,
    running: app.running,
    parallelism: {
      parallelism: app.parallelism?.parallelism ?? DEFAULTS.flinkParallelism,
      parallelismPerKpu: app.parallelism?.parallelismPerKpu ?? DEFAULTS.flinkParallelismPerKpu,
      autoScaling: app.parallelism?.autoScaling ?? DEFAULTS.flinkAutoScaling,
    },
    checkpoints: {
      enabled: app.checkpoints?.enabled ?? true,
      intervalMs: app.checkpoints?.intervalMs ?? DEFAULTS.flinkCheckpointIntervalMs,
      minPauseMs: app.checkpoints?.minPauseMs ?? DEFAULTS.flinkMinPauseBetweenCheckpointsMs,
    },
    snapshots: app.snapshots ?? true,
    logging: {
      level: app.logging?.level ?? DEFAULTS.flinkLogLevel,
      metricsLevel: app.logging?.metricsLevel ?? DEFAULTS.flinkMetricsLevel,
      retentionDays: app.logging?.retentionDays ?? DEFAULTS.logRetentionDays,
    },
    schemas: app.schemas ?? [],
    properties: app.properties ?? {},
    additionalSecurityGroupIds: app.additionalSecurityGroupIds ?? [],
  }));
}

function resolveSchemaRegistry(
  config: EnvironmentConfig,
  prefix: string,
  root: string,
): ResolvedSchemaRegistry | undefined {
  const registry = config.schemaRegistry;
  if (registry === undefined) return undefined;
  return {
    name: registry.name ?? prefix,
    description: registry.description ?? `Schemas of the ${prefix} MSK platform`,
    schemas: registry.schemas.map((schema) => ({
      name: schema.name,
      dataFormat: schema.dataFormat,
      compatibility: schema.compatibility,
      description: schema.description,
      versions: schema.versions ?? DEFAULTS.schemaVersions,
      file: schema.file,
      definition: readSchemaFile(schema.file, root),
    })),
  };
}

/**
 * Applies every default. Call only on a config that passed `validateEnvironment`. Schema definitions are read
 * from `root` (the repository root).
 */
export function resolveEnvironment(
  config: EnvironmentConfig,
  root: string = projectRoot(),
): ResolvedEnvironment {
  const project = config.project ?? DEFAULTS.project;
  const prefix = `${project}-${config.name}`;
  const connector = config.connect.connector;
  const cluster = resolveCluster(config);
  return {
    name: config.name,
    production: config.production,
    accountId: config.accountId,
    region: config.region,
    partition: partitionOf(config.region),
    project,
    prefix,
    tags: config.tags ?? {},
    backend: config.backend,
    network: resolveNetwork(config),
    cluster,
    sink: {
      bucketName: config.sink.bucketName ?? `${prefix}-sink-${config.accountId}-${config.region}`,
      accessLogBucketName: `${prefix}-sink-logs-${config.accountId}-${config.region}`,
      archive: config.sink.archive,
      expireAfterDays: config.sink.expireAfterDays,
      noncurrentVersionExpirationDays:
        config.sink.noncurrentVersionExpirationDays ?? DEFAULTS.noncurrentVersionExpirationDays,
      accessLogExpirationDays: config.sink.accessLogExpirationDays ?? DEFAULTS.accessLogExpirationDays,
    },
    connect: {
      topics: config.connect.topics,
      logRetentionDays: config.connect.logRetentionDays ?? DEFAULTS.logRetentionDays,
      connector: connector && {
        plugin: connector.plugin,
        kafkaConnectVersion: connector.kafkaConnectVersion ?? DEFAULTS.kafkaConnectVersion,
        tasksMax: connector.tasksMax,
        flushSize: connector.flushSize,
        rotateIntervalMs: connector.rotateIntervalMs ?? DEFAULTS.rotateIntervalMs,
        format: connector.format ?? "json",
        partitioner: connector.partitioner ?? "default",
        capacity: {
          mcuCount: connector.capacity.mcuCount,
          minWorkers: connector.capacity.minWorkers,
          maxWorkers: connector.capacity.maxWorkers,
          scaleInCpuPercent: connector.capacity.scaleInCpuPercent ?? DEFAULTS.scaleInCpuPercent,
          scaleOutCpuPercent: connector.capacity.scaleOutCpuPercent ?? DEFAULTS.scaleOutCpuPercent,
        },
      },
    },
    alarms: { emailEndpoints: config.alarms?.emailEndpoints ?? [] },
    sharing: resolveSharing(config),
    topics: resolveTopics(config, cluster),
    consumers: {
      lambda: (config.consumers?.lambda ?? []).map((c) => resolveLambdaConsumer(prefix, c)),
      flink: resolveFlink(config, prefix),
    },
    schemaRegistry: resolveSchemaRegistry(config, prefix, root),
  };
}

/**
 * The auth schemes multi-VPC connectivity turns on: those the shared accounts and client VPCs use, and only
 * once sharing.clusterArn proves the cluster exists (MSK refuses them at creation). Provisioned only.
 */
function vpcConnectivityOf(config: EnvironmentConfig): VpcConnectivityAuth | undefined {
  const sharing = config.sharing;
  if (config.cluster.type !== "provisioned" || sharing?.clusterArn === undefined) return undefined;
  const modes = new Set<SharedAuthMode>([
    ...(sharing.accounts ?? []).flatMap((a) => a.auth),
    ...(sharing.clientVpcs ?? []).map((v) => v.auth),
  ]);
  if (modes.size === 0) return undefined;
  return { iam: modes.has("iam"), scram: modes.has("scram"), tls: modes.has("tls") };
}

/** The client stack's backend: its own, else the environment's with the client stack's own key or path. */
export function clientBackendOf(config: EnvironmentConfig, client: ClientVpcConfig): BackendConfig {
  const stack = clientStackName(config.name, client.name);
  const own = client.backend;
  if (own?.type === "local" || (own === undefined && config.backend.type === "local")) {
    return {
      type: "local",
      path: (own?.type === "local" ? own.path : undefined) ?? `../../../terraform.${stack}.tfstate`,
    };
  }
  const base = own ?? config.backend;
  if (base.type !== "s3") throw new Error(`unreachable: backend type ${base.type}`);
  const project = config.project ?? DEFAULTS.project;
  return {
    type: "s3",
    bucket: base.bucket,
    // An inherited backend never inherits the environment's key: two stacks must never share a state object.
    key: (own?.type === "s3" ? own.key : undefined) ?? `${project}/${stack}/terraform.tfstate`,
    region: base.region ?? client.region ?? config.region,
    kmsKeyArn: base.kmsKeyArn,
  };
}

function resolveSharing(config: EnvironmentConfig): ResolvedSharing {
  const sharing = config.sharing;
  const partition = partitionOf(config.region);
  const access = config.cluster.clientAccess;
  const accounts = (sharing?.accounts ?? []).map(
    (a): ResolvedSharedAccount => ({
      accountId: a.accountId,
      principals:
        a.roleArns !== undefined && a.roleArns.length > 0
          ? a.roleArns
          : [`arn:${partition}:iam::${a.accountId}:root`],
      auth: a.auth,
      access: a.access ?? DEFAULTS.sharedKafkaAccess,
      topicPatterns: a.topicPatterns ?? access.topicPatterns,
      consumerGroupPatterns: a.consumerGroupPatterns ?? access.consumerGroupPatterns,
    }),
  );
  return {
    clusterArn: sharing?.clusterArn,
    accounts,
    clientVpcs: (sharing?.clientVpcs ?? []).map((v) => ({
      name: v.name,
      stackName: clientStackName(config.name, v.name),
      accountId: v.accountId,
      region: v.region ?? config.region,
      vpcId: v.vpcId,
      subnetIds: v.subnetIds,
      auth: v.auth,
      allowedSecurityGroupIds: v.allowedSecurityGroupIds ?? [],
      backend: clientBackendOf(config, v),
      grant: accounts.find((a) => a.accountId === v.accountId && v.accountId !== config.accountId),
    })),
  };
}

/** A Lambda consumer, defaults applied (the shape modules/consumers/lambda-consumer.ts takes). */
export type ResolvedLambdaConsumer = LambdaConsumerSettings;

/** Consumers of the topics, defaults applied. */
export interface ResolvedConsumers {
  readonly lambda: readonly ResolvedLambdaConsumer[];
  /** Flink applications (consumers.flink), in declaration order. */
  readonly flink: readonly ResolvedFlinkApplication[];
}

function resolveLambdaConsumer(prefix: string, c: LambdaConsumerConfig): LambdaConsumerSettings {
  const fn = c.function;
  const kind = destinationKind(c.onFailure.arn);
  if (kind === undefined) throw new Error(`unreachable: on-failure destination ${c.onFailure.arn}`);
  return {
    name: c.name,
    resourceName: `${prefix}-${c.name}`,
    topic: c.topic,
    consumerGroupId: c.consumerGroupId,
    startingPosition: c.startingPosition ?? DEFAULTS.lambdaStartingPosition,
    startingTimestamp: c.startingTimestamp,
    batchSize: c.batchSize ?? DEFAULTS.lambdaBatchSize,
    batchingWindowSeconds: c.batchingWindowSeconds,
    onFailure: { arn: c.onFailure.arn, kind, kmsKeyArn: c.onFailure.kmsKeyArn },
    provisionedPollers: c.provisionedPollers,
    retry: c.retry && {
      maximumAttempts: c.retry.maximumAttempts,
      maximumRecordAgeSeconds: c.retry.maximumRecordAgeSeconds,
      bisectBatchOnError: c.retry.bisectBatchOnError ?? false,
      reportBatchItemFailures: c.retry.reportBatchItemFailures ?? false,
    },
    enabled: c.enabled ?? true,
    schemas: c.schemas ?? [],
    function:
      fn.source === "existing"
        ? { source: "existing", function: fn.function, executionRoleName: fn.executionRoleName }
        : {
            source: "s3",
            bucket: fn.bucket,
            key: fn.key,
            objectVersion: fn.objectVersion,
            runtime: fn.runtime,
            handler: fn.handler,
            memoryMiB: fn.memoryMiB ?? DEFAULTS.lambdaMemoryMiB,
            timeoutSeconds: fn.timeoutSeconds ?? DEFAULTS.lambdaTimeoutSeconds,
            architecture: fn.architecture ?? DEFAULTS.lambdaArchitecture,
            reservedConcurrency: fn.reservedConcurrency,
            codeSigningConfigArn: fn.codeSigningConfigArn,
            logRetentionDays: fn.logRetentionDays ?? DEFAULTS.logRetentionDays,
          },
  };
}
