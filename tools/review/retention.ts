/**
 * Retention reductions: an in-place update that shortens how long (or how much) Kafka keeps makes the
 * brokers delete every record beyond the new limit within minutes of the apply. Terraform plans it as a
 * plain update; the review lists it with the destructive changes, before and after.
 *
 * Readers are data, by resource type: the cluster default comes from an aws_msk_configuration's
 * server_properties. Per-topic retention cuts (and retired topics) are read from the topic manager's input
 * by tools/review/topics.ts, which knows which topics inherit the cluster default.
 */
import { parseServerProperties } from "./capacity";
import type { FullResourceChange, ReviewPlan } from "./plan-json";

/** A retention limit: time in ms and size in bytes per partition; undefined means unlimited. */
export interface Retention {
  readonly ms?: number;
  readonly bytes?: number;
}

/** One shortened retention. */
export interface RetentionChange {
  readonly address: string;
  readonly type: string;
  /** What the retention applies to, e.g. "cluster default (topics without their own retention.ms)". */
  readonly subject: string;
  /** Which limit shrinks: "time" or "size". */
  readonly limit: "time" | "size";
  readonly before: string;
  readonly after: string;
  /** Which settings carry it, e.g. "log.retention.hours", for the reader. */
  readonly setting: string;
}

/** Reads the retention reductions a resource change makes. */
export type RetentionReader = (rc: FullResourceChange, plan: ReviewPlan) => RetentionChange[];

const KAFKA_DEFAULT_RETENTION_MS = 168 * 3_600_000;

const integer = (value: string | undefined): number | undefined =>
  value !== undefined && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;

/**
 * Broker-level retention of server.properties: log.retention.ms wins over .minutes over .hours (Kafka's
 * precedence), default 168 h; log.retention.bytes, default unlimited; -1 means unlimited.
 */
export function brokerRetention(properties: Readonly<Record<string, string>>): Retention {
  const ms = integer(properties["log.retention.ms"]);
  const minutes = integer(properties["log.retention.minutes"]);
  const hours = integer(properties["log.retention.hours"]);
  const time =
    ms !== undefined
      ? ms
      : minutes !== undefined
        ? minutes * 60_000
        : hours !== undefined
          ? hours * 3_600_000
          : KAFKA_DEFAULT_RETENTION_MS;
  const bytes = integer(properties["log.retention.bytes"]);
  return { ms: time < 0 ? undefined : time, bytes: bytes === undefined || bytes < 0 ? undefined : bytes };
}

/** "72 h (3 d)", "12 h", "30 min", "unlimited". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "unlimited";
  if (ms % 86_400_000 === 0 && ms >= 2 * 86_400_000) return `${ms / 3_600_000} h (${ms / 86_400_000} d)`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms} ms`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "unlimited";
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${Number(gib.toFixed(2))} GiB per partition` : `${bytes} bytes per partition`;
}

/** The reductions between two retentions of the same subject. */
export function retentionReductions(
  base: Omit<RetentionChange, "limit" | "before" | "after">,
  before: Retention,
  after: Retention,
): RetentionChange[] {
  const shorter = (b: number | undefined, a: number | undefined) =>
    a !== undefined && (b === undefined || a < b);
  const changes: RetentionChange[] = [];
  if (shorter(before.ms, after.ms))
    changes.push({
      ...base,
      limit: "time",
      before: formatDuration(before.ms),
      after: formatDuration(after.ms),
    });
  if (shorter(before.bytes, after.bytes))
    changes.push({
      ...base,
      limit: "size",
      before: formatBytes(before.bytes),
      after: formatBytes(after.bytes),
    });
  return changes;
}

const serverProperties = (values: Record<string, unknown> | null): Record<string, string> | undefined =>
  typeof values?.server_properties === "string" ? parseServerProperties(values.server_properties) : undefined;

/** The cluster default carried by an MSK configuration (updated in place, or replaced for a new version). */
const mskConfiguration: RetentionReader = (rc) => {
  const before = serverProperties(rc.change.before);
  const after = serverProperties(rc.change.after);
  if (!before || !after) return [];
  return retentionReductions(
    {
      address: rc.address,
      type: rc.type,
      subject: "cluster default (every topic without its own retention.ms / retention.bytes)",
      setting: "log.retention.ms / .minutes / .hours, log.retention.bytes",
    },
    brokerRetention(before),
    brokerRetention(after),
  );
};

/** Retention readers by resource type. Add one line per resource type that carries a retention. */
export const RETENTION_READERS: Readonly<Record<string, RetentionReader>> = {
  aws_msk_configuration: mskConfiguration,
};

/** Every retention reduction of a plan. */
export function retentionChanges(plan: ReviewPlan): RetentionChange[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === "managed" && RETENTION_READERS[rc.type] !== undefined)
    .flatMap((rc) => RETENTION_READERS[rc.type](rc, plan));
}
