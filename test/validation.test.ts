/**
 * Every validation rule, fed one bad value, with the exact error line a user sees. Variants start from the
 * real environments, so each row is "copy prod (or dev) and break one thing".
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeAll } from "../stacks/app";
import type {
  EnvironmentConfig,
  ExistingVpcConfig,
  KafkaSettings,
  NetworkConfig,
  ProvisionedClusterConfig,
  S3SinkConnectorConfig,
  SinkConfig,
} from "../stacks/config";
import { SYNTH_WARNINGS_FILE } from "../stacks/synth-warnings";
import {
  checkEnvironment,
  formatWarning,
  validateAcrossEnvironments,
  validateEnvironment,
  warnAcrossEnvironments,
} from "../stacks/validation";
import { formatIssue } from "../stacks/validation/checker";
import {
  KAFKA_VERSION_TABLE,
  KAFKA_VERSION_TABLE_AS_OF,
  type KafkaVersionInfo,
  kafkaVersionInfo,
  supportsTopicApi,
  upgradePath,
  versionChange,
  versionLifecycle,
} from "../stacks/validation/kafka-versions";
import { ENVIRONMENTS } from "./support/synth";

const { dev, prod } = ENVIRONMENTS;
/** prod before step 2 of sharing: a renamed or moved environment is a new cluster, so its clusterArn goes. */
const prodNewCluster: EnvironmentConfig = { ...prod, sharing: { ...prod.sharing, clusterArn: undefined } };

/** A deliberately wrong value of another type, as a JavaScript caller (or a cast) could pass. */
const wrong = <T>(value: unknown): T => value as T;

const provisioned = (config: EnvironmentConfig): ProvisionedClusterConfig =>
  config.cluster as ProvisionedClusterConfig;

function withCluster(
  config: EnvironmentConfig,
  changes: Partial<ProvisionedClusterConfig>,
): EnvironmentConfig {
  return { ...config, cluster: { ...provisioned(config), ...changes } };
}

function withKafka(config: EnvironmentConfig, changes: Partial<KafkaSettings>): EnvironmentConfig {
  return withCluster(config, { kafka: { ...provisioned(config).kafka, ...changes } });
}

function withNetwork(config: EnvironmentConfig, changes: Record<string, unknown>): EnvironmentConfig {
  return { ...config, network: { ...config.network, ...changes } as NetworkConfig };
}

function withSink(config: EnvironmentConfig, changes: Partial<SinkConfig>): EnvironmentConfig {
  return { ...config, sink: { ...config.sink, ...changes } };
}

/** dev with the brokers in an existing VPC (public access needs that). */
const existingNetwork: ExistingVpcConfig = {
  mode: "existing",
  vpcId: "vpc-0123456789abcdef0",
  cidr: "10.40.0.0/16",
  privateSubnets: [
    { id: "subnet-0123456789abcdef0", availabilityZone: "eu-west-1a" },
    { id: "subnet-0123456789abcdef1", availabilityZone: "eu-west-1b" },
  ],
  privateRouteTableIds: ["rtb-0123456789abcdef0"],
};
const devExisting: EnvironmentConfig = { ...dev, network: existingNetwork };

const connector: S3SinkConnectorConfig = {
  plugin: {
    bucketArn: "arn:aws:s3:::acme-connect-plugins",
    fileKey: "plugins/confluentinc-kafka-connect-s3-10.5.0.zip",
    contentType: "ZIP",
  },
  tasksMax: 2,
  flushSize: 1000,
  capacity: { mcuCount: 1, minWorkers: 1, maxWorkers: 2 },
};
const devConnector: EnvironmentConfig = { ...dev, connect: { ...dev.connect, connector } };

function withConnector(changes: Partial<S3SinkConnectorConfig>): EnvironmentConfig {
  return { ...devConnector, connect: { ...devConnector.connect, connector: { ...connector, ...changes } } };
}

function withCapacity(changes: Partial<S3SinkConnectorConfig["capacity"]>): EnvironmentConfig {
  return withConnector({ capacity: { ...connector.capacity, ...changes } });
}

/** The error lines of a config, as `npm run synth` prints them. */
function errors(config: EnvironmentConfig): string[] {
  // The file is named after the environment, as in environments/; an invalid name gets "x".
  const name = /^[a-z][a-z0-9-]*$/.test(config.name) ? config.name : "x";
  return validateEnvironment(config, name).map((issue) => formatIssue(`environments/${name}.ts`, issue));
}

describe("the real environments", () => {
  it.each(Object.keys(ENVIRONMENTS))("%s is valid", (name) => {
    expect(validateEnvironment(ENVIRONMENTS[name], name)).toEqual([]);
  });

  it("the variants the tests start from are valid too", () => {
    expect(errors(devExisting)).toEqual([]);
    expect(errors(devConnector)).toEqual([]);
  });
});

type Row = readonly [string, EnvironmentConfig, readonly string[]];

const P = "environments/prod.ts";
const D = "environments/dev.ts";

const identity: Row[] = [
  [
    "name not lowercase",
    { ...prod, name: "Prod" },
    [
      `environments/x.ts: name: got "Prod"; must be lowercase letters, digits and dashes, starting with a letter, at most 20 characters`,
    ],
  ],
  [
    "production not a boolean",
    { ...prod, production: wrong("yes") },
    [`${P}: production: got "yes"; must be true or false`],
  ],
  [
    "account id too short",
    { ...prod, accountId: "12345" },
    [`${P}: accountId: got "12345"; must be a 12-digit AWS account id`],
  ],
  [
    "region malformed",
    { ...prod, region: "eu-west" },
    [`${P}: region: got "eu-west"; must be an AWS region name such as "eu-west-1"`],
  ],
  [
    "region that does not hold the AZs",
    { ...prodNewCluster, region: "us-east-1" },
    [
      `${P}: network.availabilityZones: got ["eu-west-1a","eu-west-1b","eu-west-1c"]; every availability zone must be in the region us-east-1, e.g. "us-east-1a"`,
    ],
  ],
  [
    "project with capitals",
    { ...prod, project: "MSK" },
    [`${P}: project: got "MSK"; must be lowercase letters, digits and dashes, 2-20 characters`],
  ],
  [
    "tag key in the aws: namespace",
    { ...prod, tags: { "aws:owner": "x" } },
    [`${P}: tags.aws:owner: got "aws:owner"; tag keys must not start with the reserved "aws:"`],
  ],
  [
    "tag key the platform sets",
    { ...prod, tags: { environment: "live" } },
    [
      `${P}: tags.environment: got "environment"; is set by the platform on every resource (environment, project, managed-by): choose another key`,
    ],
  ],
  [
    "tag value too long",
    { ...prod, tags: { owner: "x".repeat(257) } },
    [`${P}: tags.owner: got "${"x".repeat(76)}...; tag values must be at most 256 characters`],
  ],
  [
    "tag value with forbidden characters",
    { ...prod, tags: { owner: "team;drop" } },
    [
      `${P}: tags.owner: got "team;drop"; tag values may contain only letters, digits, spaces and _ . : / = + - @`,
    ],
  ],
  [
    "too many tags",
    { ...prod, tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "v"])) },
    [
      `${P}: tags: got 48; must hold at most 47 tags (AWS allows 50 per resource and the platform adds environment, project, managed-by)`,
    ],
  ],
];

const backend: Row[] = [
  [
    "local state in production",
    { ...prod, backend: { type: "local" } },
    [
      `${P}: backend.type: got "local"; must be "s3" (encrypted, locked remote state) in a production environment`,
    ],
  ],
  [
    "unknown backend",
    { ...prod, backend: wrong({ type: "gcs", bucket: "x" }) },
    [`${P}: backend.type: got "gcs"; must be one of "s3", "local"`],
  ],
  [
    "state bucket with capitals",
    { ...prod, backend: { type: "s3", bucket: "Acme-State" } },
    [
      `${P}: backend.bucket: got "Acme-State"; must be a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens`,
    ],
  ],
  [
    "state key starting with /",
    { ...prod, backend: { type: "s3", bucket: "acme-state", key: "/prod.tfstate" } },
    [
      `${P}: backend.key: got "/prod.tfstate"; must be an object key of 1-1024 characters not starting with "/", e.g. "msk-platform/prod/terraform.tfstate"`,
    ],
  ],
  [
    "state region malformed",
    { ...prod, backend: { type: "s3", bucket: "acme-state", region: "ireland" } },
    [`${P}: backend.region: got "ireland"; must be an AWS region name such as "eu-west-1"`],
  ],
  [
    "state KMS key not an ARN",
    { ...prod, backend: { type: "s3", bucket: "acme-state", kmsKeyArn: "my-key" } },
    [
      `${P}: backend.kmsKeyArn: got "my-key"; must be a KMS key or alias ARN, e.g. "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"`,
    ],
  ],
  [
    "local state path empty",
    { ...dev, backend: { type: "local", path: " " } },
    [`${D}: backend.path: got " "; must be a non-empty file path`],
  ],
];

const network: Row[] = [
  [
    "unknown network mode",
    withNetwork(prod, { mode: "shared" }),
    [`${P}: network.mode: got "shared"; must be one of "create", "existing"`],
  ],
  [
    "VPC CIDR with host bits",
    withNetwork(prod, { cidr: "10.30.0.1/16" }),
    [`${P}: network.cidr: got "10.30.0.1/16"; has host bits set: write the network address "10.30.0.0/16"`],
  ],
  [
    "VPC CIDR not a CIDR",
    withNetwork(prod, { cidr: "300.1.0.0/16" }),
    [`${P}: network.cidr: got "300.1.0.0/16"; must be an IPv4 CIDR such as "10.20.0.0/16"`],
  ],
  [
    "VPC CIDR too large",
    withNetwork(prod, { cidr: "10.0.0.0/12" }),
    [`${P}: network.cidr: got "10.0.0.0/12"; must be a /16 to /24 (the VPC is cut into 16 subnet blocks)`],
  ],
  [
    "VPC CIDR in loopback space",
    withNetwork(prod, { cidr: "127.0.0.0/16" }),
    [
      `${P}: network.cidr: got "127.0.0.0/16"; must not overlap loopback, link-local, multicast or reserved space: use a private range such as 10.0.0.0/8`,
    ],
  ],
  [
    "VPC too small for the brokers",
    withCluster(withNetwork(prod, { cidr: "10.30.0.0/24" }), { brokersPerAz: 12 }),
    [
      `${P}: network.cidr: got "10.30.0.0/24"; gives /28 private subnets with 11 usable addresses, fewer than the 12 each AZ needs (brokers plus Connect workers): use a larger CIDR such as /22`,
    ],
  ],
  [
    "two AZs in production",
    withNetwork(prod, { availabilityZones: ["eu-west-1a", "eu-west-1b"] }),
    [
      `${P}: network.availabilityZones: got ["eu-west-1a","eu-west-1b"]; must list exactly 3 availability zones in a production environment`,
    ],
  ],
  [
    "four AZs",
    withNetwork(dev, { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"] }),
    [
      `${D}: network.availabilityZones: got ["eu-west-1a","eu-west-1b","eu-west-1c","eu-west-1d"]; must list 2 or 3 availability zones`,
      `${D}: network.availabilityZones[3]: got "eu-west-1d"; is not an availability zone of eu-west-1, which has eu-west-1a, eu-west-1b, eu-west-1c (table of 2026-11-30)`,
    ],
  ],
  [
    "an AZ twice",
    withNetwork(prod, { availabilityZones: ["eu-west-1a", "eu-west-1a", "eu-west-1b"] }),
    [
      `${P}: network.availabilityZones: got ["eu-west-1a","eu-west-1a","eu-west-1b"]; availability zones must be distinct`,
    ],
  ],
  [
    "an AZ that is a region",
    withNetwork(prod, { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1"] }),
    [
      `${P}: network.availabilityZones[2]: got "eu-west-1"; must be an availability zone name such as "eu-west-1a"`,
    ],
  ],
  [
    "unknown NAT mode",
    withNetwork(prod, { natGateways: "two" }),
    [`${P}: network.natGateways: got "two"; must be one of "none", "single", "per-az"`],
  ],
  [
    "flow-log retention CloudWatch refuses",
    withNetwork(prod, { flowLogRetentionDays: 45 }),
    [
      `${P}: network.flowLogRetentionDays: got 45; must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days), or 0 to never expire`,
    ],
  ],
  [
    "existing VPC id malformed",
    { ...devExisting, network: { ...existingNetwork, vpcId: "vpc-xyz" } },
    [`${D}: network.vpcId: got "vpc-xyz"; must be a VPC id such as "vpc-0123456789abcdef0"`],
  ],
  [
    "existing VPC CIDR too small",
    { ...devExisting, network: { ...existingNetwork, cidr: "10.40.0.0/29" } },
    [`${D}: network.cidr: got "10.40.0.0/29"; must be a /16 to /28 (AWS VPC sizes)`],
  ],
  [
    "existing subnet id malformed",
    {
      ...devExisting,
      network: {
        ...existingNetwork,
        privateSubnets: [
          existingNetwork.privateSubnets[0],
          { id: "subnet-1", availabilityZone: "eu-west-1b" },
        ],
      },
    },
    [
      `${D}: network.privateSubnets[1].id: got "subnet-1"; must be a subnet id such as "subnet-0123456789abcdef0"`,
    ],
  ],
  [
    "existing subnet listed twice",
    {
      ...devExisting,
      network: {
        ...existingNetwork,
        privateSubnets: [
          existingNetwork.privateSubnets[0],
          { id: existingNetwork.privateSubnets[0].id, availabilityZone: "eu-west-1b" },
        ],
      },
    },
    [
      `${D}: network.privateSubnets[1]: got "subnet-0123456789abcdef0"; is listed twice: list each entry once`,
    ],
  ],
  [
    "existing subnets in one AZ",
    {
      ...devExisting,
      network: {
        ...existingNetwork,
        privateSubnets: existingNetwork.privateSubnets.map((s) => ({ ...s, availabilityZone: "eu-west-1a" })),
      },
    },
    [`${D}: network.privateSubnets: got ["eu-west-1a","eu-west-1a"]; availability zones must be distinct`],
  ],
  [
    "existing route table id malformed",
    { ...devExisting, network: { ...existingNetwork, privateRouteTableIds: ["rt-1"] } },
    [
      `${D}: network.privateRouteTableIds[0]: got "rt-1"; must be a route table id such as "rtb-0123456789abcdef0"`,
    ],
  ],
];

const clientCidrs: Row[] = [
  [
    "client CIDR 0.0.0.0/0",
    withNetwork(prod, { clientCidrs: ["0.0.0.0/0"] }),
    [
      `${P}: network.clientCidrs[0]: got "0.0.0.0/0"; must never be the internet (0.0.0.0/0 or ::/0): list the client ranges that need the brokers`,
    ],
  ],
  [
    "client CIDR ::/0",
    withNetwork(prod, { clientCidrs: ["::/0"] }),
    [
      `${P}: network.clientCidrs[0]: got "::/0"; must never be the internet (0.0.0.0/0 or ::/0): list the client ranges that need the brokers`,
    ],
  ],
  [
    "client CIDR in IPv6",
    withNetwork(prod, { clientCidrs: ["fd00::/8"] }),
    [`${P}: network.clientCidrs[0]: got "fd00::/8"; must be an IPv4 CIDR such as "10.20.0.0/16"`],
  ],
  [
    "client CIDR with host bits",
    withNetwork(prod, { clientCidrs: ["10.1.2.3/24"] }),
    [
      `${P}: network.clientCidrs[0]: got "10.1.2.3/24"; has host bits set: write the network address "10.1.2.0/24"`,
    ],
  ],
  [
    "client CIDR wider than /8",
    withNetwork(prod, { clientCidrs: ["16.0.0.0/4"] }),
    [
      `${P}: network.clientCidrs[0]: got "16.0.0.0/4"; must be /8 or narrower: list the client ranges that need the brokers`,
    ],
  ],
  [
    "client CIDR link-local",
    withNetwork(prod, { clientCidrs: ["169.254.0.0/16"] }),
    [
      `${P}: network.clientCidrs[0]: got "169.254.0.0/16"; must not be a loopback, link-local, multicast or reserved range`,
    ],
  ],
  [
    "client CIDRs overlapping",
    withNetwork(prod, { clientCidrs: ["10.0.0.0/8", "10.1.0.0/16"] }),
    [
      `${P}: network.clientCidrs[1]: got "10.1.0.0/16"; overlaps network.clientCidrs[0] (10.0.0.0/8): list each range once`,
    ],
  ],
];

const sizing: Row[] = [
  [
    "unknown cluster type",
    { ...prod, cluster: wrong({ type: "managed" }) },
    [`${P}: cluster.type: got "managed"; must be one of "provisioned", "serverless"`],
  ],
  [
    "Kafka version MSK does not offer",
    withCluster(prod, { kafkaVersion: "3.7.0" }),
    [
      `${P}: cluster.kafkaVersion: got "3.7.0"; must be a Kafka version MSK supports for new clusters: 3.8.x, 3.8.x.kraft, 3.9.x, 3.9.x.kraft, 4.0.x.kraft, 4.1.x.kraft (".kraft" runs without ZooKeeper; table of 2026-11-30 in stacks/validation/kafka-versions.ts)`,
    ],
  ],
  [
    "Kafka version AWS no longer creates clusters on (KRaft)",
    withCluster(prod, { kafkaVersion: "3.7.x.kraft" }),
    [
      `${P}: cluster.kafkaVersion: got "3.7.x.kraft"; reached end of support on 2026-09-01 and MSK no longer creates clusters on it: upgrade in place to 3.8.x.kraft, 3.9.x.kraft, 4.0.x.kraft, 4.1.x.kraft; AWS auto-upgrades clusters past end of support at a time of its choosing`,
    ],
  ],
  [
    "Kafka version AWS no longer creates clusters on (ZooKeeper)",
    withCluster(prod, { kafkaVersion: "3.6.0" }),
    [
      `${P}: cluster.kafkaVersion: got "3.6.0"; reached end of support on 2026-06-01 and MSK no longer creates clusters on it: upgrade in place to 3.8.x, 3.9.x; AWS auto-upgrades clusters past end of support at a time of its choosing`,
    ],
  ],
  [
    "a Kafka version Express brokers do not run",
    withCluster(prod, {
      instanceType: "express.m7g.large",
      kafkaVersion: "4.1.x.kraft",
      volumeSizeGiB: undefined,
      storageAutoscaling: undefined,
    }),
    [
      `${P}: cluster.kafkaVersion: got "4.1.x.kraft"; does not run on Express brokers: use 3.8.x, 3.8.x.kraft, 3.9.x.kraft, 4.2.x.kraft`,
    ],
  ],
  [
    "an Express-only Kafka version on Standard brokers",
    withCluster(prod, { kafkaVersion: "4.2.x.kraft" }),
    [
      `${P}: cluster.kafkaVersion: got "4.2.x.kraft"; does not run on Standard brokers: use 3.8.x, 3.8.x.kraft, 3.9.x, 3.9.x.kraft, 4.0.x.kraft, 4.1.x.kraft`,
    ],
  ],
  [
    "more brokers than a declared raised quota",
    withCluster({ ...prod, quotas: { brokersPerCluster: 45 } }, { brokersPerAz: 16 }),
    [
      `${P}: cluster.brokersPerAz: got 16; gives 48 brokers across 3 AZs, above the raised quota declared in quotas.brokersPerCluster (45): raise the quota in Service Quotas first, then the declaration`,
    ],
  ],
  [
    "a quota that is not a positive integer",
    { ...prod, quotas: { brokersPerCluster: 0 } },
    [`${P}: quotas.brokersPerCluster: got 0; must be an integer >= 1`],
  ],
  [
    "no brokers",
    withCluster(prod, { brokersPerAz: 0 }),
    [`${P}: cluster.brokersPerAz: got 0; must be an integer >= 1`],
  ],
  [
    "unknown broker type",
    withCluster(prod, { instanceType: "kafka.m5.medium" }),
    [
      `${P}: cluster.instanceType: got "kafka.m5.medium"; must be an MSK broker type: kafka.t3.small, kafka.m5.{large,xlarge,2xlarge,4xlarge,8xlarge,12xlarge,16xlarge,24xlarge}, kafka.m7g.{large,xlarge,2xlarge,4xlarge,8xlarge,12xlarge,16xlarge} or express.m7g.{same sizes as kafka.m7g}`,
    ],
  ],
  [
    "express brokers in two AZs",
    withCluster(dev, { instanceType: "express.m7g.large", volumeSizeGiB: undefined }),
    [
      `${D}: cluster.instanceType: got "express.m7g.large"; express brokers need 3 availability zones: list 3 AZs or use a kafka.m7g.* broker`,
    ],
  ],
  [
    "express brokers with an EBS volume",
    withCluster(prod, { instanceType: "express.m7g.large", storageAutoscaling: undefined }),
    [
      `${P}: cluster.volumeSizeGiB: got 1000; express brokers have no EBS volume (MSK manages their storage): remove it`,
    ],
  ],
  [
    "express brokers with storage autoscaling",
    withCluster(prod, { instanceType: "express.m7g.large", volumeSizeGiB: undefined }),
    [
      `${P}: cluster.storageAutoscaling: got {"maxVolumeSizeGiB":4000,"targetUtilizationPercent":60}; express brokers manage storage themselves: remove it`,
    ],
  ],
  [
    "express brokers with provisioned throughput",
    withCluster(prod, {
      instanceType: "express.m7g.large",
      volumeSizeGiB: undefined,
      storageAutoscaling: undefined,
      provisionedThroughputMiBps: 250,
    }),
    [
      `${P}: cluster.provisionedThroughputMiBps: got 250; express brokers manage storage throughput themselves: remove it`,
    ],
  ],
  [
    "volume too large",
    withCluster(prod, { volumeSizeGiB: 20000 }),
    [`${P}: cluster.volumeSizeGiB: got 20000; must be an integer between 1 and 16384`],
  ],
  [
    "throughput below the minimum",
    withCluster(prod, { instanceType: "kafka.m5.4xlarge", provisionedThroughputMiBps: 100 }),
    [`${P}: cluster.provisionedThroughputMiBps: got 100; must be an integer between 250 and 2375`],
  ],
  [
    "throughput on a broker too small for it",
    withCluster(prod, { provisionedThroughputMiBps: 250 }),
    [
      `${P}: cluster.provisionedThroughputMiBps: got 250; needs a kafka.m5.4xlarge, kafka.m7g.2xlarge or larger broker (instanceType is kafka.m5.xlarge): remove it or choose a larger broker`,
    ],
  ],
  [
    "throughput above the broker's EBS bandwidth",
    withCluster(prod, { instanceType: "kafka.m5.4xlarge", provisionedThroughputMiBps: 800 }),
    [
      `${P}: cluster.provisionedThroughputMiBps: got 800; must be at most 593 on kafka.m5.4xlarge (the broker's EBS bandwidth)`,
    ],
  ],
  [
    "throughput on a volume under 10 GiB",
    withCluster(prod, {
      instanceType: "kafka.m7g.4xlarge",
      provisionedThroughputMiBps: 300,
      volumeSizeGiB: 5,
    }),
    [`${P}: cluster.provisionedThroughputMiBps: got 300; needs volumeSizeGiB of at least 10 (it is 5)`],
  ],
  [
    "unknown storage mode",
    withCluster(prod, { storageMode: wrong("FAST") }),
    [`${P}: cluster.storageMode: got "FAST"; must be one of "LOCAL", "TIERED"`],
  ],
  [
    "tiered storage on t3",
    withCluster(dev, { storageMode: "TIERED" }),
    [
      `${D}: cluster.storageMode: got "TIERED"; TIERED is not available on kafka.t3.small: use "LOCAL" or a kafka.m5/m7g broker`,
    ],
  ],
  [
    "autoscaling ceiling below the volume",
    withCluster(prod, { storageAutoscaling: { maxVolumeSizeGiB: 900 } }),
    [
      `${P}: cluster.storageAutoscaling.maxVolumeSizeGiB: got 900; must be greater than cluster.volumeSizeGiB (1000), or autoscaling can never grow the volume`,
    ],
  ],
  [
    "autoscaling ceiling above EBS",
    withCluster(prod, { storageAutoscaling: { maxVolumeSizeGiB: 20000 } }),
    [`${P}: cluster.storageAutoscaling.maxVolumeSizeGiB: got 20000; must be an integer between 1 and 16384`],
  ],
  [
    "autoscaling target too high",
    withCluster(prod, { storageAutoscaling: { maxVolumeSizeGiB: 4000, targetUtilizationPercent: 90 } }),
    [
      `${P}: cluster.storageAutoscaling.targetUtilizationPercent: got 90; must be an integer between 10 and 80`,
    ],
  ],
  [
    "unknown monitoring level",
    withCluster(prod, { enhancedMonitoring: wrong("ALL") }),
    [
      `${P}: cluster.enhancedMonitoring: got "ALL"; must be one of "DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"`,
    ],
  ],
  [
    "open monitoring flag not a boolean",
    withCluster(prod, { openMonitoring: { jmxExporter: wrong("yes"), nodeExporter: true } }),
    [`${P}: cluster.openMonitoring.jmxExporter: got "yes"; must be true or false`],
  ],
];

const access: Row[] = [
  [
    "unknown client-broker encryption",
    withCluster(prod, { clientBroker: wrong("SSL") }),
    [`${P}: cluster.clientBroker: got "SSL"; must be one of "TLS", "TLS_PLAINTEXT", "PLAINTEXT"`],
  ],
  [
    "plaintext listener in production",
    withCluster(prod, { clientBroker: "TLS_PLAINTEXT", auth: { iam: true, unauthenticated: false } }),
    [
      `${P}: cluster.clientBroker: got "TLS_PLAINTEXT"; must be "TLS" in a production environment (no plaintext listener)`,
    ],
  ],
  [
    "PLAINTEXT with IAM",
    withCluster(dev, { clientBroker: "PLAINTEXT" }),
    [
      `${D}: cluster.clientBroker: got "PLAINTEXT"; PLAINTEXT cannot carry IAM, SCRAM or mutual-TLS authentication (they need TLS): use "TLS"`,
    ],
  ],
  [
    "TLS_PLAINTEXT without unauthenticated clients",
    withCluster(dev, { clientBroker: "TLS_PLAINTEXT" }),
    [
      `${D}: cluster.clientBroker: got "TLS_PLAINTEXT"; TLS_PLAINTEXT adds a plaintext listener that only unauthenticated clients can use: use "TLS", or set cluster.auth.unauthenticated to true`,
    ],
  ],
  [
    "no authentication at all",
    withCluster(dev, { auth: { iam: false } }),
    [
      `${D}: cluster.auth: got {"iam":false}; must enable at least one of iam, scram, mutualTls or unauthenticated`,
    ],
  ],
  [
    "unauthenticated clients in production",
    withCluster(prod, { auth: { iam: true, unauthenticated: true } }),
    [
      `${P}: cluster.auth.unauthenticated: got true; must be false in a production environment: authenticate clients with iam, scram or mutualTls`,
    ],
  ],
  [
    "IAM flag not a boolean",
    withCluster(prod, { auth: { iam: wrong("true") } }),
    [`${P}: cluster.auth.iam: got "true"; must be true or false`],
  ],
  [
    "SCRAM without users",
    withCluster(prod, { auth: { iam: true, scram: { users: [] } } }),
    [`${P}: cluster.auth.scram.users: got []; must list at least one SCRAM user`],
  ],
  [
    "SCRAM user with a space",
    withCluster(prod, { auth: { iam: true, scram: { users: ["legacy etl"] } } }),
    [
      `${P}: cluster.auth.scram.users[0]: got "legacy etl"; must be a user name of 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    ],
  ],
  [
    "SCRAM user twice",
    withCluster(prod, { auth: { iam: true, scram: { users: ["etl", "etl"] } } }),
    [`${P}: cluster.auth.scram.users[1]: got "etl"; is listed twice: list each entry once`],
  ],
  [
    "mutual TLS without a CA",
    withCluster(prod, { auth: { mutualTls: { certificateAuthorityArns: [] } } }),
    [
      `${P}: cluster.auth.mutualTls.certificateAuthorityArns: got []; must list at least one ACM Private CA ARN`,
    ],
  ],
  [
    "mutual TLS with an ACM certificate instead of a CA",
    withCluster(prod, {
      auth: {
        mutualTls: { certificateAuthorityArns: ["arn:aws:acm:eu-west-1:333333333333:certificate/abc"] },
      },
    }),
    [
      `${P}: cluster.auth.mutualTls.certificateAuthorityArns[0]: got "arn:aws:acm:eu-west-1:333333333333:certificate/abc"; must be an ACM Private CA ARN such as "arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/<uuid>"`,
    ],
  ],
  [
    "mutual TLS CA of another partition",
    withCluster(prod, {
      auth: {
        mutualTls: {
          certificateAuthorityArns: [
            "arn:aws-cn:acm-pca:cn-north-1:333333333333:certificate-authority/12345678-1234-1234-1234-123456789012",
          ],
        },
      },
    }),
    [
      // Long values are cut at 80 characters.
      `${P}: cluster.auth.mutualTls.certificateAuthorityArns[0]: got "arn:aws-cn:acm-pca:cn-north-1:333333333333:certificate-authority/12345678-12...; must be in the environment's partition "aws"`,
    ],
  ],
  [
    "public access in a created VPC",
    withCluster(prod, { publicAccess: true }),
    [
      `${P}: cluster.publicAccess: got true; needs brokers in public subnets, and network.mode "create" puts them in private subnets: use network.mode "existing" with public subnets, or keep it false`,
    ],
  ],
  [
    "public access with unauthenticated clients over plaintext",
    withCluster(devExisting, {
      publicAccess: true,
      clientBroker: "TLS_PLAINTEXT",
      auth: { iam: true, unauthenticated: true },
    }),
    [
      `${D}: cluster.publicAccess: got true; needs iam, scram or mutualTls authentication and cluster.auth.unauthenticated false`,
      `${D}: cluster.publicAccess: got true; needs cluster.clientBroker "TLS" (MSK refuses public access while plaintext is on)`,
    ],
  ],
  [
    "public access with SCRAM but no ACLs",
    withCluster(devExisting, { publicAccess: true, auth: { iam: true, scram: { users: ["etl"] } } }),
    [
      `${D}: cluster.publicAccess: got true; with scram or mutualTls needs Kafka ACLs: set cluster.kafka.serverProperties["allow.everyone.if.no.acl.found"] to "false"`,
    ],
  ],
];

const kafka: Row[] = [
  [
    "replication factor above the broker count",
    withKafka(prod, { defaultReplicationFactor: 7 }),
    [`${P}: cluster.kafka.defaultReplicationFactor: got 7; must be <= the broker count (6)`],
  ],
  [
    "replication factor 2 in production",
    withKafka(prod, { defaultReplicationFactor: 2 }),
    [
      `${P}: cluster.kafka.defaultReplicationFactor: got 2; must be >= 3 in a production environment (a broker can fail while another is patched)`,
    ],
  ],
  [
    "min ISR equal to the replication factor",
    withKafka(prod, { minInsyncReplicas: 3 }),
    [
      `${P}: cluster.kafka.minInsyncReplicas: got 3; must be less than the replication factor (3), or one broker down stops every acks=all producer`,
    ],
  ],
  [
    "min ISR 1 in production",
    withKafka(prod, { minInsyncReplicas: 1 }),
    [
      `${P}: cluster.kafka.minInsyncReplicas: got 1; must be >= 2 in a production environment (acks=all must mean two copies)`,
    ],
  ],
  [
    "min ISR 0",
    withKafka(dev, { minInsyncReplicas: 0 }),
    [`${D}: cluster.kafka.minInsyncReplicas: got 0; must be an integer >= 1`],
  ],
  [
    "auto-create flag not a boolean",
    withKafka(prod, { autoCreateTopics: wrong("no") }),
    [`${P}: cluster.kafka.autoCreateTopics: got "no"; must be true or false`],
  ],
  [
    "retention of 0 hours",
    withKafka(prod, { logRetentionHours: 0 }),
    [`${P}: cluster.kafka.logRetentionHours: got 0; must be an integer >= 1`],
  ],
  [
    "message size 0",
    withKafka(prod, { messageMaxBytes: 0 }),
    [`${P}: cluster.kafka.messageMaxBytes: got 0; must be an integer between 1 and 2147483647`],
  ],
  [
    "no partitions",
    withKafka(prod, { defaultPartitions: 0 }),
    [`${P}: cluster.kafka.defaultPartitions: got 0; must be an integer >= 1`],
  ],
  [
    "server property that bypasses a typed setting",
    withKafka(prod, { serverProperties: { "min.insync.replicas": "1" } }),
    [
      `${P}: cluster.kafka.serverProperties["min.insync.replicas"]: got "1"; is managed by the platform: set cluster.kafka.minInsyncReplicas instead`,
    ],
  ],
  [
    "server property re-enabling unclean election",
    withKafka(prod, { serverProperties: { "unclean.leader.election.enable": "true" } }),
    [
      `${P}: cluster.kafka.serverProperties["unclean.leader.election.enable"]: got "true"; is managed by the platform: set (always false: replicas outside the ISR never become leader) instead`,
    ],
  ],
  [
    "server property name with a space",
    withKafka(prod, { serverProperties: { "log cleaner": "2" } }),
    [
      `${P}: cluster.kafka.serverProperties["log cleaner"]: got "log cleaner"; must be a Kafka property name such as "log.cleaner.threads"`,
    ],
  ],
  [
    "server property value empty",
    withKafka(prod, { serverProperties: { "num.io.threads": "" } }),
    [
      `${P}: cluster.kafka.serverProperties["num.io.threads"]: got ""; must be a non-empty single-line string`,
    ],
  ],
];

const logging: Row[] = [
  [
    "broker log retention CloudWatch refuses",
    withCluster(prod, { logging: { retentionDays: 100 } }),
    [
      `${P}: cluster.logging.retentionDays: got 100; must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days), or 0 to never expire`,
    ],
  ],
  [
    "broker log bucket named like an IP",
    withCluster(prod, { logging: { s3: { bucket: "192.168.1.1" } } }),
    [
      `${P}: cluster.logging.s3.bucket: got "192.168.1.1"; must be a valid S3 bucket name: it must not be formatted as an IP address`,
    ],
  ],
  [
    "broker log prefix starting with /",
    withCluster(prod, { logging: { s3: { bucket: "acme-logs", prefix: "/msk" } } }),
    [
      `${P}: cluster.logging.s3.prefix: got "/msk"; must be a key prefix not starting with "/", e.g. "msk/broker-logs/"`,
    ],
  ],
  [
    "Firehose stream name with a space",
    withCluster(prod, { logging: { firehoseDeliveryStream: "broker logs" } }),
    [
      `${P}: cluster.logging.firehoseDeliveryStream: got "broker logs"; must be a Firehose delivery stream name (1-64 letters, digits, '_', '.' or '-')`,
    ],
  ],
];

const clientAccess: Row[] = [
  [
    "no topic patterns",
    withCluster(prod, { clientAccess: { topicPatterns: [], consumerGroupPatterns: ["orders-*"] } }),
    [`${P}: cluster.clientAccess.topicPatterns: got []; must list at least one topic pattern`],
  ],
  [
    "a bare * topic pattern",
    withCluster(prod, { clientAccess: { topicPatterns: ["*"], consumerGroupPatterns: ["orders-*"] } }),
    [
      `${P}: cluster.clientAccess.topicPatterns[0]: got "*"; must name a prefix before "*" (a bare "*" would grant every name)`,
    ],
  ],
  [
    "a wildcard in the middle",
    withCluster(prod, {
      clientAccess: { topicPatterns: ["orders.*.v1", "payments.*"], consumerGroupPatterns: [] },
    }),
    [
      `${P}: cluster.clientAccess.topicPatterns[0]: got "orders.*.v1"; may contain only letters, digits, '.', '_' and '-', with an optional single trailing '*'`,
    ],
  ],
  [
    "a topic pattern twice",
    withCluster(prod, {
      clientAccess: { topicPatterns: ["orders.*", "orders.*", "payments.*"], consumerGroupPatterns: [] },
    }),
    [`${P}: cluster.clientAccess.topicPatterns[1]: got "orders.*"; is listed twice: list each entry once`],
  ],
  [
    "a consumer group pattern with a space",
    withCluster(prod, {
      clientAccess: { topicPatterns: ["orders.*", "payments.*"], consumerGroupPatterns: ["orders team"] },
    }),
    [
      `${P}: cluster.clientAccess.consumerGroupPatterns[0]: got "orders team"; may contain only letters, digits, '.', '_' and '-', with an optional single trailing '*'`,
    ],
  ],
  [
    "a serverless cluster with a bad pattern",
    {
      ...dev,
      cluster: {
        type: "serverless",
        clientAccess: { topicPatterns: ["dev.*", "dev/*"], consumerGroupPatterns: [] },
      },
    },
    [
      `${D}: cluster.clientAccess.topicPatterns[1]: got "dev/*"; may contain only letters, digits, '.', '_' and '-', with an optional single trailing '*'`,
    ],
  ],
];

const sink: Row[] = [
  [
    "sink missing",
    { ...prod, sink: wrong(undefined) },
    [`${P}: sink: got undefined; must be an object with at least archive`],
  ],
  [
    "bucket name with capitals",
    withSink(prod, { bucketName: "Acme_Sink" }),
    [
      `${P}: sink.bucketName: got "Acme_Sink"; must be a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens`,
    ],
  ],
  [
    "bucket name too short",
    withSink(prod, { bucketName: "ab" }),
    [
      `${P}: sink.bucketName: got "ab"; must be a valid S3 bucket name: it must be 3-63 characters (it has 2)`,
    ],
  ],
  [
    "bucket name ending in a hyphen",
    withSink(prod, { bucketName: "acme-sink-" }),
    [
      `${P}: sink.bucketName: got "acme-sink-"; must be a valid S3 bucket name: it must begin and end with a lowercase letter or digit`,
    ],
  ],
  [
    "bucket name with two adjacent dots",
    withSink(prod, { bucketName: "acme..sink" }),
    [
      `${P}: sink.bucketName: got "acme..sink"; must be a valid S3 bucket name: it must not contain two adjacent dots`,
    ],
  ],
  [
    "bucket name with the xn-- prefix",
    withSink(prod, { bucketName: "xn--acme-sink" }),
    [
      `${P}: sink.bucketName: got "xn--acme-sink"; must be a valid S3 bucket name: it must not start with the reserved prefix "xn--"`,
    ],
  ],
  [
    "bucket name with the -s3alias suffix",
    withSink(prod, { bucketName: "acme-sink-s3alias" }),
    [
      `${P}: sink.bucketName: got "acme-sink-s3alias"; must be a valid S3 bucket name: it must not end with the reserved suffix "-s3alias"`,
    ],
  ],
  [
    "bucket name with dots",
    withSink(prod, { bucketName: "acme.sink" }),
    [
      `${P}: sink.bucketName: got "acme.sink"; must be a valid S3 bucket name: it must not contain dots (TLS certificates of virtual-hosted S3 requests do not cover them)`,
    ],
  ],
  [
    "bucket name taken by the access-log bucket",
    withSink(prod, { bucketName: "msk-platform-prod-sink-logs-333333333333-eu-west-1" }),
    [
      `${P}: sink.bucketName: got "msk-platform-prod-sink-logs-333333333333-eu-west-1"; is the name of the environment's access-log bucket: choose another name`,
    ],
  ],
  [
    "environment name too long for the derived bucket names",
    { ...prodNewCluster, name: "production-eu-west" },
    [
      `environments/production-eu-west.ts: name: got "production-eu-west"; makes the access-log bucket name "msk-platform-production-eu-west-sink-logs-333333333333-eu-west-1" 64 characters long (S3 allows 63): shorten the environment name or project`,
    ],
  ],
  [
    "unknown archive class",
    withSink(prod, { archive: { storageClass: wrong("STANDARD_IA"), afterDays: 90 } }),
    [
      `${P}: sink.archive.storageClass: got "STANDARD_IA"; must be one of "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"`,
    ],
  ],
  [
    "archive before day 0",
    withSink(prod, { archive: { storageClass: "GLACIER", afterDays: -1 } }),
    [`${P}: sink.archive.afterDays: got -1; must be an integer >= 0`],
  ],
  [
    "expiry before the archive minimum",
    withSink(prod, { expireAfterDays: 100 }),
    [
      `${P}: sink.expireAfterDays: got 100; must be at least 180: objects move to GLACIER after 90 days and GLACIER bills a minimum of 90 days; raise it, archive earlier or remove the expiry`,
    ],
  ],
  [
    "expiry before the transition",
    withSink(dev, { archive: { storageClass: "DEEP_ARCHIVE", afterDays: 30 }, expireAfterDays: 20 }),
    [
      `${D}: sink.expireAfterDays: got 20; must be at least 210: objects move to DEEP_ARCHIVE after 30 days and DEEP_ARCHIVE bills a minimum of 180 days; raise it, archive earlier or remove the expiry`,
    ],
  ],
  [
    "expiry of 0 days",
    withSink(prod, { expireAfterDays: 0 }),
    [`${P}: sink.expireAfterDays: got 0; must be an integer >= 1`],
  ],
  [
    "noncurrent versions kept 0 days",
    withSink(prod, { noncurrentVersionExpirationDays: 0 }),
    [`${P}: sink.noncurrentVersionExpirationDays: got 0; must be an integer >= 1`],
  ],
  [
    "access logs kept 0 days",
    withSink(prod, { accessLogExpirationDays: 0 }),
    [`${P}: sink.accessLogExpirationDays: got 0; must be an integer >= 1`],
  ],
];

const connect: Row[] = [
  [
    "no sink topics",
    { ...prod, connect: { topics: [] } },
    [`${P}: connect.topics: got []; must list at least one topic`],
  ],
  [
    "a sink topic with a slash",
    { ...prod, connect: { topics: ["orders/created"] } },
    [`${P}: connect.topics[0]: got "orders/created"; may contain only letters, digits, '.', '_' and '-'`],
  ],
  [
    "a sink topic named ..",
    { ...prod, connect: { topics: [".."] } },
    [`${P}: connect.topics[0]: got ".."; must not be "." or ".."`],
  ],
  [
    "a sink topic twice",
    { ...prod, connect: { topics: ["orders.created", "orders.created"] } },
    [`${P}: connect.topics[1]: got "orders.created"; is listed twice: list each entry once`],
  ],
  [
    "a sink topic no client policy can write",
    { ...prod, connect: { topics: ["orders.created", "audit.events"] } },
    [
      `${P}: connect.topics[1]: got "audit.events"; must match one of cluster.clientAccess.topicPatterns (orders.*, payments.*), or no exported producer policy can write it: add a pattern or fix the name`,
    ],
  ],
  [
    "connector log retention CloudWatch refuses",
    { ...prod, connect: { ...prod.connect, logRetentionDays: 10 } },
    [
      `${P}: connect.logRetentionDays: got 10; must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days), or 0 to never expire`,
    ],
  ],
  [
    "plugin bucket given by name",
    withConnector({ plugin: { ...connector.plugin, bucketArn: "acme-connect-plugins" } }),
    [
      `${D}: connect.connector.plugin.bucketArn: got "acme-connect-plugins"; must be an S3 bucket ARN such as "arn:aws:s3:::my-plugins-bucket"`,
    ],
  ],
  [
    "plugin bucket ARN with an invalid name",
    withConnector({ plugin: { ...connector.plugin, bucketArn: "arn:aws:s3:::Acme_Plugins" } }),
    [
      `${D}: connect.connector.plugin.bucketArn: got "Acme_Plugins"; must be a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens`,
    ],
  ],
  [
    "plugin bucket in another partition",
    withConnector({ plugin: { ...connector.plugin, bucketArn: "arn:aws-cn:s3:::acme-connect-plugins" } }),
    [
      `${D}: connect.connector.plugin.bucketArn: got "arn:aws-cn:s3:::acme-connect-plugins"; must be in the environment's partition "aws"`,
    ],
  ],
  [
    "plugin key starting with /",
    withConnector({ plugin: { ...connector.plugin, fileKey: "/plugins/s3.zip" } }),
    [
      `${D}: connect.connector.plugin.fileKey: got "/plugins/s3.zip"; must be an object key of 1-1024 characters not starting with "/", e.g. "plugins/confluentinc-kafka-connect-s3-10.5.0.zip"`,
    ],
  ],
  [
    "plugin key of the other content type",
    withConnector({ plugin: { ...connector.plugin, fileKey: "plugins/s3.jar" } }),
    [
      `${D}: connect.connector.plugin.fileKey: got "plugins/s3.jar"; must end in ".zip" to match contentType "ZIP"`,
    ],
  ],
  [
    "unknown plugin content type",
    withConnector({ plugin: { ...connector.plugin, contentType: wrong("TAR") } }),
    [`${D}: connect.connector.plugin.contentType: got "TAR"; must be one of "ZIP", "JAR"`],
  ],
  [
    "Kafka Connect version MSK Connect lacks",
    withConnector({ kafkaConnectVersion: "3.0" }),
    [`${D}: connect.connector.kafkaConnectVersion: got "3.0"; must be one of "2.7.1", "3.7.x"`],
  ],
  [
    "no tasks",
    withConnector({ tasksMax: 0 }),
    [`${D}: connect.connector.tasksMax: got 0; must be an integer >= 1`],
  ],
  [
    "flush size 0",
    withConnector({ flushSize: 0 }),
    [`${D}: connect.connector.flushSize: got 0; must be an integer >= 1`],
  ],
  [
    "rotation interval 0",
    withConnector({ rotateIntervalMs: 0 }),
    [`${D}: connect.connector.rotateIntervalMs: got 0; must be an integer >= 1`],
  ],
  [
    "unknown output format",
    withConnector({ format: wrong("csv") }),
    [`${D}: connect.connector.format: got "csv"; must be one of "json", "avro", "parquet"`],
  ],
  [
    "unknown partitioner",
    withConnector({ partitioner: wrong("hourly") }),
    [`${D}: connect.connector.partitioner: got "hourly"; must be one of "default", "time"`],
  ],
  [
    "3 MCUs",
    withCapacity({ mcuCount: 3 }),
    [`${D}: connect.connector.capacity.mcuCount: got 3; must be one of 1, 2, 4, 8`],
  ],
  [
    "no workers",
    withCapacity({ minWorkers: 0 }),
    [`${D}: connect.connector.capacity.minWorkers: got 0; must be an integer between 1 and 10`],
  ],
  [
    "11 workers",
    withCapacity({ maxWorkers: 11 }),
    [`${D}: connect.connector.capacity.maxWorkers: got 11; must be an integer between 1 and 10`],
  ],
  [
    "max workers below min workers",
    withCapacity({ minWorkers: 4, maxWorkers: 2 }),
    [
      `${D}: connect.connector.capacity.maxWorkers: got 2; must be >= connect.connector.capacity.minWorkers (4)`,
    ],
  ],
  [
    "scale-in CPU 0",
    withCapacity({ scaleInCpuPercent: 0 }),
    [`${D}: connect.connector.capacity.scaleInCpuPercent: got 0; must be an integer between 1 and 100`],
  ],
  [
    "scale-out CPU above 100",
    withCapacity({ scaleOutCpuPercent: 101 }),
    [`${D}: connect.connector.capacity.scaleOutCpuPercent: got 101; must be an integer between 1 and 100`],
  ],
  [
    "scale-in above the default scale-out",
    withCapacity({ scaleInCpuPercent: 90 }),
    [
      `${D}: connect.connector.capacity.scaleInCpuPercent: got 90; scale-in CPU (90) must be below scale-out CPU (80), or workers flap`,
    ],
  ],
  [
    "scale-out below the default scale-in",
    withCapacity({ scaleOutCpuPercent: 10 }),
    [
      `${D}: connect.connector.capacity.scaleOutCpuPercent: got 10; scale-in CPU (20) must be below scale-out CPU (10), or workers flap`,
    ],
  ],
  [
    "connector on a cluster without IAM",
    withCluster(devConnector, { auth: { iam: false, scram: { users: ["etl"] } } }),
    [
      `${D}: cluster.auth.iam: got false; must be true while connect.connector is set: the Connect execution role authenticates with IAM`,
    ],
  ],
];

const alarms: Row[] = [
  [
    "alarm email without a domain",
    { ...prod, alarms: { emailEndpoints: ["oncall"] } },
    [`${P}: alarms.emailEndpoints[0]: got "oncall"; must be an email address such as "oncall@example.com"`],
  ],
  [
    "alarm email twice",
    { ...prod, alarms: { emailEndpoints: ["oncall@example.com", "oncall@example.com"] } },
    [`${P}: alarms.emailEndpoints[1]: got "oncall@example.com"; is listed twice: list each entry once`],
  ],
];

/** prod on Express brokers: no EBS settings. */
const prodExpress = withCluster(prod, {
  instanceType: "express.m7g.large",
  volumeSizeGiB: undefined,
  storageAutoscaling: undefined,
});

const fidelity: Row[] = [
  [
    "a broker property MSK does not let a configuration set (broker.id)",
    withKafka(prod, { serverProperties: { "broker.id": "7" } }),
    [
      `${P}: cluster.kafka.serverProperties["broker.id"]: got "7"; is not a property MSK lets a configuration set on 3.9.x.kraft Standard brokers (CreateConfiguration refuses it; the allowed keys are in stacks/validation/server-properties.ts, from MSK Developer Guide, Custom Amazon MSK configurations (no zookeeper.* on KRaft)): remove it`,
    ],
  ],
  [
    "listeners and zookeeper.connect",
    withKafka(withCluster(prod, { kafkaVersion: "3.9.x" }), {
      serverProperties: { listeners: "PLAINTEXT://:9092", "zookeeper.connect": "zk:2181" },
    }),
    [
      `${P}: cluster.kafka.serverProperties["listeners"]: got "PLAINTEXT://:9092"; is not a property MSK lets a configuration set on 3.9.x Standard brokers (CreateConfiguration refuses it; the allowed keys are in stacks/validation/server-properties.ts, from MSK Developer Guide, Custom Amazon MSK configurations): remove it`,
      `${P}: cluster.kafka.serverProperties["zookeeper.connect"]: got "zk:2181"; is not a property MSK lets a configuration set on 3.9.x Standard brokers (CreateConfiguration refuses it; the allowed keys are in stacks/validation/server-properties.ts, from MSK Developer Guide, Custom Amazon MSK configurations): remove it`,
    ],
  ],
  [
    "a ZooKeeper property on a KRaft cluster",
    withKafka(prod, { serverProperties: { "zookeeper.session.timeout.ms": "10000" } }),
    [
      `${P}: cluster.kafka.serverProperties["zookeeper.session.timeout.ms"]: got "10000"; is not a property MSK lets a configuration set on 3.9.x.kraft Standard brokers (CreateConfiguration refuses it; the allowed keys are in stacks/validation/server-properties.ts, from MSK Developer Guide, Custom Amazon MSK configurations (no zookeeper.* on KRaft)): remove it`,
    ],
  ],
  [
    "a property Kafka 4 removed",
    withKafka(withCluster(prod, { kafkaVersion: "4.1.x.kraft" }), {
      serverProperties: { "log.message.timestamp.difference.max.ms": "3600000" },
    }),
    [
      `${P}: cluster.kafka.serverProperties["log.message.timestamp.difference.max.ms"]: got "3600000"; is not a property MSK lets a configuration set on 4.1.x.kraft Standard brokers (CreateConfiguration refuses it; the allowed keys are in stacks/validation/server-properties.ts, from MSK Developer Guide, Custom Amazon MSK configurations (Kafka 4 removed log.message.timestamp.difference.max.ms)): remove it`,
    ],
  ],
  [
    "a value outside MSK's range",
    withKafka(prod, { serverProperties: { "replica.lag.time.max.ms": "45000" } }),
    [
      `${P}: cluster.kafka.serverProperties["replica.lag.time.max.ms"]: got "45000"; must be a number between 10000 and 30000`,
    ],
  ],
  [
    "a cleanup policy that is not one",
    withKafka(prod, { serverProperties: { "log.cleanup.policy": "archive" } }),
    [
      `${P}: cluster.kafka.serverProperties["log.cleanup.policy"]: got "archive"; must be "delete", "compact" or "compact,delete"`,
    ],
  ],
  [
    "compaction as the default of a tiered-storage cluster",
    withKafka(withCluster(prod, { storageMode: "TIERED" }), {
      serverProperties: { "log.cleanup.policy": "compact" },
    }),
    [
      `${P}: cluster.kafka.serverProperties["log.cleanup.policy"]: got "compact"; must be "delete" with storageMode "TIERED": tiered storage does not take compacted logs as the cluster default (compact individual topics without tiered storage instead)`,
    ],
  ],
  [
    "log.retention.ms next to logRetentionHours (it would win)",
    withKafka(prod, { serverProperties: { "log.retention.ms": "3600000" } }),
    [
      `${P}: cluster.kafka.serverProperties["log.retention.ms"]: got "3600000"; takes precedence over log.retention.hours, so cluster.kafka.logRetentionHours (168) would not apply: keep one of the two`,
    ],
  ],
  [
    "a replication factor other than Express's fixed 3",
    withKafka(prodExpress, { defaultReplicationFactor: 4 }),
    [
      `${P}: cluster.kafka.defaultReplicationFactor: got 4; is fixed at 3 on Express brokers (read-only in MSK): remove it or set 3`,
    ],
  ],
  [
    "a min ISR other than Express's fixed 2",
    withKafka(prodExpress, { minInsyncReplicas: 1 }),
    [
      `${P}: cluster.kafka.minInsyncReplicas: got 1; is fixed at 2 on Express brokers (read-only in MSK): remove it or set 2`,
    ],
  ],
  [
    "a read-only property on Express brokers",
    withKafka(prodExpress, { serverProperties: { "num.io.threads": "16" } }),
    [
      `${P}: cluster.kafka.serverProperties["num.io.threads"]: got "16"; is not a property MSK lets a configuration set on 3.9.x.kraft Express brokers (CreateConfiguration refuses it; the allowed keys are in stacks/validation/server-properties.ts, from MSK Developer Guide, Custom MSK Express broker configurations (static, read/write)): remove it`,
    ],
  ],
  [
    "an AZ the Region does not have",
    withNetwork(prod, { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1d"] }),
    [
      `${P}: network.availabilityZones[2]: got "eu-west-1d"; is not an availability zone of eu-west-1, which has eu-west-1a, eu-west-1b, eu-west-1c (table of 2026-11-30)`,
    ],
  ],
  [
    "an existing subnet in an AZ the Region does not have",
    {
      ...devExisting,
      network: {
        ...existingNetwork,
        privateSubnets: [
          { id: "subnet-0123456789abcdef0", availabilityZone: "eu-west-1a" },
          { id: "subnet-0123456789abcdef1", availabilityZone: "eu-west-1e" },
        ],
      },
    },
    [
      `${D}: network.privateSubnets[1].availabilityZone: got "eu-west-1e"; is not an availability zone of eu-west-1, which has eu-west-1a, eu-west-1b, eu-west-1c (table of 2026-11-30)`,
    ],
  ],
  [
    "three AZs for Standard brokers in us-west-1",
    withNetwork(
      { ...dev, region: "us-west-1" },
      { availabilityZones: ["us-west-1a", "us-west-1b", "us-west-1c"] },
    ),
    [
      `${D}: network.availabilityZones: got ["us-west-1a","us-west-1b","us-west-1c"]; must list exactly 2 availability zones in us-west-1: MSK Standard brokers there take exactly two subnets`,
    ],
  ],
  [
    "a production environment in us-west-1",
    withNetwork(
      // prod's sharing names its eu-west-1 cluster and client VPC, its Lambda consumers eu-west-1 ARNs: a
      // Region move is a new environment.
      { ...prod, region: "us-west-1", sharing: undefined, consumers: undefined },
      { availabilityZones: ["us-west-1a", "us-west-1b", "us-west-1c"] },
    ),
    [
      `${P}: network.availabilityZones: got ["us-west-1a","us-west-1b","us-west-1c"]; must list exactly 2 availability zones in us-west-1: MSK Standard brokers there take exactly two subnets (a production environment needs 3 AZs, so it cannot run in this Region)`,
    ],
  ],
  [
    "an associated SCRAM user without a secret",
    withCluster(prod, { auth: { iam: true, scram: { users: ["etl"], associatedUsers: ["audit"] } } }),
    [
      `${P}: cluster.auth.scram.associatedUsers[0]: got "audit"; must be one of cluster.auth.scram.users (etl): a user gets its secret first, then is associated once the secret holds a value`,
    ],
  ],
  [
    "an associated SCRAM user twice",
    withCluster(prod, { auth: { iam: true, scram: { users: ["etl"], associatedUsers: ["etl", "etl"] } } }),
    [`${P}: cluster.auth.scram.associatedUsers[1]: got "etl"; is listed twice: list each entry once`],
  ],
  [
    "associated SCRAM users that are not a list",
    withCluster(prod, { auth: { iam: true, scram: { users: ["etl"], associatedUsers: wrong("etl") } } }),
    [`${P}: cluster.auth.scram.associatedUsers: got "etl"; must be a list of SCRAM user`],
  ],
  [
    "an S3 prefix list id that is not one",
    { ...devExisting, network: { ...existingNetwork, privateRouteTableIds: [], s3PrefixListId: "pl-xyz" } },
    [
      `${D}: network.s3PrefixListId: got "pl-xyz"; must be the id of the S3 prefix list of a gateway endpoint, such as "pl-6ea54007"`,
    ],
  ],
];

describe.each([
  ["AWS fidelity (issue 12)", fidelity],
  ["identity and tags", identity],
  ["state backend", backend],
  ["network", network],
  ["client CIDRs", clientCidrs],
  ["cluster sizing and storage", sizing],
  ["encryption in transit and authentication", access],
  ["Kafka settings", kafka],
  ["broker logging", logging],
  ["client access patterns", clientAccess],
  ["sink bucket", sink],
  ["MSK Connect", connect],
  ["alarms", alarms],
])("validation: %s", (_area, rows) => {
  it.each(rows.map(([title, config, expected]) => ({ title, config, expected })))(
    "refuses $title",
    ({ config, expected }) => {
      expect(errors(config)).toEqual(expected);
    },
  );
});

describe("validation never throws on malformed input", () => {
  it("reports a section of the wrong type instead of crashing", () => {
    const broken = {
      ...prod,
      network: wrong<NetworkConfig>({ mode: "create", cidr: 42, availabilityZones: "eu-west-1a" }),
    };
    expect(errors(broken)).toEqual([
      `${P}: network.cidr: got 42; must be an IPv4 CIDR such as "10.20.0.0/16"`,
      `${P}: network.availabilityZones: got "eu-west-1a"; must list at least one availability zone`,
    ]);
  });

  it("reports every problem of an environment together, in field order", () => {
    const many = withCluster({ ...prod, accountId: "1" }, { brokersPerAz: 0, volumeSizeGiB: 0 });
    expect(errors(many)).toEqual([
      `${P}: accountId: got "1"; must be a 12-digit AWS account id`,
      `${P}: cluster.brokersPerAz: got 0; must be an integer >= 1`,
      `${P}: cluster.volumeSizeGiB: got 0; must be an integer between 1 and 16384`,
    ]);
  });
});

describe("validation across environments", () => {
  it("refuses two environments writing the same sink bucket", () => {
    const a = withSink(dev, { bucketName: "acme-sink" });
    const b = withSink({ ...prod }, { bucketName: "acme-sink" });
    expect(
      validateAcrossEnvironments([
        { file: "environments/dev.ts", config: a },
        { file: "environments/prod.ts", config: b },
      ]),
    ).toEqual([
      {
        file: "environments/prod.ts",
        issues: [
          {
            path: "sink.bucketName",
            value: "acme-sink",
            allowed:
              "bucket names are global: give each environment its own (environments/dev.ts uses it too)",
          },
        ],
      },
    ]);
  });

  it("refuses two environments sharing a state object", () => {
    const shared = { type: "s3" as const, bucket: "acme-state", key: "msk.tfstate" };
    const problems = validateAcrossEnvironments([
      { file: "environments/staging.ts", config: { ...ENVIRONMENTS.staging, backend: shared } },
      { file: "environments/prod.ts", config: { ...prod, backend: shared } },
    ]);
    expect(problems.map((p) => formatIssue(p.file, p.issues[0]))).toEqual([
      `environments/prod.ts: backend.key: got "msk.tfstate"; two environments must never share a state object (environments/staging.ts uses it too)`,
    ]);
  });
});

describe("a new user copies environments/prod.ts and breaks one field at a time", () => {
  const original = readFileSync(join(__dirname, "..", "environments", "prod.ts"), "utf8")
    .replace('name: "prod"', 'name: "perf"')
    .replace('"../stacks/config"', JSON.stringify(join(__dirname, "..", "stacks", "config")));
  // perf's cluster does not exist yet: sharing starts at step 1, without prod's cluster ARN.
  const CLUSTER_ARN = /\n {4}\/\/ Step 2:[^\n]*\n {4}clusterArn:\n {6}"[^"]+",/;
  const source = original.replace(CLUSTER_ARN, "");
  const F = "environments/perf.ts";

  it("refuses prod's cluster ARN in the copy, naming the field and what to do", () => {
    expect(original).toMatch(CLUSTER_ARN);
    const dir = mkdtempSync(join(tmpdir(), "msk-newenv-"));
    writeFileSync(join(dir, "perf.ts"), original);
    const lines: string[] = [];
    expect(synthesizeAll(dir, join(dir, "cdktf.out"), (l) => lines.push(l))).toBe(1);
    expect(lines.join("\n")).toContain(
      `${F}: sharing.clusterArn: got "arn:aws:kafka:eu-west-1:333333333333:cluster/msk-platform-prod/`,
    );
    expect(lines.join("\n")).toContain(
      "leave sharing.clusterArn out until its first apply prints cluster_arn",
    );
  });

  /** Writes the copy (with one edit) as perf.ts in a fresh folder and runs synth; returns exit code, output, outdir. */
  function synthCopy(edit: (text: string) => string): { code: number; lines: string[]; outdir: string } {
    const dir = mkdtempSync(join(tmpdir(), "msk-newenv-"));
    const edited = edit(source);
    writeFileSync(join(dir, "perf.ts"), edited);
    const outdir = join(dir, "cdktf.out");
    const lines: string[] = [];
    // Dated like the version table: no warning may appear here just because a day passed.
    const code = synthesizeAll(dir, outdir, (l) => lines.push(l), undefined, {
      today: KAFKA_VERSION_TABLE_AS_OF,
    });
    return { code, lines, outdir };
  }

  it("synthesizes the unbroken copy, with an empty warnings file for the review", () => {
    const { code, outdir, lines } = synthCopy((text) => text);
    expect(code).toBe(0);
    expect(existsSync(join(outdir, "stacks", "perf", "cdk.tf.json"))).toBe(true);
    expect(lines.join("\n")).not.toContain("Warnings");
    const report = JSON.parse(readFileSync(join(outdir, "stacks", "perf", SYNTH_WARNINGS_FILE), "utf8"));
    expect(report).toMatchObject({ environment: "perf", file: F, warnings: [] });
  });

  it("prints a warning (a default quota exceeded), synthesizes anyway and writes it for the review", () => {
    const { code, outdir, lines } = synthCopy((text) =>
      text
        .replace("brokersPerAz: 2", "brokersPerAz: 21")
        .replace('cidr: "10.30.0.0/16"', 'cidr: "10.30.0.0/16"'),
    );
    expect(code).toBe(0);
    const warning = `${F}: cluster.brokersPerAz: got 21; gives 63 brokers across 3 AZs, above the default Amazon MSK quota "Number of brokers per cluster" (60 with KRaft): CreateCluster fails unless the quota is raised; request it in Service Quotas and declare it as quotas.brokersPerCluster in the environment file`;
    expect(lines.at(-1)).toBe(
      `Warnings (1), synthesized anyway; the plan review repeats them:\n  ${warning}`,
    );
    const report = JSON.parse(readFileSync(join(outdir, "stacks", "perf", SYNTH_WARNINGS_FILE), "utf8"));
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: "msk-quota", path: "cluster.brokersPerAz", value: 21 }),
    ]);
  });

  const breaks: readonly [string, string, string, string][] = [
    ["the name", 'name: "perf"', 'name: "prod"', `${F}: name: got "prod"; must equal the file name "perf"`],
    [
      "the account id",
      '"333333333333"',
      '"33333333333"',
      `${F}: accountId: got "33333333333"; must be a 12-digit AWS account id`,
    ],
    [
      "the region",
      'region: "eu-west-1",\n  tags',
      'region: "eu-central-1",\n  tags',
      `${F}: network.availabilityZones: got ["eu-west-1a","eu-west-1b","eu-west-1c"]; every availability zone must be in the region eu-central-1, e.g. "eu-central-1a"`,
    ],
    [
      "the state backend",
      'backend: { type: "s3", bucket: "acme-terraform-state-333333333333", region: "eu-west-1" }',
      'backend: { type: "local" }',
      `${F}: backend.type: got "local"; must be "s3" (encrypted, locked remote state) in a production environment`,
    ],
    [
      "the VPC CIDR",
      '"10.30.0.0/16"',
      '"10.30.0.0/8"',
      `${F}: network.cidr: got "10.30.0.0/8"; has host bits set: write the network address "10.0.0.0/8"`,
    ],
    [
      "the AZs",
      '"eu-west-1a", "eu-west-1b", "eu-west-1c"',
      '"eu-west-1a", "eu-west-1b"',
      `${F}: network.availabilityZones: got ["eu-west-1a","eu-west-1b"]; must list exactly 3 availability zones in a production environment`,
    ],
    [
      "the brokers per AZ",
      "brokersPerAz: 2",
      "brokersPerAz: 0",
      `${F}: cluster.brokersPerAz: got 0; must be an integer >= 1`,
    ],
    [
      "the Kafka version",
      'kafkaVersion: "3.9.x.kraft"',
      'kafkaVersion: "3.9.0"',
      `${F}: cluster.kafkaVersion: got "3.9.0"; must be a Kafka version MSK supports for new clusters: 3.8.x, 3.8.x.kraft, 3.9.x, 3.9.x.kraft, 4.0.x.kraft, 4.1.x.kraft (".kraft" runs without ZooKeeper; table of 2026-11-30 in stacks/validation/kafka-versions.ts)`,
    ],
    [
      "the volume size",
      "volumeSizeGiB: 1000",
      "volumeSizeGiB: 20000",
      `${F}: cluster.volumeSizeGiB: got 20000; must be an integer between 1 and 16384`,
    ],
    [
      "the autoscaling ceiling",
      "maxVolumeSizeGiB: 4000",
      "maxVolumeSizeGiB: 500",
      `${F}: cluster.storageAutoscaling.maxVolumeSizeGiB: got 500; must be greater than cluster.volumeSizeGiB (1000), or autoscaling can never grow the volume`,
    ],
    [
      "the authentication",
      "auth: { iam: true }",
      "auth: { iam: true, unauthenticated: true }",
      `${F}: cluster.auth.unauthenticated: got true; must be false in a production environment: authenticate clients with iam, scram or mutualTls`,
    ],
    [
      "the replication factor",
      "defaultReplicationFactor: 3",
      "defaultReplicationFactor: 2",
      `${F}: cluster.kafka.defaultReplicationFactor: got 2; must be >= 3 in a production environment (a broker can fail while another is patched)`,
    ],
    [
      "min.insync.replicas",
      "minInsyncReplicas: 2",
      "minInsyncReplicas: 3",
      `${F}: cluster.kafka.minInsyncReplicas: got 3; must be less than the replication factor (3), or one broker down stops every acks=all producer`,
    ],
    [
      "a topic pattern",
      'topicPatterns: ["orders.*", "payments.*"]',
      'topicPatterns: ["orders.*", "payments*.v1"]',
      `${F}: cluster.clientAccess.topicPatterns[1]: got "payments*.v1"; may contain only letters, digits, '.', '_' and '-', with an optional single trailing '*'`,
    ],
    [
      "the archive day",
      "afterDays: 90",
      "afterDays: -90",
      `${F}: sink.archive.afterDays: got -90; must be an integer >= 0`,
    ],
    [
      "a sink topic",
      'topics: ["orders.created", "payments.settled"]',
      'topics: ["orders.created", "refunds.settled"]',
      `${F}: connect.topics[1]: got "refunds.settled"; must match one of cluster.clientAccess.topicPatterns (orders.*, payments.*), or no exported producer policy can write it: add a pattern or fix the name`,
    ],
    [
      "the alarm email",
      '"platform-oncall@example.com"',
      '"platform-oncall"',
      `${F}: alarms.emailEndpoints[0]: got "platform-oncall"; must be an email address such as "oncall@example.com"`,
    ],
  ];

  it.each(breaks)(
    "breaking %s gives one clear error and writes no output folder",
    (_field, from, to, expected) => {
      expect(source).toContain(from);
      const { code, lines, outdir } = synthCopy((text) => text.replace(from, to));
      expect(code).toBe(1);
      expect(lines).toEqual([
        `Invalid environment configuration (1 problem):\n  ${expected}\nNothing was synthesized.`,
      ]);
      expect(existsSync(outdir)).toBe(false);
    },
  );
});

/** Warning lines of a config (synth prints them and goes on), for a given day. */
function warnings(
  config: EnvironmentConfig,
  today: string,
  kafkaVersions?: readonly KafkaVersionInfo[],
): string[] {
  const result = checkEnvironment(config, config.name, { today, kafkaVersions });
  expect(result.issues).toEqual([]);
  return result.warnings.map((w) => formatWarning(`environments/${config.name}.ts`, w));
}

describe("Kafka versions: a dated table, and today injected", () => {
  it("every environment runs a version AWS supports, as of the table's date", () => {
    for (const [name, config] of Object.entries(ENVIRONMENTS)) {
      if (config.cluster.type !== "provisioned") continue;
      expect(kafkaVersionInfo(config.cluster.kafkaVersion)?.newClusters).toBe(true);
      expect(versionLifecycle(config.cluster.kafkaVersion, KAFKA_VERSION_TABLE_AS_OF).state).toBe(
        "supported",
      );
      expect(warnings(config, KAFKA_VERSION_TABLE_AS_OF)).toEqual([]);
      expect(name).toBe(config.name);
    }
  });

  it("every version the environments ran before is upgraded in place to the one they run now", () => {
    for (const config of Object.values(ENVIRONMENTS)) {
      if (config.cluster.type !== "provisioned") continue;
      expect(versionChange("3.7.x.kraft", config.cluster.kafkaVersion).kind).toBe("upgrade");
    }
  });

  it("4.1.x.kraft is accepted on Standard brokers", () => {
    expect(errors(withCluster(prod, { kafkaVersion: "4.1.x.kraft" }))).toEqual([]);
  });

  it("tells the lifecycle of a version from the date it is given, never from the clock", () => {
    expect(versionLifecycle("3.7.x.kraft", "2026-05-01")).toMatchObject({ state: "supported" });
    expect(versionLifecycle("3.7.x.kraft", "2026-07-01")).toMatchObject({ state: "ending", days: 62 });
    expect(versionLifecycle("3.7.x.kraft", "2026-09-01")).toMatchObject({
      state: "ended",
      endOfSupport: "2026-09-01",
    });
    expect(versionLifecycle("3.9.x.kraft", "2099-01-01")).toMatchObject({ state: "supported" });
    expect(versionLifecycle("9.9.x", "2026-01-01")).toEqual({ state: "unknown" });
  });

  // A table as it will look once AWS dates 3.9.x.kraft: the warning path, with no test waiting for a date.
  const dated = KAFKA_VERSION_TABLE.map((v) =>
    v.version === "3.9.x.kraft" ? { ...v, endOfSupport: "2027-06-01" } : v,
  );

  it("warns, and still synthesizes, when the version nears its end of support", () => {
    expect(warnings(prod, "2027-04-01", dated)).toEqual([
      `${P}: cluster.kafkaVersion: got "3.9.x.kraft"; reaches end of support on 2027-06-01, in 61 days: upgrade in place to 4.0.x.kraft, 4.1.x.kraft; AWS auto-upgrades clusters past end of support at a time of its choosing`,
    ]);
    expect(warnings(prod, "2027-01-01", dated)).toEqual([]);
  });

  it("warns with the date and the upgrade path once the end of support has passed", () => {
    expect(warnings(prod, "2027-06-02", dated)).toEqual([
      `${P}: cluster.kafkaVersion: got "3.9.x.kraft"; reached end of support on 2027-06-01 and AWS phases out new clusters on it: upgrade in place to 4.0.x.kraft, 4.1.x.kraft; AWS auto-upgrades clusters past end of support at a time of its choosing`,
    ]);
  });

  it("knows which changes MSK applies in place and which it refuses", () => {
    expect(versionChange("3.9.x.kraft", "3.9.x")).toMatchObject({ kind: "refused" });
    expect(versionChange("3.8.x", "3.9.x.kraft")).toMatchObject({ kind: "refused" });
    expect(versionChange("3.9.x", "3.9.x.kraft")).toMatchObject({ kind: "migration" });
    expect(versionChange("3.9.x.kraft", "3.8.x.kraft")).toMatchObject({ kind: "downgrade" });
    expect(versionChange("3.9.x.kraft", "4.1.x.kraft")).toEqual({ kind: "upgrade" });
    expect(upgradePath("3.9.x", "standard")).toBe(
      "migrate to KRaft in place (3.9.x.kraft); AWS auto-upgrades clusters past end of support at a time of its choosing",
    );
  });

  it("exports whether a version has the MSK topic API (Kafka >= 3.6, provisioned only)", () => {
    expect(supportsTopicApi("3.9.x.kraft", "provisioned")).toBe(true);
    expect(supportsTopicApi("3.6.0", "provisioned")).toBe(true);
    expect(supportsTopicApi("3.5.1", "provisioned")).toBe(false);
    expect(supportsTopicApi("4.1.x.kraft", "serverless")).toBe(false);
  });
});

describe("quotas: a warning naming the quota, an error only against a declared one", () => {
  it("warns when the brokers exceed the default per-cluster quota, naming it and how to declare a raise", () => {
    expect(warnings(withCluster(prod, { brokersPerAz: 21 }), KAFKA_VERSION_TABLE_AS_OF)).toEqual([
      `${P}: cluster.brokersPerAz: got 21; gives 63 brokers across 3 AZs, above the default Amazon MSK quota "Number of brokers per cluster" (60 with KRaft): CreateCluster fails unless the quota is raised; request it in Service Quotas and declare it as quotas.brokersPerCluster in the environment file`,
    ]);
    expect(
      warnings(withCluster(prod, { kafkaVersion: "3.9.x", brokersPerAz: 11 }), KAFKA_VERSION_TABLE_AS_OF),
    ).toEqual([
      `${P}: cluster.brokersPerAz: got 11; gives 33 brokers across 3 AZs, above the default Amazon MSK quota "Number of brokers per cluster" (30 with ZooKeeper; 60 with a ".kraft" version): CreateCluster fails unless the quota is raised; request it in Service Quotas and declare it as quotas.brokersPerCluster in the environment file`,
    ]);
  });

  it("accepts the brokers once a raised quota is declared", () => {
    const raised = withCluster({ ...prod, quotas: { brokersPerCluster: 90 } }, { brokersPerAz: 21 });
    expect(warnings(raised, KAFKA_VERSION_TABLE_AS_OF)).toEqual([]);
  });

  it("warns when environments of one account and Region exceed the per-account quota together", () => {
    const big = (name: string) => ({ ...withCluster(prod, { brokersPerAz: 16 }), name });
    const found = warnAcrossEnvironments([
      { file: "environments/prod.ts", config: big("prod") },
      { file: "environments/perf.ts", config: big("perf") },
    ]);
    expect(found.map((f) => formatWarning(f.file, f.warnings[0]))).toEqual([
      `environments/perf.ts: cluster.brokersPerAz: got 16; brings the brokers of account/Region 333333333333/eu-west-1 to 96 (environments/prod.ts 48, environments/perf.ts 48), above the default Amazon MSK quota "Number of brokers per account" (90): request a raise in Service Quotas and declare it as quotas.brokersPerAccount, or the last cluster created fails`,
    ]);
    expect(
      warnAcrossEnvironments([
        { file: "environments/prod.ts", config: { ...big("prod"), quotas: { brokersPerAccount: 120 } } },
        { file: "environments/perf.ts", config: big("perf") },
      ]),
    ).toEqual([]);
  });

  it("warns about a Region the AZ table does not know instead of refusing it", () => {
    const config = withNetwork(
      { ...dev, region: "eu-west-9" },
      { availabilityZones: ["eu-west-9a", "eu-west-9b"] },
    );
    expect(warnings(config, KAFKA_VERSION_TABLE_AS_OF)).toEqual([
      `${D}: region: got "eu-west-9"; is not in the availability-zone table of 2026-11-30 (stacks/validation/aws-limits.ts), so network.availabilityZones was not checked against it: add the Region there`,
    ]);
  });
});

describe("relaxed where AWS accepts", () => {
  it.each(["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const)("archives to %s from day 0", (storageClass) => {
    expect(errors(withSink(prod, { archive: { storageClass, afterDays: 0 } }))).toEqual([]);
  });

  it("accepts Express brokers with the fixed replication settings written out", () => {
    expect(errors(withKafka(prodExpress, { defaultReplicationFactor: 3, minInsyncReplicas: 2 }))).toEqual([]);
  });
});
