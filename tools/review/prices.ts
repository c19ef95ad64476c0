/**
 * The one price table the plan review's cost estimate uses. Change figures here and nowhere else, and
 * move `asOf` with them.
 *
 * Source: on-demand list prices for us-east-1 (US East, N. Virginia), in USD, as published on the AWS
 * pricing pages of Amazon MSK, Amazon VPC (NAT gateway, public IPv4), AWS KMS, AWS Secrets Manager and
 * Amazon CloudWatch, recorded on the `asOf` date. Rows marked "seed 002" are the figures of the seed
 * document listed in docs/sources.md ("Prices"); every other row is the published
 * us-east-1 list price as known when the table was written, not fetched live from the build machine.
 * All of them are ESTIMATES: other regions cost more or less, and savings plans, free tiers, taxes and
 * usage-based charges (data transfer, S3 storage, log ingestion, NAT data processing, serverless
 * throughput) are not in the monthly figure the review prints.
 */

/** Where a figure comes from. */
export type PriceSource = "seed 002" | "AWS list price, us-east-1";

export interface Price {
  /** USD per unit. */
  readonly usd: number;
  /** What one unit is. */
  readonly unit: string;
  readonly source: PriceSource;
}

const seed = (usd: number, unit: string): Price => ({ usd, unit, source: "seed 002" });
const list = (usd: number, unit: string): Price => ({ usd, unit, source: "AWS list price, us-east-1" });

/** Broker instance-hours by MSK instance type (standard brokers). No figure is scaled from another. */
export const BROKER_HOURLY: Readonly<Record<string, Price>> = {
  "kafka.t3.small": list(0.0456, "broker-hour"),
  "kafka.m5.large": seed(0.213, "broker-hour"),
  "kafka.m5.xlarge": list(0.42, "broker-hour"),
  "kafka.m5.2xlarge": list(0.84, "broker-hour"),
  "kafka.m5.4xlarge": list(1.68, "broker-hour"),
  "kafka.m5.8xlarge": list(3.36, "broker-hour"),
  "kafka.m5.12xlarge": list(5.04, "broker-hour"),
  "kafka.m5.16xlarge": list(6.72, "broker-hour"),
  "kafka.m5.24xlarge": list(10.08, "broker-hour"),
  "kafka.m7g.large": list(0.204, "broker-hour"),
  "kafka.m7g.xlarge": list(0.408, "broker-hour"),
  "kafka.m7g.2xlarge": list(0.816, "broker-hour"),
  "kafka.m7g.4xlarge": list(1.632, "broker-hour"),
  "kafka.m7g.8xlarge": list(3.264, "broker-hour"),
  "kafka.m7g.12xlarge": list(4.896, "broker-hour"),
  "kafka.m7g.16xlarge": list(6.528, "broker-hour"),
};

/** Everything else the estimate prices. */
export const PRICES = {
  /** Broker EBS storage. */
  brokerStorage: seed(0.1, "GB-month"),
  /** Provisioned EBS storage throughput (standard brokers, kafka.m5.4xlarge and up). */
  provisionedThroughput: list(0.08, "MB/s-month"),
  /** MSK Serverless cluster-hours (partition-hours and data in/out are usage-based, not estimated). */
  serverlessClusterHour: seed(0.75, "cluster-hour"),
  /** MSK Serverless data written, for the usage note only. */
  serverlessDataIn: seed(0.1, "GB written"),
  /** MSK Serverless data read, for the usage note only. */
  serverlessDataOut: seed(0.05, "GB read"),
  /** MSK Connect worker capacity. */
  connectMcuHour: list(0.11, "MCU-hour"),
  /** NAT gateway hours (data processing, 0.045 USD/GB, is usage-based). */
  natGatewayHour: list(0.045, "NAT gateway-hour"),
  /** Public IPv4 address hours (Elastic IPs, in use or idle). */
  publicIpv4Hour: list(0.005, "IPv4 address-hour"),
  /** Interface VPC endpoint hours, per AZ (gateway endpoints are free). */
  interfaceEndpointHour: list(0.01, "endpoint-AZ-hour"),
  /** Customer-managed KMS key (rotated key material can add up to 2 USD per key-month). */
  kmsKeyMonth: list(1.0, "key-month"),
  /** Secrets Manager secret. */
  secretMonth: list(0.4, "secret-month"),
  /** CloudWatch alarm on a standard-resolution metric. */
  alarmMonth: list(0.1, "alarm-month"),
} as const;

/** The price table as a whole: when, where and how many hours make a month. */
export const PRICE_TABLE = {
  /** Date the figures were recorded. */
  asOf: "2026-11-22",
  /** Region the list prices are for. */
  region: "us-east-1",
  currency: "USD",
  /** Hours in a billing month, as the AWS Pricing Calculator counts them. */
  hoursPerMonth: 730,
  /** Where the table lives, for the report's footnote. */
  file: "tools/review/prices.ts",
} as const;
