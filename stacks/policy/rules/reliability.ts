import { type PolicyRule, unless } from "../rule";
import {
  asNumber,
  asString,
  asStrings,
  block,
  blocks,
  type JsonObject,
  referencesIn,
  type TerraformModel,
  type TfResource,
} from "../terraform-model";

/** The alarms MSK best practice asks for, by the AWS/Kafka metric they watch. */
export const REQUIRED_MSK_ALARM_METRICS: Readonly<Record<string, string>> = {
  KafkaDataLogsDiskUsed: "data volume >= 85 % full",
  CpuUser: "CPU (CpuUser + CpuSystem) > 60 %",
  UnderReplicatedPartitions: "under-replicated partitions > 0",
  OfflinePartitionsCount: "offline partitions > 0",
  ActiveControllerCount: "active controllers != 1",
};

/**
 * Express brokers publish no disk, under-replicated or offline-partition metrics (MSK Developer Guide,
 * "CloudWatch metrics for Express brokers"); their capacity signal is client throughput against the
 * per-size figures AWS publishes.
 */
export const REQUIRED_EXPRESS_ALARM_METRICS: Readonly<Record<string, string>> = {
  CpuUser: "CPU (CpuUser + CpuSystem) > 60 %",
  BytesInPerSec: "client ingress above the recommended per-broker throughput",
  BytesOutPerSec: "client egress above the recommended per-broker throughput",
  ActiveControllerCount: "active controllers != 1",
};

/** Express brokers (express.* instance types): MSK fixes RF 3, min ISR 2 and unclean election off. */
function isExpressCluster(cluster: TfResource): boolean {
  return (
    asString(block(cluster.config.broker_node_group_info)?.instance_type)?.startsWith("express.") === true
  );
}

/** server.properties of the configuration a cluster uses; undefined when it uses MSK's default one. */
function serverProperties(model: TerraformModel, cluster: TfResource): Map<string, string> | undefined {
  const configuration = model
    .referenced(cluster, "configuration_info")
    .find((r) => r.type === "aws_msk_configuration");
  const text = asString(configuration?.config.server_properties);
  if (text === undefined) return undefined;
  const properties = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([^#=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) properties.set(match[1], match[2]);
  }
  return properties;
}

/** A per-property reliability rule on the cluster's configuration. */
function propertyRule(
  id: string,
  title: string,
  property: string,
  ok: (value: string | undefined) => boolean,
  fix: string,
): PolicyRule {
  return {
    id,
    mirrors: [],
    title,
    productionOnly: true,
    fix,
    check: ({ model }) =>
      // Express brokers hold these settings read-only at the values the rules ask for.
      model
        .resources("aws_msk_cluster")
        .filter((c) => !isExpressCluster(c))
        .flatMap((cluster) => {
          const properties = serverProperties(model, cluster);
          if (properties === undefined) {
            return unless(
              false,
              cluster,
              `uses MSK's default configuration (no configuration_info with an aws_msk_configuration), where ${property} is not guaranteed`,
            );
          }
          const value = properties.get(property);
          return unless(ok(value), cluster, `${property} is ${value ?? "(not set)"}`);
        }),
  };
}

/** Metric names an alarm watches, directly or inside its metric queries. */
function alarmMetrics(alarm: TfResource): { namespace?: string; metric?: string; dimensions: JsonObject }[] {
  const direct = {
    namespace: asString(alarm.config.namespace),
    metric: asString(alarm.config.metric_name),
    dimensions: block(alarm.config.dimensions) ?? {},
  };
  const queried = blocks(alarm.config.metric_query).map((q) => {
    const metric = block(q.metric);
    return {
      namespace: asString(metric?.namespace),
      metric: asString(metric?.metric_name),
      dimensions: block(metric?.dimensions) ?? {},
    };
  });
  return [direct, ...queried].filter((m) => m.metric !== undefined);
}

/** True when the dimensions name this cluster: its literal name or a reference to it. */
function watchesCluster(cluster: TfResource, dimensions: JsonObject): boolean {
  const value = dimensions["Cluster Name"];
  if (value === undefined) return false;
  return value === cluster.config.cluster_name || referencesIn(value).includes(cluster.address);
}

export const RELIABILITY_RULES: readonly PolicyRule[] = [
  {
    id: "MSKP-REL-001",
    mirrors: [],
    title: "Production MSK clusters span three availability zones",
    productionOnly: true,
    fix: "list three availability zones (network.availabilityZones) so one AZ can fail without losing quorum",
    check: ({ model }) =>
      model.resources("aws_msk_cluster").flatMap((cluster) => {
        const subnets = asStrings(block(cluster.config.broker_node_group_info)?.client_subnets);
        return unless(subnets.length >= 3, cluster, `client_subnets spans ${subnets.length} subnets`);
      }),
  },
  propertyRule(
    "MSKP-REL-002",
    "Production MSK clusters default to replication factor 3 or more",
    "default.replication.factor",
    (v) => (asNumber(v) ?? 0) >= 3,
    "set cluster.kafka.defaultReplicationFactor to 3",
  ),
  propertyRule(
    "MSKP-REL-003",
    "Production MSK clusters require at least 2 in-sync replicas (min.insync.replicas >= 2)",
    "min.insync.replicas",
    (v) => (asNumber(v) ?? 0) >= 2,
    "set cluster.kafka.minInsyncReplicas to 2",
  ),
  propertyRule(
    "MSKP-REL-004",
    "Production MSK clusters never elect an out-of-sync leader (unclean.leader.election.enable=false)",
    "unclean.leader.election.enable",
    (v) => v === "false",
    "render unclean.leader.election.enable = false in the cluster configuration (MSK's default is true)",
  ),
  {
    id: "MSKP-REL-005",
    mirrors: [],
    title:
      "Production MSK clusters have AWS/Kafka alarms with actions for disk, CPU, URP, offline partitions and controller",
    productionOnly: true,
    fix: 'create aws_cloudwatch_metric_alarm resources on the AWS/Kafka metrics with the cluster\'s "Cluster Name" dimension and alarm_actions to the alarm topic',
    check: ({ model }) => {
      const alarms = model.resources("aws_cloudwatch_metric_alarm");
      return model.resources("aws_msk_cluster").flatMap((cluster) => {
        const watched = new Set(
          alarms
            .filter((alarm) => asStrings(alarm.config.alarm_actions).length > 0)
            .flatMap(alarmMetrics)
            .filter((m) => m.namespace === "AWS/Kafka" && watchesCluster(cluster, m.dimensions))
            .map((m) => m.metric),
        );
        const required = isExpressCluster(cluster)
          ? REQUIRED_EXPRESS_ALARM_METRICS
          : REQUIRED_MSK_ALARM_METRICS;
        const missing = Object.keys(required).filter((metric) => !watched.has(metric));
        return unless(
          missing.length === 0,
          cluster,
          `no alarm with actions watches ${missing.map((m) => `${m} (${required[m]})`).join(", ")}`,
        );
      });
    },
  },
];
