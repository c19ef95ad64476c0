/**
 * The one price table the plan review's cost estimate uses. Change figures here and nowhere else, and
 * move `asOf` with them.
 *
 * On-demand list prices for us-east-1 (US East, N. Virginia), in USD. Every row says what it rests on, as
 * rechecked on `asOf` with the search tool (no network from the build machines):
 * - "list": the published price, confirmed on an AWS pricing page or AWS's own pricing tools and matching
 *   independent price tables (kafka.m5.large is 0.21 USD/hour: seed 002's 0.213 is not the list price);
 *   docs/sources.md, "Prices", lists each with its source;
 * - "derived": not confirmed directly; computed from a confirmed row of the same family, because MSK prices
 *   scale linearly with broker size within a family (every confirmed m5 row and the published Express
 *   prices of other Regions do);
 * - "seed 002": the seed's figure, unchanged and not contradicted by any source found.
 * The English MSK pricing page (https://aws.amazon.com/msk/pricing/) itself was not reachable through the
 * search tool; its Japanese mirror confirms the billing dimensions (Express: instance hours, GB-months
 * stored, GB written) but not the figures. All rows are ESTIMATES: other Regions cost more or less, and
 * savings plans, free tiers, taxes and usage-based charges (data transfer, S3 storage, log ingestion, NAT
 * data processing, serverless and Express throughput) are not in the monthly figure the review prints.
 */

/** What a figure rests on (see the file comment). */
export type PriceBasis = "list" | "derived" | "seed 002";

export interface Price {
  /** USD per unit. */
  readonly usd: number;
  /** What one unit is. */
  readonly unit: string;
  readonly basis: PriceBasis;
  /** Where it was checked, or what it is derived from. */
  readonly source: string;
}

const price = (usd: number, unit: string, basis: PriceBasis, source: string): Price => ({
  usd,
  unit,
  basis,
  source,
});

const MSK_FACTS = "us-east-1 price list (docs/sources.md, Prices), matching independent price tables";
const M5 = "derived: kafka.m5.large 0.21 x size (m5 family prices are linear in size)";
const M7G = "derived: kafka.m7g.large 0.204 x size";
const EXPRESS =
  "derived: express.m7g.large 0.408 x size (Express prices double per size, as published for cn-north-1)";

/** Broker instance-hours by MSK instance type: Standard (kafka.*) and Express (express.*) brokers. */
export const BROKER_HOURLY: Readonly<Record<string, Price>> = {
  "kafka.t3.small": price(
    0.0456,
    "broker-hour",
    "list",
    "AWS MSK pricing, as recorded 2026-11-22; one independent table agrees",
  ),
  "kafka.m5.large": price(0.21, "broker-hour", "list", MSK_FACTS),
  "kafka.m5.xlarge": price(0.42, "broker-hour", "list", MSK_FACTS),
  "kafka.m5.2xlarge": price(0.84, "broker-hour", "derived", M5),
  "kafka.m5.4xlarge": price(1.68, "broker-hour", "derived", M5),
  "kafka.m5.8xlarge": price(3.36, "broker-hour", "derived", M5),
  "kafka.m5.12xlarge": price(5.04, "broker-hour", "derived", M5),
  "kafka.m5.16xlarge": price(6.72, "broker-hour", "derived", M5),
  "kafka.m5.24xlarge": price(10.08, "broker-hour", "derived", M5),
  "kafka.m7g.large": price(
    0.204,
    "broker-hour",
    "list",
    "AWS MSK pricing, as recorded 2026-11-22; one independent table agrees",
  ),
  "kafka.m7g.xlarge": price(0.408, "broker-hour", "derived", M7G),
  "kafka.m7g.2xlarge": price(0.816, "broker-hour", "derived", M7G),
  "kafka.m7g.4xlarge": price(1.632, "broker-hour", "derived", M7G),
  "kafka.m7g.8xlarge": price(3.264, "broker-hour", "derived", M7G),
  "kafka.m7g.12xlarge": price(4.896, "broker-hour", "derived", M7G),
  "kafka.m7g.16xlarge": price(6.528, "broker-hour", "derived", M7G),
  "express.m7g.large": price(
    0.408,
    "broker-hour",
    "list",
    "independent price table (MSK pricing page not reachable)",
  ),
  "express.m7g.xlarge": price(0.816, "broker-hour", "derived", EXPRESS),
  "express.m7g.2xlarge": price(1.632, "broker-hour", "derived", EXPRESS),
  "express.m7g.4xlarge": price(3.264, "broker-hour", "derived", EXPRESS),
  "express.m7g.8xlarge": price(6.528, "broker-hour", "derived", EXPRESS),
  "express.m7g.12xlarge": price(9.792, "broker-hour", "derived", EXPRESS),
  "express.m7g.16xlarge": price(13.056, "broker-hour", "derived", EXPRESS),
};

/** Everything else the estimate prices. */
export const PRICES = {
  /** Broker EBS storage (Standard brokers). */
  brokerStorage: price(0.1, "GB-month", "seed 002", "seed 002; independent price tables agree"),
  /** Express broker storage, pay per GB stored: usage-based, for the note only. */
  expressStorage: price(0.1, "GB-month", "list", "independent price table (MSK pricing page not reachable)"),
  /** Data written to Express brokers: usage-based, for the note only. */
  expressDataIn: price(
    0.01,
    "GB written",
    "list",
    "independent price table (MSK pricing page not reachable)",
  ),
  /** Provisioned EBS storage throughput (Standard brokers, kafka.m5.4xlarge and up). */
  provisionedThroughput: price(
    0.08,
    "MB/s-month",
    "list",
    "AWS MSK pricing, as recorded 2026-11-22 (not re-confirmed)",
  ),
  /** MSK Serverless cluster-hours (partition-hours and data in/out are usage-based, not estimated). */
  serverlessClusterHour: price(0.75, "cluster-hour", "seed 002", "seed 002"),
  /** MSK Serverless data written, for the usage note only. */
  serverlessDataIn: price(0.1, "GB written", "seed 002", "seed 002"),
  /** MSK Serverless data read, for the usage note only. */
  serverlessDataOut: price(0.05, "GB read", "seed 002", "seed 002"),
  /** MSK Connect worker capacity. */
  connectMcuHour: price(
    0.11,
    "MCU-hour",
    "list",
    "AWS MSK pricing, as recorded 2026-11-22 (not re-confirmed)",
  ),
  /** NAT gateway hours (data processing, 0.045 USD/GB, is usage-based). */
  natGatewayHour: price(
    0.045,
    "NAT gateway-hour",
    "list",
    "Amazon VPC pricing, us-east-1; several independent guides (2026)",
  ),
  /** Public IPv4 address hours (Elastic IPs, in use or idle). */
  publicIpv4Hour: price(
    0.005,
    "IPv4 address-hour",
    "list",
    "Amazon VPC pricing (public IPv4 since 2024-02); independent guides (2026)",
  ),
  /** Interface VPC endpoint hours, per AZ (gateway endpoints are free). */
  interfaceEndpointHour: price(
    0.01,
    "endpoint-AZ-hour",
    "list",
    "AWS PrivateLink pricing; independent guides (2026)",
  ),
  /** Interface VPC endpoint data processed (first PB tier): usage-based, for the note only. */
  interfaceEndpointDataGb: price(
    0.01,
    "GB processed",
    "list",
    "AWS PrivateLink pricing (first 1 PB per Region); independent guides (2026)",
  ),
  /**
   * Customer-managed KMS key. With automatic rotation each new backing key adds 1 USD/month (for the first
   * two rotations): a rotated key costs 2-3 USD/month from its second year.
   */
  kmsKeyMonth: price(1.0, "key-month", "list", "https://aws.amazon.com/kms/pricing/ (Key Storage)"),
  /** Secrets Manager secret. */
  secretMonth: price(0.4, "secret-month", "list", "AWS Secrets Manager pricing; independent guides (2026)"),
  /** CloudWatch alarm on a standard-resolution metric (a metric-math alarm counts each metric). */
  alarmMonth: price(
    0.1,
    "alarm-month",
    "list",
    "Amazon CloudWatch pricing, as recorded 2026-11-22 (not re-confirmed)",
  ),
} as const;

/**
 * Charges the review names without a figure, because no dated price was found for them (the English pricing
 * pages render their rates client-side and were not readable through the search tool on `asOf`).
 */
export const UNPRICED = {
  /**
   * Lambda event source mappings in provisioned mode: billed per Event Poller Unit-hour (an EPU carries a group of
   * event pollers), on top of the function's requests and duration. Source of the billing dimension: Lambda
   * Developer Guide, ProvisionedPollerConfig ("Event Poller Unit (EPU) capacity"), and AWS Compute Blog,
   * "Introducing Provisioned Mode for Kafka Event Source Mappings with AWS Lambda" (2024-11).
   */
  lambdaProvisionedPollers: "Event Poller Unit (EPU) hours of Lambda provisioned mode",
  /** MSK managed VPC connections (client stacks). */
  mskVpcConnection:
    "MSK multi-VPC private connectivity (hourly per managed VPC connection, and per GB processed)",
} as const;

const MSF =
  "Amazon Managed Service for Apache Flink pricing, us-east-1, as quoted by AWS's own MSF pricing calculator (aws/agent-toolkit-for-aws) and a 2026-09 transcription of the pricing page's examples; billing dimensions from docs.aws.amazon.com/managed-flink/latest/java/how-pricing.html";

/** Managed Service for Apache Flink (kinesisanalyticsv2 applications). */
export const FLINK_PRICES = {
  /** A KPU (1 vCPU, 4 GB) while the application runs; one more per application for orchestration. */
  kpuHour: price(0.11, "KPU-hour", "list", MSF),
  /** Running application storage, 50 GB per KPU: a note only (see cost.ts). */
  runningStorage: price(0.1, "GB-month", "list", MSF),
  /** Durable application backups (snapshots): usage-based, named only. */
  backups: price(0.023, "GB-month", "list", MSF),
} as const;

/** The price table as a whole: when, where and how many hours make a month. */
export const PRICE_TABLE = {
  /** Date the figures were last rechecked. */
  asOf: "2026-11-30",
  /** Region the list prices are for. */
  region: "us-east-1",
  currency: "USD",
  /** Hours in a billing month, as the AWS Pricing Calculator counts them. */
  hoursPerMonth: 730,
  /** Where the table lives, for the report's footnote. */
  file: "tools/review/prices.ts",
} as const;
