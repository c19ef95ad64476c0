import type { EnvironmentConfig } from "../config";
import { availabilityZonesOf } from "../defaults";
import type { Checker } from "./checker";

/** MSK cluster sizing, auth and Kafka settings. */
export function validateCluster(c: Checker, config: EnvironmentConfig): void {
  const cluster = config.cluster;
  if (!c.oneOf("cluster.type", cluster?.type, ["provisioned", "serverless"])) return;
  if (cluster.type === "serverless") return;
  c.integer("cluster.brokersPerAz", cluster.brokersPerAz, 1);
  c.integer("cluster.volumeSizeGiB", cluster.volumeSizeGiB, 1, 16384);
  const azCount = availabilityZonesOf(config).length;
  const brokers = cluster.brokersPerAz * azCount;
  const rf = cluster.kafka?.defaultReplicationFactor;
  if (rf !== undefined && c.integer("cluster.kafka.defaultReplicationFactor", rf, 1)) {
    c.check(
      rf <= brokers,
      "cluster.kafka.defaultReplicationFactor",
      rf,
      `must be <= the broker count (${brokers})`,
    );
  }
}
