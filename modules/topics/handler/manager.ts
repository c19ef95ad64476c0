/**
 * One reconcile of a cluster's topics: wait for the cluster to be ACTIVE, read every declared and retired
 * topic, decide (reconcile.ts), apply, then wait until the topic API shows the result (its responses lag
 * about a minute). Anything impossible fails before a single change is made.
 */
import { inputProblems, type TopicManagerEvent, type TopicManagerInput } from "./contract";
import { type ActualTopic, matchesDeclaration, planReconcile, type TopicOperation } from "./reconcile";
import type { TopicApi } from "./topic-api";

export interface ManagerOptions {
  /** Milliseconds between two reads while waiting. */
  readonly pollMs: number;
  /** Milliseconds left before the manager must give up with a message (the Lambda's remaining time). */
  readonly remainingMs: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (message: string, details?: Record<string, unknown>) => void;
}

/** What a reconcile did; the Lambda's result, stored by Terraform as the invocation's `result`. */
export interface ReconcileResult {
  readonly action: "create" | "update" | "delete" | "reconcile";
  readonly created: readonly string[];
  readonly partitionsAdded: readonly string[];
  readonly configsUpdated: readonly string[];
  readonly deleted: readonly string[];
  readonly unchanged: number;
  readonly notes: readonly string[];
}

/** An error whose message is the whole story: the deploy fails with it. */
export class TopicManagerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TopicManagerError";
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** How long before the deadline the manager stops waiting, so its own message reaches Terraform. */
const MARGIN_MS = 15_000;
/** How long an access error at the start is taken for IAM propagation of a just-created role policy. */
const IAM_PROPAGATION_MS = 120_000;
/** Parallel reads: the topic API throttles (TooManyRequestsException); the SDK retries the rest. */
const CONCURRENCY = 4;

async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY)
    results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(run))));
  return results;
}

const describeName = (op: TopicOperation): string => (op.kind === "create" ? op.topic.name : op.name);

/** The cluster's ARN once it is ACTIVE (the topic API refuses other states). */
async function waitForCluster(
  api: TopicApi,
  input: TopicManagerInput,
  options: ManagerOptions,
): Promise<string> {
  const sleep = options.sleep ?? defaultSleep;
  const started = options.remainingMs();
  for (;;) {
    let cluster: Awaited<ReturnType<TopicApi["findCluster"]>>;
    try {
      cluster = await api.findCluster(input.clusterName);
    } catch (error) {
      // A role policy created in the same apply can take a little while to reach IAM's edge.
      const name = (error as { name?: string }).name ?? "";
      if (
        !/AccessDenied|Forbidden|Unauthorized/.test(name) ||
        started - options.remainingMs() > IAM_PROPAGATION_MS
      )
        throw error;
      options.log?.("waiting for the role's permissions to propagate", { error: name });
      await sleep(options.pollMs);
      continue;
    }
    if (cluster === undefined)
      throw new TopicManagerError(
        `no MSK cluster named ${input.clusterName} in this account and region; no topic was changed`,
      );
    if (cluster.type !== "PROVISIONED")
      throw new TopicManagerError(
        `${input.clusterName} is a ${cluster.type} cluster: the MSK topic API exists only for provisioned clusters`,
      );
    if (cluster.state === "ACTIVE") return cluster.arn;
    if (options.remainingMs() < MARGIN_MS + options.pollMs)
      throw new TopicManagerError(
        `the cluster ${input.clusterName} is ${cluster.state}, and the MSK topic API needs it ACTIVE; no topic was changed. ` +
          "Deploy again once the cluster is ACTIVE (aws kafka describe-cluster-v2 shows its state).",
      );
    options.log?.("waiting for the cluster to be ACTIVE", { state: cluster.state });
    await sleep(options.pollMs);
  }
}

/** Polls until every changed topic shows its declared state (or is gone), or the time is up. */
async function waitUntilVisible(
  api: TopicApi,
  clusterArn: string,
  input: TopicManagerInput,
  operations: readonly TopicOperation[],
  options: ManagerOptions,
): Promise<void> {
  const sleep = options.sleep ?? defaultSleep;
  let pending = [...new Set(operations.map(describeName))];
  const last = new Map<string, ActualTopic | undefined>();
  while (pending.length > 0) {
    const seen = await inBatches(pending, (name) => api.describeTopic(clusterArn, name));
    pending = pending.filter((name, i) => {
      last.set(name, seen[i]);
      const desired = input.topics.find((t) => t.name === name);
      return desired ? !matchesDeclaration(desired, seen[i]) : seen[i] !== undefined;
    });
    if (pending.length === 0) return;
    if (options.remainingMs() < MARGIN_MS + options.pollMs) {
      const state = pending.map((name) => {
        const topic = last.get(name);
        return topic
          ? `${name} (${topic.status}, ${topic.partitionCount} partitions)`
          : `${name} (not visible yet)`;
      });
      throw new TopicManagerError(
        `the changes were made but the MSK topic API does not show them yet for ${state.join(", ")}; ` +
          "its responses lag about a minute. Deploy again (terraform apply -replace=<the topic manager's " +
          "aws_lambda_invocation>) to check and finish: the reconcile is idempotent.",
      );
    }
    options.log?.("waiting for the topic API to show the changes", { pending });
    await sleep(options.pollMs);
  }
}

/** Reconciles one cluster's topics with the declaration in `event`. */
export async function reconcileTopics(
  api: TopicApi,
  event: TopicManagerEvent,
  options: ManagerOptions,
): Promise<ReconcileResult> {
  const problems = inputProblems(event);
  if (problems.length > 0) throw new TopicManagerError(`invalid input: ${problems.join("; ")}`);
  const empty = { created: [], partitionsAdded: [], configsUpdated: [], deleted: [], unchanged: 0 };
  if (event.tf?.action === "delete") {
    // Removing the topic manager (or the whole stack) never deletes topics: only `retired` does.
    return {
      action: "delete",
      ...empty,
      notes: ["the topic manager was removed; topics are left on the cluster as they are"],
    };
  }
  const clusterArn = await waitForCluster(api, event, options);
  const names = [...event.topics.map((t) => t.name), ...event.retired.map((r) => r.name)];
  const actual = await inBatches(names, (name) => api.describeTopic(clusterArn, name));
  const previous = event.tf?.prev_input ?? undefined;
  const plan = planReconcile(
    event,
    new Map(names.map((name, i) => [name, actual[i]])),
    previous
      ? {
          topics: Array.isArray(previous.topics) ? previous.topics : [],
          retired: Array.isArray(previous.retired) ? previous.retired : [],
        }
      : undefined,
  );
  if (plan.problems.length > 0)
    throw new TopicManagerError(`no topic was changed: ${plan.problems.join("; ")}`);

  const done: string[] = [];
  for (const op of plan.operations) {
    options.log?.("applying", { operation: op.kind, topic: describeName(op) });
    try {
      if (op.kind === "create") await api.createTopic(clusterArn, op.topic);
      else if (op.kind === "add-partitions") await api.addPartitions(clusterArn, op.name, op.to);
      else if (op.kind === "update-configs") await api.updateConfigs(clusterArn, op.name, op.configs);
      else await api.deleteTopic(clusterArn, op.name);
    } catch (error) {
      const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new TopicManagerError(
        `${op.kind} ${describeName(op)} failed (${cause}); ${done.length > 0 ? `already applied: ${done.join(", ")}` : "nothing was changed"}. ` +
          "Fix the cause, then run terraform apply -replace=<the topic manager's aws_lambda_invocation>: the reconcile is idempotent.",
      );
    }
    done.push(`${op.kind} ${describeName(op)}`);
  }
  await waitUntilVisible(api, clusterArn, event, plan.operations, options);
  const of = (kind: TopicOperation["kind"]) =>
    plan.operations.filter((op) => op.kind === kind).map(describeName);
  return {
    action: event.tf?.action ?? "reconcile",
    created: of("create"),
    partitionsAdded: of("add-partitions"),
    configsUpdated: of("update-configs"),
    deleted: of("delete"),
    unchanged: plan.notes.filter((n) => n.endsWith(": unchanged")).length,
    notes: plan.notes.filter((n) => !n.endsWith(": unchanged")),
  };
}
