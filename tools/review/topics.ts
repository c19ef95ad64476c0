/**
 * Topic changes in a plan, per topic: the topic manager's `aws_lambda_invocation` input is the full
 * declared topic set, so comparing its before and after says which topics are created, updated (partitions,
 * retention, configs before -> after), retired or released. Retiring a topic and cutting how long a topic
 * keeps data are data loss: they are destructive, like deleting a bucket. Capacity adds partition replicas
 * per broker against MSK's recommendation and the disk each topic's retention needs at its assumed ingress.
 */
import { PARTITIONS_PER_BROKER, PARTITIONS_SOURCE } from "../../stacks/validation/topic-limits";
import type { PlannedResource } from "../terraform";
import { configurationOf, parseServerProperties } from "./capacity";
import {
  type FullResourceChange,
  plannedManagedResources,
  priorResources,
  type ReviewPlan,
  valueAt,
} from "./plan-json";

/** A topic as the topic manager's input declares it. */
interface InputTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
  readonly assumedIngressMBps?: number;
}

interface ManagerInput {
  readonly clusterName: string;
  readonly topics: readonly InputTopic[];
  readonly retired: readonly { readonly name: string; readonly reason: string }[];
}

/** How long and how much a topic keeps: milliseconds and bytes per partition, -1 for unlimited. */
export interface Retention {
  readonly ms: number;
  readonly bytesPerPartition: number;
  /** Whether old segments are deleted by retention at all (cleanup.policy contains delete). */
  readonly deletes: boolean;
  /** Whether the time came from the topic or the cluster default. */
  readonly source: "topic" | "cluster";
}

export interface TopicChange {
  readonly topic: string;
  readonly kind: "created" | "updated" | "retired" | "released";
  readonly partitions: { readonly before?: number; readonly after?: number };
  readonly replicationFactor: { readonly before?: number; readonly after?: number };
  readonly retention: { readonly before?: Retention; readonly after?: Retention };
  /** Other config keys that change, rendered "key: before -> after". */
  readonly configs: readonly string[];
  /** Why this change loses data; undefined when it does not. */
  readonly dataLoss?: string;
  /** The retire reason. */
  readonly reason?: string;
}

export interface TopicDiskEstimate {
  readonly topic: string;
  readonly ingressMBps: number;
  readonly retention: Retention;
  /** Bytes on disk across all replicas; undefined when unbounded or compacted. */
  readonly totalBytes?: number;
  readonly note?: string;
}

export interface TopicCapacity {
  readonly brokers: number;
  readonly instanceType?: string;
  /** Partition replicas (leaders and followers) per broker, every declared topic counted. */
  readonly replicasPerBroker: number;
  readonly leadersPerBroker: number;
  readonly recommended?: number;
  readonly maxForUpdates?: number;
  readonly storagePerBrokerGiB?: number;
  readonly disk: readonly TopicDiskEstimate[];
}

export interface TopicReview {
  readonly address: string;
  readonly clusterName?: string;
  /** The invocation is replaced (a new cluster): every declared topic is applied again. */
  readonly replaced: boolean;
  /** Input unknown until apply: the changes cannot be listed. */
  readonly unknown: boolean;
  readonly declared: number;
  readonly changes: readonly TopicChange[];
  readonly capacity?: TopicCapacity;
}

function parseInput(text: unknown): ManagerInput | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const value = JSON.parse(text) as Partial<ManagerInput>;
    if (
      typeof value.clusterName !== "string" ||
      !Array.isArray(value.topics) ||
      !Array.isArray(value.retired)
    )
      return undefined;
    return value as ManagerInput;
  } catch {
    return undefined;
  }
}

const HOUR_MS = 3_600_000;

/** Broker-level retention from server.properties, in Kafka's precedence (ms, minutes, hours; default 168 h). */
function clusterRetention(properties: Record<string, string>): { ms: number; bytes: number } {
  const number = (key: string) => (properties[key] !== undefined ? Number(properties[key]) : undefined);
  const ms =
    number("log.retention.ms") ??
    (number("log.retention.minutes") !== undefined
      ? (number("log.retention.minutes") ?? 0) * 60_000
      : undefined) ??
    (number("log.retention.hours") ?? 168) * HOUR_MS;
  return { ms, bytes: number("log.retention.bytes") ?? -1 };
}

function retentionOf(topic: InputTopic, cluster: { ms: number; bytes: number }): Retention {
  const ms = topic.configs["retention.ms"];
  const bytes = topic.configs["retention.bytes"];
  const policy = topic.configs["cleanup.policy"] ?? "delete";
  return {
    ms: ms !== undefined ? Number(ms) : cluster.ms,
    bytesPerPartition: bytes !== undefined ? Number(bytes) : cluster.bytes,
    deletes: policy.split(",").includes("delete"),
    source: ms !== undefined ? "topic" : "cluster",
  };
}

/** -1 (unlimited) is the longest. */
const longer = (a: number, b: number) => (a === -1 ? b !== -1 : b !== -1 && a > b);

export function formatDuration(ms: number): string {
  if (ms === -1) return "unlimited";
  // Days from a week on (7 d, 30 d), hours below (72 h reads better than 3 d next to log.retention.hours).
  if (ms % (24 * HOUR_MS) === 0 && ms >= 7 * 24 * HOUR_MS) return `${ms / (24 * HOUR_MS)} d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes === -1) return "unlimited";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Why going from `before` to `after` deletes data that would otherwise be kept; undefined when nothing is lost. */
function retentionLoss(before: Retention, after: Retention): string | undefined {
  if (!after.deletes) return undefined;
  if (!before.deletes)
    return "cleanup.policy gains delete: records older than the retention are deleted, where compaction kept the latest value of every key";
  if (longer(before.ms, after.ms))
    return `retention cut from ${formatDuration(before.ms)} to ${formatDuration(after.ms)}: records older than ${formatDuration(after.ms)} are deleted at the next log cleanup`;
  if (longer(before.bytesPerPartition, after.bytesPerPartition))
    return `retention.bytes cut from ${formatBytes(before.bytesPerPartition)} to ${formatBytes(after.bytesPerPartition)} per partition: the oldest segments above it are deleted`;
  return undefined;
}

function compactionLoss(before: InputTopic, after: InputTopic): string | undefined {
  const has = (t: InputTopic) => (t.configs["cleanup.policy"] ?? "delete").split(",").includes("compact");
  return !has(before) && has(after)
    ? "cleanup.policy gains compact: older records of every key are discarded, only the latest value is kept"
    : undefined;
}

/** server.properties of the cluster named `clusterName` among `resources`. */
function clusterProperties(
  plan: ReviewPlan,
  resources: readonly PlannedResource[],
  clusterName: string,
): { properties: Record<string, string>; cluster?: PlannedResource } {
  const cluster = resources.find(
    (r) => r.type === "aws_msk_cluster" && r.values.cluster_name === clusterName,
  );
  if (!cluster) return { properties: {} };
  const configuration = configurationOf(
    plan,
    cluster,
    resources.filter((r) => r.type === "aws_msk_configuration"),
  );
  const text = configuration?.values.server_properties;
  return { properties: typeof text === "string" ? parseServerProperties(text) : {}, cluster };
}

function changesOf(
  before: ManagerInput | undefined,
  after: ManagerInput,
  priorDefaults: { ms: number; bytes: number },
  plannedDefaults: { ms: number; bytes: number },
): TopicChange[] {
  const changes: TopicChange[] = [];
  for (const topic of after.topics) {
    const old = before?.topics.find((t) => t.name === topic.name);
    const afterRetention = retentionOf(topic, plannedDefaults);
    if (!old) {
      changes.push({
        topic: topic.name,
        kind: "created",
        partitions: { after: topic.partitions },
        replicationFactor: { after: topic.replicationFactor },
        retention: { after: afterRetention },
        configs: Object.entries(topic.configs)
          .filter(([key]) => !["retention.ms", "retention.bytes"].includes(key))
          .map(([key, value]) => `${key}: ${value}`),
      });
      continue;
    }
    const beforeRetention = retentionOf(old, priorDefaults);
    const keys = [...new Set([...Object.keys(old.configs), ...Object.keys(topic.configs)])]
      .filter(
        (key) =>
          !["retention.ms", "retention.bytes"].includes(key) && old.configs[key] !== topic.configs[key],
      )
      .sort();
    const retentionChanged =
      beforeRetention.ms !== afterRetention.ms ||
      beforeRetention.bytesPerPartition !== afterRetention.bytesPerPartition ||
      beforeRetention.deletes !== afterRetention.deletes;
    if (
      old.partitions === topic.partitions &&
      old.replicationFactor === topic.replicationFactor &&
      !retentionChanged &&
      keys.length === 0
    )
      continue;
    changes.push({
      topic: topic.name,
      kind: "updated",
      partitions: { before: old.partitions, after: topic.partitions },
      replicationFactor: { before: old.replicationFactor, after: topic.replicationFactor },
      retention: { before: beforeRetention, after: afterRetention },
      configs: keys.map(
        (key) => `${key}: ${old.configs[key] ?? "(default)"} -> ${topic.configs[key] ?? "(default)"}`,
      ),
      dataLoss: retentionLoss(beforeRetention, afterRetention) ?? compactionLoss(old, topic),
    });
  }
  for (const retired of after.retired) {
    if (before?.retired.some((r) => r.name === retired.name)) continue;
    const old = before?.topics.find((t) => t.name === retired.name);
    changes.push({
      topic: retired.name,
      kind: "retired",
      partitions: { before: old?.partitions },
      replicationFactor: { before: old?.replicationFactor },
      retention: { before: old ? retentionOf(old, priorDefaults) : undefined },
      configs: [],
      reason: retired.reason,
      dataLoss: `the topic is deleted with every record in it${old ? ` (${old.partitions} partitions)` : ""}; consumers reading it fail, producers writing it get errors`,
    });
  }
  for (const old of before?.topics ?? []) {
    if (after.topics.some((t) => t.name === old.name) || after.retired.some((r) => r.name === old.name))
      continue;
    changes.push({
      topic: old.name,
      kind: "released",
      partitions: { before: old.partitions },
      replicationFactor: { before: old.replicationFactor },
      retention: {},
      configs: [],
    });
  }
  return changes;
}

function capacityOf(
  after: ManagerInput,
  cluster: PlannedResource | undefined,
  defaults: { ms: number; bytes: number },
): TopicCapacity | undefined {
  const brokers = Number(cluster?.values.number_of_broker_nodes ?? 0);
  if (!cluster || brokers < 1) return undefined;
  const instanceType = valueAt(cluster.values, ["broker_node_group_info", 0, "instance_type"]) as
    | string
    | undefined;
  const volume = valueAt(cluster.values, [
    "broker_node_group_info",
    0,
    "storage_info",
    0,
    "ebs_storage_info",
    0,
    "volume_size",
  ]);
  const replicas = after.topics.reduce((n, t) => n + t.partitions * t.replicationFactor, 0);
  const leaders = after.topics.reduce((n, t) => n + t.partitions, 0);
  const limit = instanceType ? PARTITIONS_PER_BROKER[instanceType] : undefined;
  const disk = after.topics
    .filter((t) => typeof t.assumedIngressMBps === "number")
    .map((t): TopicDiskEstimate => {
      const retention = retentionOf(t, defaults);
      const ingressMBps = t.assumedIngressMBps ?? 0;
      if (!retention.deletes)
        return {
          topic: t.name,
          ingressMBps,
          retention,
          note: "compacted: its size follows the number of keys, not the ingress",
        };
      const byTime = retention.ms === -1 ? undefined : ingressMBps * 1e6 * (retention.ms / 1000);
      const bySize =
        retention.bytesPerPartition === -1 ? undefined : retention.bytesPerPartition * t.partitions;
      const bound = byTime === undefined ? bySize : bySize === undefined ? byTime : Math.min(byTime, bySize);
      if (bound === undefined)
        return { topic: t.name, ingressMBps, retention, note: "unlimited retention: grows without bound" };
      return { topic: t.name, ingressMBps, retention, totalBytes: bound * t.replicationFactor };
    });
  return {
    brokers,
    instanceType,
    replicasPerBroker: Math.ceil(replicas / brokers),
    leadersPerBroker: Math.ceil(leaders / brokers),
    recommended: limit?.recommended,
    maxForUpdates: limit?.maxForUpdates,
    storagePerBrokerGiB: typeof volume === "number" ? volume : undefined,
    disk,
  };
}

/** Every topic manager invocation of the plan, reviewed. */
export function reviewTopics(plan: ReviewPlan): TopicReview[] {
  return (plan.resource_changes ?? [])
    .filter((rc): rc is FullResourceChange => rc.mode === "managed" && rc.type === "aws_lambda_invocation")
    .flatMap((rc): TopicReview[] => {
      const before = parseInput(rc.change.before?.input);
      const after = parseInput(rc.change.after?.input);
      const afterUnknown = valueAt(rc.change.after_unknown, ["input"]) === true;
      if (!before && !after && !afterUnknown) return [];
      const actions = rc.change.actions;
      const clusterName = after?.clusterName ?? before?.clusterName;
      if (!after) {
        return [
          {
            address: rc.address,
            clusterName,
            replaced: false,
            unknown: afterUnknown,
            declared: 0,
            // The topic manager itself is removed: topics are left as they are (the delete invocation changes nothing).
            changes: afterUnknown
              ? []
              : (before?.topics ?? []).map((t) => ({
                  topic: t.name,
                  kind: "released" as const,
                  partitions: { before: t.partitions },
                  replicationFactor: { before: t.replicationFactor },
                  retention: {},
                  configs: [],
                })),
          },
        ];
      }
      const prior = clusterProperties(plan, priorResources(plan), after.clusterName);
      const planned = clusterProperties(plan, plannedManagedResources(plan), after.clusterName);
      const plannedDefaults = clusterRetention(planned.properties);
      const priorDefaults = prior.cluster ? clusterRetention(prior.properties) : plannedDefaults;
      return [
        {
          address: rc.address,
          clusterName,
          replaced: actions.includes("create") && actions.includes("delete"),
          unknown: false,
          declared: after.topics.length,
          changes: actions.includes("no-op") ? [] : changesOf(before, after, priorDefaults, plannedDefaults),
          capacity: capacityOf(after, planned.cluster, plannedDefaults),
        },
      ];
    });
}

/** The data-losing topic changes, in the review's destructive-change form. */
export function topicDataLoss(reviews: readonly TopicReview[]): {
  readonly address: string;
  readonly topic: string;
  readonly action: "delete" | "update";
  readonly consequence: string;
  readonly reason?: string;
}[] {
  return reviews.flatMap((r) =>
    r.changes
      .filter((c) => c.dataLoss !== undefined)
      .map((c) => ({
        address: r.address,
        topic: c.topic,
        action: c.kind === "retired" ? ("delete" as const) : ("update" as const),
        consequence: c.dataLoss ?? "",
        reason: c.reason,
      })),
  );
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const arrow = (before?: number | string, after?: number | string) =>
  before === undefined
    ? String(after ?? "-")
    : after === undefined
      ? `${before} -> -`
      : before === after
        ? String(after)
        : `${before} -> ${after}`;
const showRetention = (r?: Retention) =>
  r === undefined
    ? undefined
    : !r.deletes
      ? "compacted"
      : `${formatDuration(r.ms)}${r.bytesPerPartition === -1 ? "" : `, ${formatBytes(r.bytesPerPartition)}/partition`}${r.source === "cluster" ? " (cluster default)" : ""}`;

/** The Topics section of one environment's review. */
export function topicLines(reviews: readonly TopicReview[]): string[] {
  if (reviews.length === 0) return [];
  const lines: string[] = ["### Topics", ""];
  for (const r of reviews) {
    const count = (kind: TopicChange["kind"]) => r.changes.filter((c) => c.kind === kind).length;
    lines.push(
      `\`${r.address}\`${r.clusterName ? ` (cluster \`${r.clusterName}\`)` : ""}: ${r.declared} declared; ` +
        `${count("created")} created, ${count("updated")} updated, ${count("retired")} retired, ${count("released")} no longer managed.`,
      "",
    );
    if (r.unknown) lines.push("The declared topics are known only after apply.", "");
    if (r.replaced)
      lines.push(
        "The invocation is replaced (a new cluster): every declared topic is applied to it again.",
        "",
      );
    if (r.changes.length === 0) {
      lines.push("No topic changes.", "");
      continue;
    }
    lines.push(
      "| topic | change | partitions | replication | retention | details |",
      "| --- | --- | --- | --- | --- | --- |",
      ...r.changes.map((c) => {
        const details = [
          ...c.configs,
          ...(c.reason ? [`reason: ${c.reason}`] : []),
          ...(c.kind === "released" ? ["left on the cluster as it is; retire it to delete it"] : []),
          ...(c.dataLoss ? [`**data loss**: ${c.dataLoss}`] : []),
        ];
        const before = showRetention(c.retention.before);
        const after = showRetention(c.retention.after);
        return `| \`${cell(c.topic)}\` | ${c.dataLoss ? `**${c.kind}**` : c.kind} | ${arrow(c.partitions.before, c.partitions.after)} | ${arrow(c.replicationFactor.before, c.replicationFactor.after)} | ${cell(c.kind === "retired" ? `${before ?? "-"} -> deleted` : arrow(before, after))} | ${cell(details.join("; "))} |`;
      }),
      "",
    );
  }
  return lines;
}

/** Topic capacity rows, for the Capacity section. */
export function topicCapacityLines(reviews: readonly TopicReview[]): string[] {
  const lines: string[] = [];
  for (const r of reviews) {
    const c = r.capacity;
    if (!c) continue;
    const limit =
      c.recommended === undefined
        ? `no recommended figure for ${c.instanceType ?? "this broker type"}`
        : `${c.recommended} recommended per ${c.instanceType} broker, ${c.maxForUpdates} at most for cluster updates (${PARTITIONS_SOURCE})`;
    lines.push(
      `Topics of \`${r.clusterName ?? r.address}\`: **${c.replicasPerBroker} partition replicas per broker** (${c.leadersPerBroker} leaders) over ${c.brokers} brokers, every declared topic counted; ${limit}.`,
    );
    if (c.recommended !== undefined && c.replicasPerBroker > c.recommended)
      lines.push(
        `- **warning**: above MSK's recommendation; above ${c.maxForUpdates} MSK refuses cluster updates`,
      );
    if (c.disk.length > 0) {
      const storage =
        c.storagePerBrokerGiB === undefined ? undefined : c.storagePerBrokerGiB * c.brokers * 1024 ** 3;
      lines.push(
        "",
        "| topic | assumed ingress | retention | disk, all replicas | share of broker storage |",
        "| --- | ---: | --- | ---: | ---: |",
        ...c.disk.map((d) => {
          const share =
            d.totalBytes !== undefined && storage ? `${((100 * d.totalBytes) / storage).toFixed(1)} %` : "-";
          return `| \`${cell(d.topic)}\` | ${d.ingressMBps} MB/s | ${showRetention(d.retention) ?? "-"} | ${d.totalBytes !== undefined ? formatBytes(d.totalBytes) : cell(d.note ?? "-")} | ${share} |`;
        }),
      );
      const total = c.disk.reduce((n, d) => n + (d.totalBytes ?? 0), 0);
      if (storage && total > 0) {
        lines.push(
          `| **total** |  |  | **${formatBytes(total)}** | **${((100 * total) / storage).toFixed(1)} %** |`,
          "",
          `- disk = ingress x retention (capped by retention.bytes x partitions) x replication factor, against ${c.brokers} x ${c.storagePerBrokerGiB} GiB of broker storage (before storage autoscaling).`,
        );
        if (total > storage * 0.85)
          lines.push(
            "- **warning**: the declared retention at the assumed ingress fills the brokers' disks past the 85 % disk alarm",
          );
      }
    }
    lines.push("");
  }
  return lines;
}
