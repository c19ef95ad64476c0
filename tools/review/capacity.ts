/**
 * Capacity of the planned MSK clusters: brokers, AZs, replication, how many broker and AZ losses writes
 * survive, and an approximate sustainable ingress. Read from the plan (cluster + its configuration's
 * server_properties), not from the environment files, so it describes exactly what would be applied.
 */

import { EXPRESS_BROKER_THROUGHPUT_MBPS, EXPRESS_FIXED } from "../../stacks/validation/aws-limits";
import type { PlannedResource } from "../terraform";
import {
  configReferences,
  isUnknownAt,
  plannedManagedResources,
  priorResources,
  type ReviewPlan,
  valueAt,
} from "./plan-json";

/** Sustained write throughput one broker handles (its own share of client writes plus replication), MB/s. */
export interface BrokerThroughput {
  readonly lowMBps: number;
  /** Undefined for an open-ended "250+" figure. */
  readonly highMBps?: number;
  /** Where the figure comes from; anything not from the seed says it is an estimate. */
  readonly basis: string;
  /**
   * "client": the figure is client traffic per broker already (AWS's Express sizing), so the cluster
   * takes brokers x figure; "broker" (default): the broker writes every byte RF times, so / RF.
   */
  readonly per?: "client" | "broker";
  /** Client egress per broker, MB/s, where AWS publishes it (Express). */
  readonly egressMBps?: number;
}

const EXPRESS_BASIS =
  "AWS-published recommended maximum per Express broker (MSK Developer Guide, Best practices for Express brokers; docs/sources.md, Broker throughput)";

/** Express brokers: AWS publishes client ingress and egress per broker size; above them MSK throttles. */
const EXPRESS_THROUGHPUT: Readonly<Record<string, BrokerThroughput>> = Object.fromEntries(
  Object.entries(EXPRESS_BROKER_THROUGHPUT_MBPS).map(([type, t]) => [
    type,
    { lowMBps: t.ingress, highMBps: t.ingress, egressMBps: t.egress, per: "client", basis: EXPRESS_BASIS },
  ]),
);

const SEED = "seed 002, see docs/sources.md, Broker throughput";
const SCALED = "estimate: scaled by vCPU from the kafka.m5.large seed figure, not measured";
const SCALED_4XL = "estimate: scaled by vCPU from the kafka.m5.4xlarge seed figure, not measured";

/** Per-broker sustainable ingress by instance type. Only m5.large and m5.4xlarge are sourced figures. */
export const BROKER_THROUGHPUT: Readonly<Record<string, BrokerThroughput>> = {
  "kafka.t3.small": {
    lowMBps: 5,
    highMBps: 10,
    basis: "estimate: burstable instance for development; no sourced figure, assumed well below m5.large",
  },
  "kafka.m5.large": { lowMBps: 30, highMBps: 50, basis: SEED },
  "kafka.m5.xlarge": { lowMBps: 60, highMBps: 100, basis: SCALED },
  "kafka.m5.2xlarge": { lowMBps: 120, highMBps: 200, basis: SCALED },
  "kafka.m5.4xlarge": { lowMBps: 250, basis: SEED },
  "kafka.m5.8xlarge": { lowMBps: 500, basis: SCALED_4XL },
  "kafka.m5.12xlarge": { lowMBps: 750, basis: SCALED_4XL },
  "kafka.m5.16xlarge": { lowMBps: 1000, basis: SCALED_4XL },
  "kafka.m5.24xlarge": { lowMBps: 1500, basis: SCALED_4XL },
  ...EXPRESS_THROUGHPUT,
};

/** MSK Serverless throttles writes above this, per cluster (docs/sources.md, Broker throughput). */
export const SERVERLESS_WRITE_LIMIT_MIBPS = 200;
export const SERVERLESS_READ_LIMIT_MIBPS = 400;

/** Replication settings and where they came from. */
export interface ReplicationSettings {
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  /** "server_properties of <address>", or the MSK default that applies when a property is absent. */
  readonly source: string;
}

export interface ProvisionedCapacity {
  readonly kind: "provisioned";
  readonly address: string;
  readonly clusterName?: string;
  readonly instanceType?: string;
  /** Express brokers: storage managed by MSK, replication fixed at 3 / min ISR 2. */
  readonly express: boolean;
  readonly brokers: number;
  /** Number of client subnets (MSK requires one per AZ); undefined when the plan cannot tell. */
  readonly availabilityZones?: number;
  readonly brokersPerAz?: number;
  readonly volumeSizeGiB?: number;
  readonly replication: ReplicationSettings;
  /** Broker losses (in one partition's replica set) that acks=all writes survive: RF - min ISR. */
  readonly brokerLossesForWrites: number;
  /**
   * Broker losses (in one partition's replica set) that can never lose an acknowledged write: an acks=all
   * write is guaranteed only on min ISR replicas, so min ISR - 1.
   */
  readonly brokerLossesForData: number;
  /** Whole-AZ outages that writes survive, assuming rack-aware replica placement. */
  readonly azLossesForWrites?: number;
  /** Replicas of one partition in the same AZ, at most: ceil(RF / AZs). */
  readonly replicasPerAz?: number;
  readonly throughput?: BrokerThroughput;
  /** Client ingress the cluster sustains, MB/s: brokers x per-broker / RF (x per-broker for Express). */
  readonly ingressLowMBps?: number;
  readonly ingressHighMBps?: number;
  /** Client egress the cluster sustains, MB/s, where AWS publishes a per-broker figure (Express). */
  readonly egressMBps?: number;
  readonly warnings: readonly string[];
}

export interface ServerlessCapacity {
  readonly kind: "serverless";
  readonly address: string;
  readonly clusterName?: string;
  readonly writeLimitMiBps: number;
  readonly readLimitMiBps: number;
}

export type ClusterCapacity = ProvisionedCapacity | ServerlessCapacity;

/** server.properties text -> map. */
export function parseServerProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith("!")) continue;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (match) properties[match[1]] = match[2].trim();
  }
  return properties;
}

/**
 * MSK's defaults when server_properties leaves a setting out: default.replication.factor 3 and
 * min.insync.replicas 2 on three-AZ clusters, 2 and 1 on two-AZ clusters (MSK default configuration).
 */
function mskDefaultReplication(azs: number | undefined): { rf: number; minIsr: number } {
  return azs === 2 ? { rf: 2, minIsr: 1 } : { rf: 3, minIsr: 2 };
}

function integerProperty(properties: Record<string, string>, key: string): number | undefined {
  const value = properties[key];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The aws_msk_configuration a cluster uses: by configuration reference, by ARN, or the only one. */
export function configurationOf(
  plan: ReviewPlan,
  cluster: PlannedResource,
  configurations: readonly PlannedResource[],
): PlannedResource | undefined {
  const referenced = configReferences(plan, cluster.address, ["configuration_info", 0, "arn"]);
  const byReference = configurations.find((c) => referenced.includes(c.address));
  if (byReference) return byReference;
  const arn = valueAt(cluster.values, ["configuration_info", 0, "arn"]);
  const byArn = configurations.find((c) => arn !== undefined && c.values.arn === arn);
  if (byArn) return byArn;
  return configurations.length === 1 ? configurations[0] : undefined;
}

/** AZ count of a cluster: its client subnets, known or counted from the configuration's references. */
function availabilityZonesOf(
  plan: ReviewPlan,
  cluster: PlannedResource,
  unknown: unknown,
): number | undefined {
  const subnets = valueAt(cluster.values, ["broker_node_group_info", 0, "client_subnets"]);
  if (Array.isArray(subnets) && !isUnknownAt(unknown, ["broker_node_group_info", 0, "client_subnets"]))
    return subnets.length;
  const referenced = configReferences(plan, cluster.address, ["broker_node_group_info", 0, "client_subnets"]);
  return referenced.length > 0 ? referenced.length : undefined;
}

function provisionedCapacity(
  plan: ReviewPlan,
  cluster: PlannedResource,
  configurations: readonly PlannedResource[],
  unknown: unknown,
): ProvisionedCapacity {
  const warnings: string[] = [];
  const values = cluster.values;
  const brokers = Number(values.number_of_broker_nodes ?? 0);
  const instanceType = valueAt(values, ["broker_node_group_info", 0, "instance_type"]) as string | undefined;
  const volume = valueAt(values, [
    "broker_node_group_info",
    0,
    "storage_info",
    0,
    "ebs_storage_info",
    0,
    "volume_size",
  ]);
  const azs = availabilityZonesOf(plan, cluster, unknown);
  if (azs !== undefined && brokers % azs !== 0)
    warnings.push(`${brokers} brokers are not a multiple of ${azs} AZs: MSK refuses this`);

  const express = instanceType?.startsWith("express.") === true;
  const configuration = configurationOf(plan, cluster, configurations);
  const properties =
    typeof configuration?.values.server_properties === "string"
      ? parseServerProperties(configuration.values.server_properties)
      : {};
  const defaults = express
    ? { rf: EXPRESS_FIXED.replicationFactor, minIsr: EXPRESS_FIXED.minInsyncReplicas }
    : mskDefaultReplication(azs);
  // Express brokers hold both read-only: whatever a configuration says, MSK runs 3 / 2.
  const rf = express ? undefined : integerProperty(properties, "default.replication.factor");
  const minIsr = express ? undefined : integerProperty(properties, "min.insync.replicas");
  const replicationFactor = rf ?? defaults.rf;
  const minInsyncReplicas = minIsr ?? defaults.minIsr;
  const sources = express
    ? ["fixed by MSK on Express brokers (read-only): RF 3, min ISR 2"]
    : [
        configuration && (rf !== undefined || minIsr !== undefined)
          ? `server_properties of \`${configuration.address}\``
          : undefined,
        rf === undefined
          ? `default.replication.factor not set: MSK default ${defaults.rf} assumed`
          : undefined,
        minIsr === undefined
          ? `min.insync.replicas not set: MSK default ${defaults.minIsr} assumed`
          : undefined,
      ].filter((s): s is string => s !== undefined);

  if (replicationFactor > brokers)
    warnings.push(
      `replication factor ${replicationFactor} exceeds the ${brokers} brokers: topics cannot be created`,
    );
  if (minInsyncReplicas > replicationFactor)
    warnings.push(
      `min.insync.replicas ${minInsyncReplicas} exceeds the replication factor ${replicationFactor}: every acks=all write fails`,
    );
  if (minInsyncReplicas === replicationFactor)
    warnings.push("min.insync.replicas equals the replication factor: one broker down stops acks=all writes");

  const brokerLossesForWrites = Math.max(0, replicationFactor - minInsyncReplicas);
  const brokerLossesForData = Math.max(0, minInsyncReplicas - 1);
  const replicasPerAz = azs ? Math.ceil(replicationFactor / azs) : undefined;
  const azLossesForWrites =
    azs && replicasPerAz ? Math.min(azs - 1, Math.floor(brokerLossesForWrites / replicasPerAz)) : undefined;

  const throughput = instanceType ? BROKER_THROUGHPUT[instanceType] : undefined;
  if (instanceType && !throughput)
    warnings.push(`no throughput figure for ${instanceType} in tools/review/capacity.ts`);
  const perCluster = (perBroker: number | undefined) =>
    perBroker === undefined || replicationFactor < 1
      ? undefined
      : throughput?.per === "client"
        ? brokers * perBroker
        : (brokers * perBroker) / replicationFactor;

  return {
    kind: "provisioned",
    address: cluster.address,
    clusterName: values.cluster_name as string | undefined,
    instanceType,
    express,
    brokers,
    availabilityZones: azs,
    brokersPerAz: azs ? brokers / azs : undefined,
    volumeSizeGiB: typeof volume === "number" ? volume : undefined,
    replication: { replicationFactor, minInsyncReplicas, source: sources.join("; ") },
    brokerLossesForWrites,
    brokerLossesForData,
    azLossesForWrites,
    replicasPerAz,
    throughput,
    ingressLowMBps: perCluster(throughput?.lowMBps),
    ingressHighMBps: perCluster(throughput?.highMBps),
    egressMBps: throughput?.egressMBps === undefined ? undefined : brokers * throughput.egressMBps,
    warnings,
  };
}

function capacityOf(
  plan: ReviewPlan,
  resources: readonly PlannedResource[],
  unknownOf: (address: string) => unknown,
): ClusterCapacity[] {
  const configurations = resources.filter((r) => r.type === "aws_msk_configuration");
  return resources.flatMap((r): ClusterCapacity[] => {
    if (r.type === "aws_msk_cluster")
      return [provisionedCapacity(plan, r, configurations, unknownOf(r.address))];
    if (r.type === "aws_msk_serverless_cluster")
      return [
        {
          kind: "serverless",
          address: r.address,
          clusterName: r.values.cluster_name as string | undefined,
          writeLimitMiBps: SERVERLESS_WRITE_LIMIT_MIBPS,
          readLimitMiBps: SERVERLESS_READ_LIMIT_MIBPS,
        },
      ];
    return [];
  });
}

/** Capacity of every MSK cluster the plan leaves in place. */
export function plannedCapacity(plan: ReviewPlan): ClusterCapacity[] {
  const unknown = new Map((plan.resource_changes ?? []).map((c) => [c.address, c.change.after_unknown]));
  return capacityOf(plan, plannedManagedResources(plan), (address) => unknown.get(address));
}

/** Capacity of the MSK clusters in the prior state (empty for a first apply). */
export function priorCapacity(plan: ReviewPlan): ClusterCapacity[] {
  return capacityOf(plan, priorResources(plan), () => undefined);
}
