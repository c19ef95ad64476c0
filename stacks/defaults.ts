import type {
  ArchiveStorageClass,
  BackendConfig,
  ClientBrokerEncryption,
  ConnectorCapacity,
  EnvironmentConfig,
  ExistingVpcConfig,
  NatGatewayMode,
  ProvisionedClusterConfig,
} from "./config";
import { EXPRESS_BROKER_THROUGHPUT_MBPS, EXPRESS_FIXED, isExpressBroker } from "./validation/aws-limits";
import type { BrokerKind } from "./validation/kafka-versions";

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
} as const;

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
    }
  | (Omit<ExistingVpcConfig, "clientCidrs"> & {
      readonly availabilityZones: readonly string[];
      readonly privateRouteTableIds: readonly string[];
      readonly clientCidrs: readonly string[];
    });

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
  readonly publicAccess: boolean;
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
  if (network.mode === "create") {
    return {
      mode: "create",
      cidr: network.cidr,
      availabilityZones: network.availabilityZones,
      natGateways: network.natGateways ?? DEFAULTS.natGateways,
      flowLogRetentionDays: network.flowLogRetentionDays ?? DEFAULTS.logRetentionDays,
      clientCidrs,
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
    publicAccess: cluster.publicAccess ?? false,
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

/** Applies every default. Call only on a config that passed `validateEnvironment`. */
export function resolveEnvironment(config: EnvironmentConfig): ResolvedEnvironment {
  const project = config.project ?? DEFAULTS.project;
  const prefix = `${project}-${config.name}`;
  const connector = config.connect.connector;
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
    cluster: resolveCluster(config),
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
  };
}
