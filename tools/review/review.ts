/**
 * `npm run review -- <plan.json>... [--out FILE] [--allow-destroy] [--allow-apply-failure] [--today DATE]`:
 * one Markdown report for the plans of several environments (`terraform show -json` output). Changes MSK
 * will refuse at apply come first, then data loss (stateful resources deleted or replaced, prevent_destroy
 * refusals, retention cut), then every other delete or replacement grouped by kind, then per environment
 * the change counts and table, warnings, policy findings, cost and capacity.
 *
 * Exit codes: 0 nothing destructive (or --allow-destroy given); 2 usage or unreadable input;
 * 3 data loss (a stateful resource deleted or replaced, retention cut, or a plan refused by
 * prevent_destroy, which --allow-destroy does not lift); 4 a change MSK refuses at apply (unless
 * --allow-apply-failure).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { POLICY_REPORT_FILE, type PolicyReport } from "../../stacks/policy/report";
import { CLIENT_VPC_TAG, clientStackName } from "../../stacks/stack-names";
import { SYNTH_WARNINGS_FILE, type SynthWarningsReport } from "../../stacks/synth-warnings";
import { todayUtc, upgradePath, versionLifecycle } from "../../stacks/validation/kafka-versions";
import { type ApplyFailure, applyFailures } from "./apply-failures";
import { type ClusterCapacity, plannedCapacity, priorCapacity } from "./capacity";
import { type CostComparison, compareCost, estimateCost } from "./cost";
import { disruptionOf } from "./disruption";
import {
  configReferences,
  displayName,
  type FullResourceChange,
  isUnknownAt,
  type PathStep,
  plannedManagedResources,
  priorResources,
  providerSetting,
  type ReviewPlan,
  renderPath,
  valueAt,
} from "./plan-json";
import { loadRefusal, type PlanRefusal } from "./prevent-destroy";
import { retentionChanges } from "./retention";
import { renderReport } from "./review-markdown";
import { STATEFUL_TYPES } from "./stateful";
import { reviewTopics, type TopicReview, topicDataLoss } from "./topics";

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_DESTRUCTIVE = 3;
export const EXIT_APPLY_FAILS = 4;

export { REVIEW_MARKER, renderReport } from "./review-markdown";

/** Unusable arguments or input files: exit code 2. */
export class ReviewInputError extends Error {}

export type Action = "create" | "update" | "replace" | "delete" | "forget" | "read" | "no-op";

/** One changed resource. */
export interface ChangeRow {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** "create-before-destroy" or "destroy-before-create" for replacements. */
  readonly order?: string;
  readonly name?: string;
  /** Rendered attribute changes, e.g. "`number_of_broker_nodes`: 3 -> 6". */
  readonly details: readonly string[];
}

/** An attribute that forces a replacement, with its values. */
export interface ForcedPath {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

/**
 * A change that loses data (destructive: a stateful resource deleted or replaced, or a retention cut in
 * place) or interrupts service (disruptive: any other delete or replacement).
 */
export interface RiskyChange {
  readonly environment: string;
  readonly address: string;
  readonly type: string;
  readonly what: string;
  /** "update" for in-place changes that lose data (a retention cut of the cluster or a topic). */
  readonly action: "replace" | "delete" | "update";
  readonly name?: string;
  readonly forcedBy: readonly ForcedPath[];
  readonly reason?: string;
  readonly consequence: string;
  readonly hint?: string;
  /** Disruptive changes: the group heading (resource kind). */
  readonly kind?: string;
  /** Terraform refused to plan it (lifecycle.prevent_destroy); the entry comes from an unprotected plan. */
  readonly refused?: boolean;
}

/** Something the review says besides the changes: from synth (synth-warnings.json) or from the plan. */
export interface ReviewWarning {
  readonly code: string;
  /** Where it comes from: the environment file and field, or a plan address. */
  readonly where: string;
  readonly message: string;
}

export type PolicyStatus =
  | { readonly state: "missing"; readonly expectedPath: string }
  | { readonly state: "invalid"; readonly path: string; readonly error: string }
  | { readonly state: "loaded"; readonly path: string; readonly report: PolicyReport };

export interface Counts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
}

export interface EnvironmentReview {
  readonly environment: string;
  readonly file: string;
  readonly region?: string;
  readonly terraformVersion?: string;
  readonly counts: Counts;
  readonly changes: readonly ChangeRow[];
  readonly destructive: readonly RiskyChange[];
  readonly disruptive: readonly RiskyChange[];
  /** Changes MSK will refuse at apply. */
  readonly applyFailures: readonly ApplyFailure[];
  /** Set when Terraform refused the plan because of prevent_destroy (plan-refusal.json next to it). */
  readonly refusal?: PlanRefusal;
  readonly warnings: readonly ReviewWarning[];
  /** True when synth-warnings.json was found next to the plan. */
  readonly synthWarningsRead: boolean;
  readonly policy: PolicyStatus;
  readonly cost: CostComparison;
  readonly capacity: {
    readonly prior: readonly ClusterCapacity[];
    readonly planned: readonly ClusterCapacity[];
    /** Clusters the plan replaces: their planned capacity is a new, empty cluster. */
    readonly replaced: readonly string[];
  };
  /** Topic changes, per topic manager (tools/review/topics.ts). */
  readonly topics: readonly TopicReview[];
}

/** A plan file read from disk, with the environment it belongs to. */
export interface LoadedPlan {
  readonly file: string;
  readonly plan: ReviewPlan;
  readonly environment: string;
}

/** Reads and checks one `terraform show -json` file. */
export function loadPlanFile(file: string): LoadedPlan {
  if (!existsSync(file)) throw new ReviewInputError(`${file}: no such file`);
  let plan: ReviewPlan;
  try {
    plan = JSON.parse(readFileSync(file, "utf8")) as ReviewPlan;
  } catch (error) {
    throw new ReviewInputError(`${file}: not JSON (${(error as Error).message})`);
  }
  if (typeof plan !== "object" || plan === null || typeof plan.format_version !== "string") {
    throw new ReviewInputError(`${file}: not a plan in \`terraform show -json\` form (no format_version)`);
  }
  if (!("planned_values" in plan) && !("resource_changes" in plan)) {
    throw new ReviewInputError(
      `${file}: a state, not a plan (run \`terraform show -json <planfile>\`, not \`terraform show -json\`)`,
    );
  }
  if (plan.errored) throw new ReviewInputError(`${file}: the plan errored; fix the plan first`);
  return { file, plan, environment: environmentOf(file, plan) };
}

/**
 * The stack of a plan: the stack folder (`.../stacks/<stack>/plan.json`), else the provider's default
 * `environment` tag (with the `client-vpc` tag, a client stack `<env>-client-<name>`), else the file's
 * folder name.
 */
export function environmentOf(file: string, plan: ReviewPlan): string {
  const folder = basename(dirname(file));
  if (basename(dirname(dirname(file))) === "stacks") return folder;
  const tags = providerSetting(plan, ["default_tags", 0, "tags"]) as Record<string, string> | undefined;
  if (tags?.environment && tags[CLIENT_VPC_TAG])
    return clientStackName(tags.environment, tags[CLIENT_VPC_TAG]);
  if (tags?.environment) return tags.environment;
  return folder === "." || folder === "" ? basename(file, ".json") : folder;
}

function actionOf(actions: readonly string[]): Action {
  if (actions.includes("create") && actions.includes("delete")) return "replace";
  if (actions.includes("delete")) return "delete";
  if (actions.includes("create")) return "create";
  if (actions.includes("update")) return "update";
  if (actions.includes("forget")) return "forget";
  if (actions.includes("read")) return "read";
  return "no-op";
}

const REASONS: Readonly<Record<string, string>> = {
  replace_because_cannot_update: "an attribute that cannot change in place (ForceNew) changed",
  replace_because_tainted: "the resource is tainted",
  replace_by_request: "replacement was requested (-replace)",
  replace_by_triggers: "replace_triggered_by fired",
  delete_because_no_resource_config:
    "it is no longer in the configuration (removed, or its construct id and so its address changed)",
  delete_because_no_module: "its module is no longer in the configuration",
  delete_because_wrong_repetition: "count/for_each was added or removed",
  delete_because_count_index: "its count index is out of range",
  delete_because_each_key: "its for_each key is gone",
  delete_because_no_move_target: "a moved block points at a missing target",
};

/** Short JSON rendering of a value; long values keep both ends, where ARNs and ids differ. */
function show(value: unknown, unknown = false, max = 90): string {
  if (unknown) return "(known after apply)";
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  if (text.length <= max) return text;
  const head = Math.ceil((max - 3) / 2);
  return `${text.slice(0, head)}...${text.slice(text.length - (max - 3 - head))}`;
}

function forcedPaths(rc: FullResourceChange): ForcedPath[] {
  return (rc.change.replace_paths ?? []).map((path) => ({
    path: renderPath(path as readonly PathStep[]),
    before: show(valueAt(rc.change.before, path as readonly PathStep[])),
    after: show(
      valueAt(rc.change.after, path as readonly PathStep[]),
      isUnknownAt(rc.change.after_unknown, path as readonly PathStep[]),
    ),
  }));
}

/** Leaf paths where before and after differ (or after is unknown), deepest first found. */
function changedLeaves(
  before: unknown,
  after: unknown,
  unknown: unknown,
  path: PathStep[] = [],
): PathStep[][] {
  if (unknown === true) return before === undefined || before === null ? [] : [path];
  const isContainer = (v: unknown) => typeof v === "object" && v !== null;
  if (isContainer(after) || isContainer(unknown)) {
    const keys = new Set<string | number>();
    for (const source of [before, after, unknown]) {
      if (Array.isArray(source)) for (let i = 0; i < source.length; i++) keys.add(i);
      else if (isContainer(source)) for (const k of Object.keys(source as object)) keys.add(k);
    }
    if (
      Array.isArray(after) &&
      Array.isArray(before) &&
      after.length !== before.length &&
      !isContainer(unknown)
    ) {
      return [path];
    }
    return [...keys].flatMap((k) =>
      changedLeaves(valueAt(before, [k]), valueAt(after, [k]), valueAt(unknown, [k]), [...path, k]),
    );
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path];
}

function updateDetails(rc: FullResourceChange): string[] {
  const leaves = changedLeaves(rc.change.before, rc.change.after, rc.change.after_unknown).filter(
    (p) => p[0] !== "tags_all",
  );
  const known = leaves.filter((p) => !isUnknownAt(rc.change.after_unknown, p));
  const computed = leaves.length - known.length;
  const details = known
    .slice(0, 4)
    .map(
      (p) =>
        `\`${renderPath(p)}\`: ${show(valueAt(rc.change.before, p))} -> ${show(valueAt(rc.change.after, p))}`,
    );
  if (known.length > 4) details.push(`${known.length - 4} more attribute changes`);
  if (computed > 0) details.push(`${computed} value${computed === 1 ? "" : "s"} known after apply`);
  return details;
}

/** True when a cluster that survives the plan still points at this configuration's ARN. */
function configurationInUse(plan: ReviewPlan, rc: FullResourceChange): boolean {
  const arn = rc.change.before?.arn;
  if (typeof arn !== "string") return false;
  return (plan.resource_changes ?? []).some(
    (c) =>
      c.type === "aws_msk_cluster" &&
      c.change.after !== null &&
      valueAt(c.change.after, ["configuration_info", 0, "arn"]) === arn,
  );
}

/** For a deleted resource, a created one of the same type and name: the signature of a renamed construct. */
function renameHint(plan: ReviewPlan, rc: FullResourceChange): string | undefined {
  const name = displayName(rc.change.before);
  if (!name) return undefined;
  const twin = (plan.resource_changes ?? []).find(
    (c) =>
      c.type === rc.type &&
      c.address !== rc.address &&
      actionOf(c.change.actions) === "create" &&
      displayName(c.change.after) === name,
  );
  return twin
    ? `\`${twin.address}\` with the same name is created in the same plan: this looks like a renamed ` +
        `construct. Restore the construct id, or add a \`moved\` block from \`${rc.address}\` to ` +
        `\`${twin.address}\`, to keep the resource and its data.`
    : undefined;
}

function riskyChanges(
  loaded: LoadedPlan,
  refusal: PlanRefusal | undefined,
): { destructive: RiskyChange[]; disruptive: RiskyChange[] } {
  const destructive: RiskyChange[] = [];
  const disruptive: RiskyChange[] = [];
  const changes = loaded.plan.resource_changes ?? [];
  const groups = priorResources(loaded.plan).filter((r) => r.type === "aws_security_group");
  const created = changes
    .filter((c) => c.mode === "managed" && actionOf(c.change.actions) === "create")
    .map((c) => ({ type: c.type, address: c.address, after: c.change.after ?? {} }));
  for (const rc of changes) {
    if (rc.mode !== "managed") continue;
    const action = actionOf(rc.change.actions);
    if (action !== "replace" && action !== "delete") continue;
    const refused = refusal?.refused.includes(rc.address) === true;
    const base = {
      environment: loaded.environment,
      address: rc.address,
      type: rc.type,
      action,
      name: displayName(rc.change.before),
      forcedBy: forcedPaths(rc),
      reason: refused
        ? "Terraform refused to plan this: lifecycle.prevent_destroy protects it (shown from a second plan without that protection)"
        : rc.action_reason
          ? (REASONS[rc.action_reason] ?? rc.action_reason)
          : undefined,
      hint: action === "delete" ? renameHint(loaded.plan, rc) : undefined,
      refused: refused || undefined,
    } as const;
    const known = STATEFUL_TYPES[rc.type];
    const stateful = known?.holdsData?.(rc.change.before ?? {}) === false ? undefined : known;
    if (refused || (stateful && (!stateful.onlyWhileInUse || configurationInUse(loaded.plan, rc)))) {
      destructive.push({
        ...base,
        what: stateful?.what ?? rc.type,
        consequence: stateful?.lost(rc.change.before ?? {}) ?? "the resource and what it holds",
      });
    } else {
      const disruption =
        stateful?.onlyWhileInUse === true
          ? {
              kind: "MSK configurations (not in use)",
              effect: "no cluster uses it after this plan, so only its revision history goes",
            }
          : disruptionOf(rc.type, action, rc.change.before ?? {}, {
              destroyFirst: rc.change.actions[0] === "delete",
              groups,
              created,
            });
      disruptive.push({ ...base, what: rc.type, kind: disruption.kind, consequence: disruption.effect });
    }
  }
  for (const cut of retentionChanges(loaded.plan)) {
    destructive.push({
      environment: loaded.environment,
      address: cut.address,
      type: cut.type,
      what: `Retention cut (${cut.limit})`,
      action: "update",
      name: displayName(changes.find((c) => c.address === cut.address)?.change.after),
      forcedBy: [],
      reason: `${cut.subject}: ${cut.limit === "time" ? "kept" : "capped at"} ${cut.before} -> ${cut.after}`,
      consequence:
        cut.limit === "time"
          ? `every record older than ${cut.after} is deleted by the brokers within minutes of the apply (it is kept ${cut.before} today)`
          : `every partition is trimmed to ${cut.after} within minutes of the apply (today ${cut.before})`,
    });
  }
  return { destructive, disruptive };
}

const ACTION_ORDER: readonly Action[] = ["delete", "replace", "update", "create", "forget", "read", "no-op"];

function changeRows(plan: ReviewPlan): ChangeRow[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === "managed")
    .map((rc) => {
      const action = actionOf(rc.change.actions);
      const order =
        action === "replace"
          ? rc.change.actions[0] === "create"
            ? "create-before-destroy"
            : "destroy-before-create"
          : undefined;
      const details =
        action === "update"
          ? updateDetails(rc)
          : action === "replace"
            ? forcedPaths(rc).map((f) => `forced by \`${f.path}\`: ${f.before} -> ${f.after}`)
            : [];
      return {
        address: rc.address,
        type: rc.type,
        action,
        order,
        name: displayName(rc.change.after ?? rc.change.before),
        details,
      };
    })
    .filter((row) => row.action !== "no-op" && row.action !== "read")
    .sort(
      (a, b) =>
        ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) || a.address.localeCompare(b.address),
    );
}

function loadPolicy(loaded: LoadedPlan): PolicyStatus {
  const path = join(dirname(loaded.file), POLICY_REPORT_FILE);
  if (!existsSync(path)) return { state: "missing", expectedPath: path };
  try {
    const report = JSON.parse(readFileSync(path, "utf8")) as PolicyReport;
    if (!Array.isArray(report.findings) || !Array.isArray(report.rulesEvaluated))
      return { state: "invalid", path, error: "no findings/rulesEvaluated arrays" };
    return { state: "loaded", path, report };
  } catch (error) {
    return { state: "invalid", path, error: (error as Error).message };
  }
}

/** Cluster address -> storage autoscaling ceiling, following the scalable target's reference. */
function autoscalingByCluster(plan: ReviewPlan): Map<string, number> {
  const ceilings = new Map<string, number>();
  for (const target of plannedManagedResources(plan)) {
    if (target.type !== "aws_appautoscaling_target" || target.values.service_namespace !== "kafka") continue;
    if (typeof target.values.max_capacity !== "number") continue;
    for (const cluster of configReferences(plan, target.address, ["resource_id"]))
      ceilings.set(cluster, target.values.max_capacity);
  }
  return ceilings;
}

/** Warnings synth wrote next to the plan (synth-warnings.json), and whether the file was there. */
function loadSynthWarnings(loaded: LoadedPlan): { read: boolean; warnings: ReviewWarning[] } {
  const path = join(dirname(loaded.file), SYNTH_WARNINGS_FILE);
  if (!existsSync(path)) return { read: false, warnings: [] };
  try {
    const report = JSON.parse(readFileSync(path, "utf8")) as SynthWarningsReport;
    return {
      read: true,
      warnings: (report.warnings ?? [])
        // The review dates the planned version itself (below), with its own today.
        .filter((w) => w.code !== "kafka-version-end-of-support")
        .map((w) => ({ code: w.code, where: `${report.file}: ${w.path}`, message: w.message })),
    };
  } catch {
    return { read: false, warnings: [] };
  }
}

/** End of support of the Kafka version every planned cluster will run, on `today`. */
function versionWarnings(plan: ReviewPlan, today: string): ReviewWarning[] {
  return plannedManagedResources(plan).flatMap((r): ReviewWarning[] => {
    if (r.type !== "aws_msk_cluster" || typeof r.values.kafka_version !== "string") return [];
    const version = r.values.kafka_version;
    const kind = String(valueAt(r.values, ["broker_node_group_info", 0, "instance_type"]) ?? "").startsWith(
      "express.",
    )
      ? "express"
      : "standard";
    const lifecycle = versionLifecycle(version, today);
    if (lifecycle.state === "ended" || lifecycle.state === "ending") {
      const when =
        lifecycle.state === "ended"
          ? `reached end of support on ${lifecycle.endOfSupport}`
          : `reaches end of support on ${lifecycle.endOfSupport}, in ${lifecycle.days} days`;
      return [
        {
          code: "kafka-version-end-of-support",
          where: `\`${r.address}\``,
          message: `Kafka ${version} ${when}: ${upgradePath(version, kind)}`,
        },
      ];
    }
    return [];
  });
}

/** Inputs of a review beyond the plan. */
export interface ReviewContext {
  /** The date end-of-support checks use, YYYY-MM-DD. @default today (UTC) */
  readonly today?: string;
}

/** Everything the report says about one plan. */
/** Subnets each planned interface endpoint names in its configuration (their ids are unknown until apply). */
function endpointSubnetCounts(plan: ReviewPlan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== "aws_vpc_endpoint") continue;
    const subnets = configReferences(plan, rc.address, ["subnet_ids"]).filter((a) =>
      a.startsWith("aws_subnet."),
    );
    if (subnets.length > 0) counts.set(rc.address, subnets.length);
  }
  return counts;
}

export function reviewPlan(loaded: LoadedPlan, context: ReviewContext = {}): EnvironmentReview {
  const { plan } = loaded;
  const changes = changeRows(plan);
  const count = (action: Action) => changes.filter((c) => c.action === action).length;
  const refusal = loadRefusal(dirname(loaded.file));
  const { destructive, disruptive } = riskyChanges(loaded, refusal);
  const synth = loadSynthWarnings(loaded);
  const topics = reviewTopics(plan);
  for (const loss of topicDataLoss(topics)) {
    destructive.push({
      environment: loaded.environment,
      address: loss.address,
      type: "aws_lambda_invocation",
      what: "Kafka topic",
      action: loss.action,
      name: loss.topic,
      forcedBy: [],
      reason: loss.reason && `retired: ${loss.reason}`,
      consequence: loss.consequence,
    });
  }
  return {
    environment: loaded.environment,
    file: loaded.file,
    region: providerSetting(plan, ["region"]) as string | undefined,
    terraformVersion: plan.terraform_version,
    counts: {
      create: count("create"),
      update: count("update"),
      replace: count("replace"),
      delete: count("delete"),
    },
    changes,
    destructive,
    disruptive,
    applyFailures: applyFailures(plan, loaded.environment),
    refusal,
    warnings: [...versionWarnings(plan, context.today ?? todayUtc()), ...synth.warnings],
    synthWarningsRead: synth.read,
    policy: loadPolicy(loaded),
    cost: compareCost(
      estimateCost(priorResources(plan)),
      estimateCost(plannedManagedResources(plan), autoscalingByCluster(plan), endpointSubnetCounts(plan)),
    ),
    capacity: {
      prior: priorCapacity(plan),
      planned: plannedCapacity(plan),
      replaced: (plan.resource_changes ?? [])
        .filter(
          (c) =>
            (c.type === "aws_msk_cluster" || c.type === "aws_msk_serverless_cluster") &&
            actionOf(c.change.actions) === "replace",
        )
        .map((c) => c.address),
    },
    topics,
  };
}

/**
 * 3 when data would be lost and that is not allowed (a prevent_destroy refusal is never allowed: only a
 * reviewed code change lifts it); else 4 when a change MSK refuses at apply is planned and not
 * acknowledged; else 0. Data loss outranks a failing apply: allowing one never hides the other.
 */
export function exitCodeOf(
  reviews: readonly EnvironmentReview[],
  allowDestroy: boolean,
  allowApplyFailure = false,
): number {
  const refused = reviews.some((r) => r.destructive.some((d) => d.refused));
  const destructive = reviews.some((r) => r.destructive.length > 0);
  if (refused || (destructive && !allowDestroy)) return EXIT_DESTRUCTIVE;
  if (!allowApplyFailure && reviews.some((r) => r.applyFailures.length > 0)) return EXIT_APPLY_FAILS;
  return EXIT_OK;
}

const USAGE = `usage: npm run review -- <plan.json>... [--out FILE] [--allow-destroy] [--allow-apply-failure] [--today YYYY-MM-DD]

Reviews plans in \`terraform show -json\` form, one per environment (the environment is the stack
folder, cdktf.out/stacks/<env>/plan.json, or the provider's default "environment" tag).
Prints Markdown to stdout; --out also writes it to FILE. --today dates the end-of-support checks.

exit 0  nothing destructive (or --allow-destroy)
exit 2  usage error or unreadable plan
exit 3  data loss: a stateful resource (MSK cluster, configuration in use, S3 bucket, KMS key, log
        group, Secrets Manager secret) deleted or replaced, a topic retired, or a retention cut (cluster
        or topic); also a plan Terraform refused because of prevent_destroy (--allow-destroy does not
        lift that)
exit 4  a change MSK refuses at apply, e.g. a ZooKeeper <-> KRaft switch (--allow-apply-failure
        acknowledges it)`;

export interface ReviewOptions {
  readonly files: readonly string[];
  readonly out?: string;
  readonly allowDestroy: boolean;
  /** Acknowledge changes MSK refuses at apply: they are still reported first. @default false */
  readonly allowApplyFailure?: boolean;
  /** The date end-of-support checks use, YYYY-MM-DD. @default today (UTC) */
  readonly today?: string;
}

export function parseReviewArgs(args: readonly string[]): ReviewOptions | "help" {
  const files: string[] = [];
  let out: string | undefined;
  let today: string | undefined;
  let allowDestroy = false;
  let allowApplyFailure = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--allow-destroy") allowDestroy = true;
    else if (arg === "--allow-apply-failure") allowApplyFailure = true;
    else if (arg === "--today") {
      today = args[++i];
      if (!today || !/^\d{4}-\d{2}-\d{2}$/.test(today))
        throw new ReviewInputError("--today needs a date, YYYY-MM-DD");
    } else if (arg === "--out") {
      out = args[++i];
      if (!out) throw new ReviewInputError("--out needs a file name");
    } else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else if (arg.startsWith("-")) throw new ReviewInputError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new ReviewInputError("no plan files given");
  return {
    files,
    out,
    allowDestroy,
    ...(allowApplyFailure ? { allowApplyFailure } : {}),
    ...(today ? { today } : {}),
  };
}

/** Reviews plan files; returns the report and the exit code. */
export function review(options: ReviewOptions): {
  markdown: string;
  exitCode: number;
  reviews: EnvironmentReview[];
} {
  const reviews = options.files.map((file) => reviewPlan(loadPlanFile(file), { today: options.today }));
  const markdown = renderReport(reviews, options.allowDestroy, options.allowApplyFailure ?? false);
  return {
    markdown,
    exitCode: exitCodeOf(reviews, options.allowDestroy, options.allowApplyFailure ?? false),
    reviews,
  };
}

/** CLI entry point; returns the exit code. */
export function main(args: readonly string[]): number {
  try {
    const options = parseReviewArgs(args);
    if (options === "help") {
      process.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    }
    const result = review(options);
    process.stdout.write(result.markdown);
    if (options.out) writeFileSync(options.out, result.markdown);
    const destructive = result.reviews.reduce((n, r) => n + r.destructive.length, 0);
    const failing = result.reviews.reduce((n, r) => n + r.applyFailures.length, 0);
    process.stderr.write(
      `review: ${failing > 0 ? `${failing} change${failing === 1 ? "" : "s"} MSK refuses at apply${options.allowApplyFailure ? " (acknowledged by --allow-apply-failure)" : ""}; ` : ""}` +
        `${destructive} destructive change${destructive === 1 ? "" : "s"} (data loss)` +
        `${destructive > 0 && options.allowDestroy ? " (allowed by --allow-destroy)" : ""}; exit ${result.exitCode}\n`,
    );
    return result.exitCode;
  } catch (error) {
    if (error instanceof ReviewInputError) {
      process.stderr.write(`review: ${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
