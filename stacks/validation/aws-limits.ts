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
 * Default Amazon MSK service quotas. Both are adjustable (Service Quotas console, service "Amazon Managed
 * Streaming for Apache Kafka (MSK)"), so exceeding a default is a warning that names the quota; an
 * environment declares a raised quota in `quotas`, and exceeding a declared quota is an error.
 * Source: MSK Developer Guide, "Amazon MSK quota" (Standard broker quota: brokers per cluster 30 with
 * ZooKeeper, 60 with KRaft; brokers per account 90, per Region), https://docs.aws.amazon.com/msk/latest/developerguide/limits.html
 */
export const MSK_QUOTAS = {
  brokersPerCluster: {
    name: "Number of brokers per cluster",
    defaults: { zookeeper: 30, kraft: 60 },
  },
  brokersPerAccount: { name: "Number of brokers per account", default: 90 },
} as const;

/**
 * Recommended maximum throughput per Express broker, MB/s (AWS throttles clients further up, at the
 * per-broker quota). Source: MSK Developer Guide, "Best practices for Express brokers", Right-size your
 * cluster, https://docs.aws.amazon.com/msk/latest/developerguide/bestpractices-express.html
 */
export const EXPRESS_BROKER_THROUGHPUT_MBPS: Readonly<
  Record<string, { readonly ingress: number; readonly egress: number }>
> = {
  "express.m7g.large": { ingress: 15.6, egress: 31.2 },
  "express.m7g.xlarge": { ingress: 31.2, egress: 62.5 },
  "express.m7g.2xlarge": { ingress: 62.5, egress: 125.0 },
  "express.m7g.4xlarge": { ingress: 124.9, egress: 249.8 },
  "express.m7g.8xlarge": { ingress: 250.0, egress: 500.0 },
  "express.m7g.12xlarge": { ingress: 375.0, egress: 750.0 },
  "express.m7g.16xlarge": { ingress: 500.0, egress: 1000.0 },
};

/** Express brokers fix these (read-only). Source: "Express brokers read-only configurations". */
export const EXPRESS_FIXED = { replicationFactor: 3, minInsyncReplicas: 2 } as const;

/**
 * Availability-zone letters that exist per Region, as of AVAILABILITY_ZONES_AS_OF. AZ names are mapped per
 * account (the same letter can be a different zone in another account), so the table lists every letter
 * any account may see; a name outside it exists for no account. Checked offline, no AWS call.
 * Sources: moto 5.2.1's EC2 zone table (moto/ec2/models/availability_zones_and_regions.py, one account's
 * view per Region), widened where accounts differ: us-west-1 has three zones of which an account sees two;
 * ap-northeast-1b exists for older accounts; cn-north-1d (cnn1-az4). AWS documentation, "Regions and
 * Availability Zones" (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
 * A Region missing here is a warning, not an error: AWS may have opened it after this date.
 */
export const AVAILABILITY_ZONES_AS_OF = "2026-11-30";
export const AVAILABILITY_ZONE_LETTERS: Readonly<Record<string, string>> = {
  "af-south-1": "abc",
  "ap-east-1": "abc",
  "ap-east-2": "abc",
  "ap-northeast-1": "abcd",
  "ap-northeast-2": "abcd",
  "ap-northeast-3": "abc",
  "ap-south-1": "abc",
  "ap-south-2": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "ap-southeast-3": "abc",
  "ap-southeast-4": "abc",
  "ap-southeast-5": "abc",
  "ap-southeast-6": "abc",
  "ap-southeast-7": "abc",
  "ca-central-1": "abd",
  "ca-west-1": "abc",
  "cn-north-1": "abd",
  "cn-northwest-1": "abc",
  "eu-central-1": "abc",
  "eu-central-2": "abc",
  "eu-north-1": "abc",
  "eu-south-1": "abc",
  "eu-south-2": "abc",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "il-central-1": "abc",
  "me-central-1": "abc",
  "me-south-1": "abc",
  "mx-central-1": "abc",
  "sa-east-1": "abc",
  "us-east-1": "abcdef",
  "us-east-2": "abc",
  "us-gov-east-1": "abc",
  "us-gov-west-1": "abc",
  "us-west-1": "abc",
  "us-west-2": "abcd",
};

/**
 * Regions where Standard brokers take exactly two client subnets (Express brokers need three AZs, so none
 * there). Source: MSK Developer Guide, "Create an MSK Provisioned cluster": "For Standard brokers in the US
 * West (N. California) Region, you need two subnets in two different Availability Zones."
 */
export const TWO_SUBNET_REGIONS: readonly string[] = ["us-west-1"];

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
 * Earliest lifecycle transition into each archive class, days after creation: S3 accepts 0 for the Glacier
 * classes (unlike STANDARD_IA / ONEZONE_IA, which need 30). Source: Amazon S3 user guide, "Transitioning
 * objects using Amazon S3 Lifecycle", constraints.
 */
export const ARCHIVE_MINIMUM_TRANSITION_DAYS = 0;

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
