/**
 * The reconcile decision, as a pure function: from the declared topics, what the cluster holds and what
 * was declared before, the operations to run, the problems that stop the deploy before anything changes,
 * and notes for the log. No AWS call happens here.
 */
import type { DesiredTopic, RetiredTopic } from "./contract";

/** A topic as DescribeTopic reports it, configs decoded (broker defaults included). */
export interface ActualTopic {
  readonly name: string;
  readonly partitionCount: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
  readonly status: "CREATING" | "UPDATING" | "DELETING" | "ACTIVE";
}

export interface ConfigChange {
  readonly key: string;
  /** Current value; undefined when the cluster reports none. */
  readonly from?: string;
  readonly to: string;
}

export type TopicOperation =
  | { readonly kind: "create"; readonly topic: DesiredTopic }
  | { readonly kind: "add-partitions"; readonly name: string; readonly from: number; readonly to: number }
  | {
      readonly kind: "update-configs";
      readonly name: string;
      /** The topic's complete declared configs, as UpdateTopic receives them. */
      readonly configs: Readonly<Record<string, string>>;
      readonly changes: readonly ConfigChange[];
    }
  | { readonly kind: "delete"; readonly name: string; readonly reason: string };

export interface ReconcilePlan {
  readonly operations: readonly TopicOperation[];
  /** Changes the topic API cannot make: the deploy fails with these and changes nothing. */
  readonly problems: readonly string[];
  /** What stays as it is, and why (unchanged, released from management, already deleted). */
  readonly notes: readonly string[];
}

/** The declared state, now or before. */
export interface DeclaredState {
  readonly topics: readonly DesiredTopic[];
  readonly retired: readonly RetiredTopic[];
}

/** Values Kafka reports in another but equivalent form: list configs in any order. */
function normalise(key: string, value: string): string {
  return key === "cleanup.policy"
    ? value
        .split(",")
        .map((s) => s.trim())
        .sort()
        .join(",")
    : value;
}

function configChanges(desired: DesiredTopic, actual: ActualTopic): ConfigChange[] {
  return Object.keys(desired.configs)
    .sort()
    .flatMap((key) => {
      const to = desired.configs[key];
      const from = actual.configs[key];
      return from !== undefined && normalise(key, from) === normalise(key, to) ? [] : [{ key, from, to }];
    });
}

/**
 * Decides what to do. `actual` holds every declared and retired name: the topic, or undefined when the
 * cluster has none. `previous` is the declaration of the last successful deploy (undefined on the first).
 */
export function planReconcile(
  declared: DeclaredState,
  actual: ReadonlyMap<string, ActualTopic | undefined>,
  previous?: DeclaredState,
): ReconcilePlan {
  const operations: TopicOperation[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const names = declared.topics.map((t) => t.name);
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i)))
    problems.push(`${name}: declared more than once`);
  for (const retired of declared.retired.filter((r) => names.includes(r.name)))
    problems.push(`${retired.name}: both declared and retired; keep one`);
  if (problems.length > 0) return { operations: [], problems, notes };

  for (const topic of declared.topics) {
    const current = actual.get(topic.name);
    if (current === undefined) {
      operations.push({ kind: "create", topic });
      continue;
    }
    if (current.status === "DELETING") {
      problems.push(`${topic.name}: the cluster is still deleting it; deploy again once it is gone`);
      continue;
    }
    if (current.replicationFactor !== topic.replicationFactor) {
      problems.push(
        `${topic.name}: replication factor is ${current.replicationFactor} on the cluster and ${topic.replicationFactor} in the declaration; ` +
          "the MSK topic API cannot change it (it has no partition reassignment): declare " +
          `${current.replicationFactor}, or retire the topic and declare a new one`,
      );
    }
    if (topic.partitions < current.partitionCount) {
      problems.push(
        `${topic.name}: partitions cannot go from ${current.partitionCount} down to ${topic.partitions} ` +
          `(Kafka partitions only grow): declare ${current.partitionCount} or more, or retire the topic and declare a new one`,
      );
    } else if (topic.partitions > current.partitionCount) {
      operations.push({
        kind: "add-partitions",
        name: topic.name,
        from: current.partitionCount,
        to: topic.partitions,
      });
    }
    const changes = configChanges(topic, current);
    if (changes.length > 0)
      operations.push({ kind: "update-configs", name: topic.name, configs: topic.configs, changes });
    if (
      topic.partitions === current.partitionCount &&
      changes.length === 0 &&
      current.replicationFactor === topic.replicationFactor
    )
      notes.push(`${topic.name}: unchanged`);
  }

  for (const retired of declared.retired) {
    const current = actual.get(retired.name);
    if (current === undefined) notes.push(`${retired.name}: retired and already absent`);
    else if (current.status === "DELETING") notes.push(`${retired.name}: retired, deletion in progress`);
    else operations.push({ kind: "delete", name: retired.name, reason: retired.reason });
  }

  if (previous !== undefined) {
    const now = new Set([...names, ...declared.retired.map((r) => r.name)]);
    for (const before of previous.topics ?? []) {
      if (!now.has(before.name))
        notes.push(
          `${before.name}: no longer declared, left on the cluster as it is (retire it to delete it)`,
        );
    }
    for (const topic of declared.topics) {
      const earlier = previous.topics?.find((t) => t.name === topic.name);
      const released = Object.keys(earlier?.configs ?? {}).filter((key) => !(key in topic.configs));
      if (released.length > 0)
        notes.push(
          `${topic.name}: ${released.join(", ")} no longer declared; the platform stops setting ${released.length === 1 ? "it" : "them"} ` +
            "(declare the value you want to be sure of it)",
        );
    }
  }
  // No partial deploys: when anything is impossible, nothing is changed.
  return problems.length > 0 ? { operations: [], problems, notes } : { operations, problems, notes };
}

/** True when the cluster shows the declared topic (after the topic API's lag). */
export function matchesDeclaration(topic: DesiredTopic, actual: ActualTopic | undefined): boolean {
  return (
    actual !== undefined &&
    actual.status === "ACTIVE" &&
    actual.partitionCount === topic.partitions &&
    actual.replicationFactor === topic.replicationFactor &&
    configChanges(topic, actual).length === 0
  );
}
