/**
 * AWS and Kafka limits the validation enforces, as data, each with where it comes from.
 * When AWS adds a broker size or Kafka version, extend the table here; the checks read only these.
 */

/**
 * MSK broker instance types.
 * Source: Amazon MSK Developer Guide, "Amazon MSK broker sizes" (Standard: T3, M5, M7g; Express: M7g)
 * and the CreateClusterV2 API reference (BrokerNodeGroupInfo.InstanceType).
 */
export const BROKER_INSTANCE_TYPES: readonly string[] = [
  "kafka.t3.small",
  ...["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"].map(
    (size) => `kafka.m5.${size}`,
  ),
  ...["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map(
    (size) => `kafka.m7g.${size}`,
  ),
  ...["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map(
    (size) => `express.m7g.${size}`,
  ),
];

/** Express brokers: storage is managed by MSK (no EBS settings) and they need three AZs. */
export function isExpressBroker(instanceType: string): boolean {
  return instanceType.startsWith("express.");
}

/**
 * Largest provisioned storage throughput per broker size, MiB/s; sizes absent here cannot provision it.
 * Source: MSK Developer Guide, "Manage storage throughput for Standard brokers" (kafka.m5.4xlarge or
 * larger, kafka.m7g.2xlarge or larger). The API itself accepts 250-2375.
 */
export const PROVISIONED_THROUGHPUT_MAX_MIBPS: Readonly<Record<string, number>> = {
  "kafka.m5.4xlarge": 593,
  "kafka.m5.8xlarge": 850,
  "kafka.m5.12xlarge": 1000,
  "kafka.m5.16xlarge": 1000,
  "kafka.m5.24xlarge": 1000,
  "kafka.m7g.2xlarge": 312,
  "kafka.m7g.4xlarge": 625,
  "kafka.m7g.8xlarge": 1000,
  "kafka.m7g.12xlarge": 1000,
  "kafka.m7g.16xlarge": 1000,
};
export const PROVISIONED_THROUGHPUT_RANGE = { min: 250, max: 2375 } as const;

/**
 * Kafka versions MSK accepts for new clusters (versions past their end-of-support date are left out).
 * Source: MSK Developer Guide, "Supported Apache Kafka versions" (3.6.0 reached end of support 2026-06-01).
 */
export const KAFKA_VERSIONS: readonly string[] = [
  "3.7.x",
  "3.7.x.kraft",
  "3.8.x",
  "3.8.x.kraft",
  "3.9.x",
  "3.9.x.kraft",
  "4.0.x.kraft",
];

/** Brokers per cluster. Source: MSK Developer Guide, "Amazon MSK quota" (30 with ZooKeeper, 60 with KRaft). */
export const MAX_BROKERS = { zookeeper: 30, kraft: 60 } as const;

/** EBS volume per broker, GiB. Source: CreateClusterV2 API, EBSStorageInfo.VolumeSize. */
export const EBS_VOLUME_GIB = { min: 1, max: 16384 } as const;

/** Storage autoscaling target utilisation, percent. Source: Application Auto Scaling for MSK (10-80). */
export const AUTOSCALING_TARGET_PERCENT = { min: 10, max: 80 } as const;

/**
 * Retention values CloudWatch Logs accepts (PutRetentionPolicy); 0 means never expire in Terraform.
 * Source: CloudWatch Logs API reference, PutRetentionPolicy.retentionInDays.
 */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * Minimum storage duration of the archive classes: deleting earlier is billed as if kept this long.
 * Source: Amazon S3 pricing and user guide, "Storage classes" (Glacier IR and Flexible 90, Deep Archive 180).
 */
export const ARCHIVE_MINIMUM_STORAGE_DAYS: Readonly<Record<string, number>> = {
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};

/** MSK Connect. Source: MSK Connect developer guide, "Capacity" and "Supported Kafka Connect versions". */
export const CONNECT_LIMITS = {
  mcuCounts: [1, 2, 4, 8],
  workers: { min: 1, max: 10 },
  kafkaConnectVersions: ["2.7.1", "3.7.x"],
} as const;

/** Tags per resource (AWS-wide). The platform adds environment, project and managed-by itself. */
export const PLATFORM_TAG_KEYS: readonly string[] = ["environment", "project", "managed-by"];
export const MAX_TAGS_PER_RESOURCE = 50;

/**
 * Multi-VPC private connectivity and MSK Serverless VPCs. Sources: MSK Developer Guide, "Amazon MSK multi-VPC
 * private connectivity in a single Region" (requirements and limitations: IAM, SASL/SCRAM and TLS only, not on
 * kafka.t3.small, one Region, SCRAM/mTLS need Kafka ACLs), "Step 3: Cross-account user actions" (at least two
 * AZs' subnets per managed VPC connection, one auth scheme per connection), and the MSK Serverless guide
 * (up to five VPCs per cluster, at least two subnets each). The API refuses connectivity at creation:
 * "When creating a cluster, all vpcConnectivity auth schemes must be disabled".
 */
export const MULTI_VPC_LIMITS = {
  unsupportedInstanceTypes: ["kafka.t3.small"],
  minClientSubnets: 2,
  maxServerlessVpcs: 5,
} as const;
