/**
 * Monthly cost estimate of a set of Terraform resources (planned values or the prior state), priced from
 * tools/review/prices.ts. Only charges the resources themselves determine are estimated; usage-based charges
 * are named, not guessed.
 */

import type { PlannedResource } from "../terraform";
import { valueAt } from "./plan-json";
import { BROKER_HOURLY, FLINK_PRICES, PRICE_TABLE, PRICES, type Price, UNPRICED } from "./prices";

/** One priced item, summed over the resources that share it. */
export interface CostLine {
  /** Stable key used to compare prior and planned, e.g. "broker-hours kafka.m5.large". */
  readonly key: string;
  /** What is charged, for the report. */
  readonly item: string;
  /** Billing units per month. */
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  /** What the unit price rests on (prices.ts): "list", "derived" or "seed 002". */
  readonly basis: Price["basis"];
  readonly monthlyUsd: number;
  /** e.g. "3 brokers x 730 h" */
  readonly formula: string;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly monthlyUsd: number;
  /** Resources the table has no price for (the total excludes them). */
  readonly unpriced: readonly string[];
  /** Charges that depend on traffic or stored data, present but not estimated. */
  readonly usageBased: readonly string[];
  /** Notes on ranges, e.g. storage autoscaling or connector worker autoscaling. */
  readonly notes: readonly string[];
}

const HOURS = PRICE_TABLE.hoursPerMonth;

/** Usage-based charges of resource types that have no fixed monthly cost. */
const USAGE_BASED: Readonly<Record<string, string>> = {
  aws_s3_bucket: "S3 storage and requests",
  aws_cloudwatch_log_group: "CloudWatch Logs ingestion and storage",
  aws_flow_log: "VPC flow log delivery",
  aws_sns_topic: "SNS notifications",
  aws_msk_serverless_cluster: `MSK Serverless partition-hours and data (${PRICES.serverlessDataIn.usd} USD/GB written, ${PRICES.serverlessDataOut.usd} USD/GB read)`,
  aws_nat_gateway: "NAT gateway data processing (0.045 USD/GB)",
  aws_mskconnect_connector: "MSK Connect data transfer",
  // Not in the dated price table: named, not estimated (MSK pricing, "Private connectivity").
  aws_msk_vpc_connection: UNPRICED.mskVpcConnection,
  aws_lambda_function: "Lambda requests and duration",
  aws_kinesisanalyticsv2_application: `Managed Service for Apache Flink durable application backups (snapshots, ${FLINK_PRICES.backups.usd} USD/GB-month stored)`,
};

const round2 = (n: number) => Math.round(n * 100) / 100;

class Accumulator {
  private readonly lines = new Map<
    string,
    { item: string; price: Price; quantity: number; parts: string[] }
  >();
  readonly unpriced: string[] = [];
  readonly usage = new Set<string>();
  readonly notes: string[] = [];

  add(key: string, item: string, price: Price, quantity: number, part: string): void {
    const line = this.lines.get(key) ?? { item, price, quantity: 0, parts: [] };
    line.quantity += quantity;
    line.parts.push(part);
    this.lines.set(key, line);
  }

  result(): CostEstimate {
    const lines = [...this.lines.entries()].map(([key, l]) => ({
      key,
      item: l.item,
      quantity: round2(l.quantity),
      unit: l.price.unit,
      unitPriceUsd: l.price.usd,
      basis: l.price.basis,
      monthlyUsd: round2(l.quantity * l.price.usd),
      formula: l.parts.join(" + "),
    }));
    return {
      lines,
      monthlyUsd: round2(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)),
      unpriced: this.unpriced,
      usageBased: [...this.usage].sort(),
      notes: this.notes,
    };
  }
}

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

function mskCluster(acc: Accumulator, r: PlannedResource, autoscaleMax: Map<string, number>): void {
  const brokers = num(r.values.number_of_broker_nodes) ?? 0;
  const group = ["broker_node_group_info", 0] as const;
  const instanceType = valueAt(r.values, [...group, "instance_type"]) as string | undefined;
  const price = instanceType ? BROKER_HOURLY[instanceType] : undefined;
  if (instanceType && price) {
    acc.add(
      `broker-hours ${instanceType}`,
      `MSK brokers (${instanceType})`,
      price,
      brokers * HOURS,
      `${brokers} brokers x ${HOURS} h`,
    );
  } else {
    acc.unpriced.push(`${r.address}: no broker price for ${instanceType ?? "an unknown instance type"}`);
  }
  if (instanceType?.startsWith("express.")) {
    // Express storage is pay-as-you-go, and data written is billed per GB: both depend on traffic.
    acc.usage.add(
      `Express broker storage (${PRICES.expressStorage.usd} USD/GB-month stored) and data written (${PRICES.expressDataIn.usd} USD/GB)`,
    );
  }
  const ebs = [...group, "storage_info", 0, "ebs_storage_info", 0] as const;
  const volume = num(valueAt(r.values, [...ebs, "volume_size"]));
  if (volume !== undefined) {
    acc.add(
      "broker-storage",
      "MSK broker storage (EBS)",
      PRICES.brokerStorage,
      brokers * volume,
      `${brokers} x ${volume} GB`,
    );
    const max = r.values.arn === undefined ? undefined : autoscaleMax.get(String(r.values.arn));
    const ceiling = max ?? autoscaleMax.get(r.address);
    if (ceiling !== undefined && ceiling > volume) {
      acc.notes.push(
        `Storage autoscaling on ${r.address} may grow each broker to ${ceiling} GB: storage up to ` +
          `${round2(brokers * ceiling * PRICES.brokerStorage.usd).toFixed(2)} USD/month.`,
      );
    }
  }
  const throughput = valueAt(r.values, [...ebs, "provisioned_throughput", 0]) as
    | { enabled?: boolean; volume_throughput?: number }
    | undefined;
  if (throughput?.enabled && throughput.volume_throughput) {
    acc.add(
      "provisioned-throughput",
      "MSK provisioned storage throughput",
      PRICES.provisionedThroughput,
      brokers * throughput.volume_throughput,
      `${brokers} x ${throughput.volume_throughput} MB/s`,
    );
  }
}

function connector(acc: Accumulator, r: PlannedResource): void {
  const auto = valueAt(r.values, ["capacity", 0, "autoscaling", 0]) as
    | { mcu_count?: number; min_worker_count?: number; max_worker_count?: number }
    | undefined;
  const fixed = valueAt(r.values, ["capacity", 0, "provisioned_capacity", 0]) as
    | { mcu_count?: number; worker_count?: number }
    | undefined;
  const mcu = auto?.mcu_count ?? fixed?.mcu_count;
  const workers = auto?.min_worker_count ?? fixed?.worker_count;
  if (mcu === undefined || workers === undefined) {
    acc.unpriced.push(`${r.address}: connector capacity unknown until apply`);
    return;
  }
  acc.add(
    "connect-mcu-hours",
    "MSK Connect workers",
    PRICES.connectMcuHour,
    mcu * workers * HOURS,
    `${workers} workers x ${mcu} MCU x ${HOURS} h`,
  );
  if (auto?.max_worker_count !== undefined && auto.max_worker_count > workers) {
    acc.notes.push(
      `${r.address} autoscales to ${auto.max_worker_count} workers: up to ` +
        `${round2(mcu * auto.max_worker_count * HOURS * PRICES.connectMcuHour.usd).toFixed(2)} USD/month ` +
        `(estimate uses the minimum, ${workers}).`,
    );
  }
}

/** An interface endpoint in `azs` subnets, named by its service ("lambda", "sts", ...): billed per AZ-hour. */
function interfaceEndpoint(acc: Accumulator, r: PlannedResource, azs: number): void {
  const service =
    String(r.values.service_name ?? "")
      .split(".")
      .pop() || "unknown service";
  acc.add(
    `interface-endpoint-hours ${service}`,
    `Interface VPC endpoint (${service})`,
    PRICES.interfaceEndpointHour,
    azs * HOURS,
    `${azs} AZs x ${HOURS} h`,
  );
  acc.usage.add(`Interface VPC endpoint data processing (${PRICES.interfaceEndpointDataGb.usd} USD/GB)`);
}

/** A mapping in provisioned mode: named with its poller range; no dated price exists for its EPU-hours. */
function provisionedPollers(acc: Accumulator, r: PlannedResource): void {
  const pollers = valueAt(r.values, ["provisioned_poller_config", 0]) as
    | { minimum_pollers?: number; maximum_pollers?: number }
    | undefined;
  if (pollers === undefined) return;
  const range = `${pollers.minimum_pollers ?? "?"}-${pollers.maximum_pollers ?? "?"} event pollers`;
  acc.unpriced.push(
    `${r.address}: provisioned mode, ${range}, billed as ${UNPRICED.lambdaProvisionedPollers} (no dated price in ${PRICE_TABLE.file})`,
  );
}

/** Running Flink applications: KPUs = ceil(parallelism / parallelism per KPU) + 1 for orchestration. */
function flinkApplication(acc: Accumulator, r: PlannedResource): void {
  const scaling = valueAt(r.values, [
    "application_configuration",
    0,
    "flink_application_configuration",
    0,
    "parallelism_configuration",
    0,
  ]) as { parallelism?: number; parallelism_per_kpu?: number; auto_scaling_enabled?: boolean } | undefined;
  const parallelism = scaling?.parallelism ?? 1;
  const perKpu = scaling?.parallelism_per_kpu ?? 1;
  const kpus = Math.ceil(parallelism / perKpu) + 1;
  const monthly = (n: number) => round2(n * HOURS * FLINK_PRICES.kpuHour.usd).toFixed(2);
  if (r.values.start_application !== true) {
    acc.notes.push(
      `${r.address} is created stopped: no KPU-hours until it is started (then ${kpus} KPUs, ${monthly(kpus)} USD/month).`,
    );
    return;
  }
  acc.add(
    "flink-kpu-hours",
    "Managed Service for Apache Flink KPUs",
    FLINK_PRICES.kpuHour,
    kpus * HOURS,
    `(${kpus - 1} + 1 orchestration) KPUs x ${HOURS} h`,
  );
  const storageGb = (kpus - 1) * 50;
  acc.notes.push(
    `${r.address} has ${storageGb} GB of running application storage (50 GB per KPU, ${FLINK_PRICES.runningStorage.usd} USD/GB-month): ` +
      `up to ${round2(storageGb * FLINK_PRICES.runningStorage.usd).toFixed(2)} USD/month, not in the total ` +
      "(AWS's pricing examples bill the allocation, its MSF pricing calculator only what exceeds it).",
  );
  if (scaling?.auto_scaling_enabled !== false) {
    acc.notes.push(
      `${r.address} autoscales: each KPU the service adds under load costs ${monthly(1)} USD/month (estimate uses parallelism ${parallelism}).`,
    );
  }
}

/** Storage autoscaling ceilings per scalable target (cluster ARN or, while unknown, nothing). */
function autoscalingCeilings(resources: readonly PlannedResource[]): Map<string, number> {
  const ceilings = new Map<string, number>();
  for (const r of resources) {
    if (r.type !== "aws_appautoscaling_target" || r.values.service_namespace !== "kafka") continue;
    const max = num(r.values.max_capacity);
    if (max !== undefined && typeof r.values.resource_id === "string")
      ceilings.set(r.values.resource_id, max);
  }
  return ceilings;
}

/**
 * Estimates the monthly cost of resources. `clusterCeilings` lets callers map cluster addresses to
 * autoscaling ceilings when the ARN link is unknown at plan time; `endpointSubnets` gives the number of
 * subnets of interface endpoints whose subnet ids are unknown until apply.
 */
export function estimateCost(
  resources: readonly PlannedResource[],
  clusterCeilings: ReadonlyMap<string, number> = new Map(),
  endpointSubnets: ReadonlyMap<string, number> = new Map(),
): CostEstimate {
  const acc = new Accumulator();
  const ceilings = new Map([...autoscalingCeilings(resources), ...clusterCeilings]);
  const count = (type: string) => resources.filter((r) => r.type === type).length;
  const privateSubnets = resources.filter(
    (r) =>
      r.type === "aws_subnet" && (r.values.tags as Record<string, string> | undefined)?.tier === "private",
  ).length;
  for (const r of resources) {
    if (USAGE_BASED[r.type]) acc.usage.add(USAGE_BASED[r.type]);
    switch (r.type) {
      case "aws_msk_cluster":
        mskCluster(acc, r, ceilings);
        break;
      case "aws_msk_serverless_cluster":
        acc.add(
          "serverless-cluster-hours",
          "MSK Serverless clusters",
          PRICES.serverlessClusterHour,
          HOURS,
          `1 cluster x ${HOURS} h`,
        );
        break;
      case "aws_mskconnect_connector":
        connector(acc, r);
        break;
      case "aws_kinesisanalyticsv2_application":
        flinkApplication(acc, r);
        break;
      case "aws_vpc_endpoint":
        if (r.values.vpc_endpoint_type === "Interface") {
          // Subnets created in the same plan are unknown until apply: count the configuration's references,
          // else the stack's private subnets.
          const azs = Array.isArray(r.values.subnet_ids)
            ? r.values.subnet_ids.length
            : (endpointSubnets.get(r.address) ?? Math.max(1, privateSubnets));
          interfaceEndpoint(acc, r, azs);
        }
        break;
      case "aws_lambda_event_source_mapping":
        provisionedPollers(acc, r);
        break;
    }
  }
  const perUnit: readonly [string, string, Price, number, string][] = [
    ["aws_nat_gateway", "NAT gateways", PRICES.natGatewayHour, HOURS, "h"],
    ["aws_eip", "Public IPv4 addresses (Elastic IPs)", PRICES.publicIpv4Hour, HOURS, "h"],
    ["aws_kms_key", "KMS customer-managed keys", PRICES.kmsKeyMonth, 1, "month"],
    ["aws_secretsmanager_secret", "Secrets Manager secrets", PRICES.secretMonth, 1, "month"],
    ["aws_cloudwatch_metric_alarm", "CloudWatch alarms", PRICES.alarmMonth, 1, "month"],
  ];
  for (const [type, item, price, perMonth, unit] of perUnit) {
    const n = count(type);
    if (n === 0) continue;
    acc.add(type, item, price, n * perMonth, perMonth === 1 ? `${n}` : `${n} x ${perMonth} ${unit}`);
  }
  return acc.result();
}

/** One line of a before/after comparison. */
export interface CostDeltaLine {
  readonly key: string;
  readonly item: string;
  readonly priorUsd: number;
  readonly plannedUsd: number;
  readonly deltaUsd: number;
  readonly plannedFormula?: string;
}

export interface CostComparison {
  readonly prior: CostEstimate;
  readonly planned: CostEstimate;
  readonly deltaUsd: number;
  readonly lines: readonly CostDeltaLine[];
}

/** Planned versus prior, line by line. */
export function compareCost(prior: CostEstimate, planned: CostEstimate): CostComparison {
  const keys = [...new Set([...planned.lines.map((l) => l.key), ...prior.lines.map((l) => l.key)])];
  const lines = keys.map((key) => {
    const before = prior.lines.find((l) => l.key === key);
    const after = planned.lines.find((l) => l.key === key);
    const priorUsd = before?.monthlyUsd ?? 0;
    const plannedUsd = after?.monthlyUsd ?? 0;
    return {
      key,
      item: (after ?? before)?.item ?? key,
      priorUsd,
      plannedUsd,
      deltaUsd: round2(plannedUsd - priorUsd),
      plannedFormula: after?.formula,
    };
  });
  return { prior, planned, deltaUsd: round2(planned.monthlyUsd - prior.monthlyUsd), lines };
}
