/**
 * `npm run review -- <plan.json>... [--out FILE] [--allow-destroy]`: one Markdown report for the plans of
 * several environments (`terraform show -json` output). Destructive changes to stateful resources come
 * first, then per environment the change counts and table, policy findings, cost and capacity.
 *
 * Exit codes: 0 nothing destructive (or --allow-destroy given); 2 usage or unreadable input;
 * 3 a stateful resource would be deleted or replaced.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { POLICY_REPORT_FILE, type PolicyReport } from "../stacks/policy/report";
import { type ClusterCapacity, type ProvisionedCapacity, plannedCapacity, priorCapacity } from "./capacity";
import { type CostComparison, compareCost, estimateCost } from "./cost";
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
import { PRICE_TABLE } from "./prices";
import { DISRUPTIVE_TYPES, STATEFUL_TYPES } from "./stateful";

/** Hidden first line of every report: the workflow finds its own PR comment by it. */
export const REVIEW_MARKER = "<!-- msk-platform-plan-review -->";

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_DESTRUCTIVE = 3;

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

/** A delete or replacement that loses data (destructive) or interrupts service (disruptive). */
export interface RiskyChange {
  readonly environment: string;
  readonly address: string;
  readonly type: string;
  readonly what: string;
  readonly action: "replace" | "delete";
  readonly name?: string;
  readonly forcedBy: readonly ForcedPath[];
  readonly reason?: string;
  readonly consequence: string;
  readonly hint?: string;
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
  readonly policy: PolicyStatus;
  readonly cost: CostComparison;
  readonly capacity: {
    readonly prior: readonly ClusterCapacity[];
    readonly planned: readonly ClusterCapacity[];
  };
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
 * The environment of a plan: the stack folder (`.../stacks/<env>/plan.json`), else the provider's
 * default `environment` tag, else the file's folder name.
 */
export function environmentOf(file: string, plan: ReviewPlan): string {
  const folder = basename(dirname(file));
  if (basename(dirname(dirname(file))) === "stacks") return folder;
  const tags = providerSetting(plan, ["default_tags", 0, "tags"]) as Record<string, string> | undefined;
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

function riskyChanges(loaded: LoadedPlan): { destructive: RiskyChange[]; disruptive: RiskyChange[] } {
  const destructive: RiskyChange[] = [];
  const disruptive: RiskyChange[] = [];
  for (const rc of loaded.plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const action = actionOf(rc.change.actions);
    if (action !== "replace" && action !== "delete") continue;
    const base = {
      environment: loaded.environment,
      address: rc.address,
      type: rc.type,
      action,
      name: displayName(rc.change.before),
      forcedBy: forcedPaths(rc),
      reason: rc.action_reason ? (REASONS[rc.action_reason] ?? rc.action_reason) : undefined,
      hint: action === "delete" ? renameHint(loaded.plan, rc) : undefined,
    } as const;
    const stateful = STATEFUL_TYPES[rc.type];
    if (stateful && (!stateful.onlyWhileInUse || configurationInUse(loaded.plan, rc))) {
      destructive.push({ ...base, what: stateful.what, consequence: stateful.lost(rc.change.before ?? {}) });
    } else if (stateful || DISRUPTIVE_TYPES[rc.type]) {
      disruptive.push({
        ...base,
        what: rc.type,
        consequence:
          DISRUPTIVE_TYPES[rc.type] ??
          "no cluster uses it after this plan, so only its revision history goes",
      });
    }
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

/** Everything the report says about one plan. */
export function reviewPlan(loaded: LoadedPlan): EnvironmentReview {
  const { plan } = loaded;
  const changes = changeRows(plan);
  const count = (action: Action) => changes.filter((c) => c.action === action).length;
  const { destructive, disruptive } = riskyChanges(loaded);
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
    policy: loadPolicy(loaded),
    cost: compareCost(
      estimateCost(priorResources(plan)),
      estimateCost(plannedManagedResources(plan), autoscalingByCluster(plan)),
    ),
    capacity: { prior: priorCapacity(plan), planned: plannedCapacity(plan) },
  };
}

/** 0, or 3 when anything destructive is planned and not explicitly allowed. */
export function exitCodeOf(reviews: readonly EnvironmentReview[], allowDestroy: boolean): number {
  const destructive = reviews.some((r) => r.destructive.length > 0);
  return destructive && !allowDestroy ? EXIT_DESTRUCTIVE : EXIT_OK;
}

// ---- Markdown -------------------------------------------------------------------------------------

const usd = (n: number) => `${n.toFixed(2)} USD`;
const signed = (n: number) => (n > 0 ? `+${n.toFixed(2)}` : n < 0 ? `-${Math.abs(n).toFixed(2)}` : "0.00");
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const table = (header: readonly string[], rows: readonly (readonly string[])[], align?: string): string[] => [
  `| ${header.join(" | ")} |`,
  `| ${header.map((_, i) => (align?.[i] === "r" ? "---:" : "---")).join(" | ")} |`,
  ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
];

function riskyLines(changes: readonly RiskyChange[], multiEnv: boolean): string[] {
  return changes.flatMap((c) => [
    `- ${multiEnv ? `**${c.environment}**: ` : ""}**${c.action.toUpperCase()}** \`${c.address}\` ` +
      `(${c.what}${c.name ? ` \`${c.name}\`` : ""})`,
    ...c.forcedBy.map((f) => `  - forced by \`${f.path}\`: \`${f.before}\` -> \`${f.after}\``),
    ...(c.reason ? [`  - why: ${c.reason}`] : []),
    `  - ${c.what === c.type ? "effect" : "lost"}: ${c.consequence}`,
    ...(c.hint ? [`  - hint: ${c.hint}`] : []),
  ]);
}

function policyLines(status: PolicyStatus, environment: string): string[] {
  if (status.state === "missing") {
    return [
      `No policy report next to the plan (expected \`${relative(process.cwd(), status.expectedPath)}\`, ` +
        "written by `npm run synth` with the guardrails): policy findings are not part of this review.",
    ];
  }
  if (status.state === "invalid")
    return [`The policy report \`${status.path}\` could not be read: ${status.error}.`];
  const { report } = status;
  const violations = report.findings.filter((f) => f.status === "violation");
  const excepted = report.findings.filter((f) => f.status === "excepted");
  const lines = [
    `${report.rulesEvaluated.length} rules evaluated: **${violations.length} violation${violations.length === 1 ? "" : "s"}**, ` +
      `${excepted.length} declared exception${excepted.length === 1 ? "" : "s"}.`,
  ];
  if (report.environment !== environment)
    lines.push(`Note: the policy report is for \`${report.environment}\`, the plan for \`${environment}\`.`);
  if (violations.length > 0) {
    lines.push(
      "",
      ...table(
        ["rule", "mirrors", "resource", "problem", "fix"],
        violations.map((f) => [f.ruleId, f.mirrors.join(", "), `\`${f.address}\``, f.message, f.fix]),
      ),
    );
  }
  if (excepted.length > 0) {
    lines.push(
      "",
      ...table(
        ["excepted rule", "mirrors", "resource", "reason"],
        excepted.map((f) => [f.ruleId, f.mirrors.join(", "), `\`${f.address}\``, f.exceptionReason ?? ""]),
      ),
    );
  }
  return lines;
}

function costLines(review: EnvironmentReview): string[] {
  const { cost } = review;
  const rows = cost.lines.map((l) => {
    const line =
      cost.planned.lines.find((p) => p.key === l.key) ?? cost.prior.lines.find((p) => p.key === l.key);
    return [
      l.item,
      l.plannedFormula ?? "(removed)",
      line ? `${line.unitPriceUsd} USD/${line.unit}` : "",
      l.priorUsd.toFixed(2),
      l.plannedUsd.toFixed(2),
      signed(l.deltaUsd),
    ];
  });
  rows.push([
    "**total**",
    "",
    "",
    `**${cost.prior.monthlyUsd.toFixed(2)}**`,
    `**${cost.planned.monthlyUsd.toFixed(2)}**`,
    `**${signed(cost.deltaUsd)}**`,
  ]);
  const lines = [
    `Estimated **${usd(cost.planned.monthlyUsd)}/month** after this plan ` +
      `(${signed(cost.deltaUsd)} USD/month versus the prior state, ${usd(cost.prior.monthlyUsd)}).`,
    "",
    ...table(["item", "quantity per month", "unit price", "prior", "planned", "change"], rows, "lllrrr"),
  ];
  const notes = [
    ...cost.planned.notes,
    ...cost.planned.unpriced.map((u) => `Not priced: ${u}.`),
    ...(cost.planned.usageBased.length > 0
      ? [`Usage-based, not estimated: ${cost.planned.usageBased.join("; ")}.`]
      : []),
  ];
  if (notes.length > 0) lines.push("", ...notes.map((n) => `- ${n}`));
  return lines;
}

const range = (low?: number, high?: number) =>
  low === undefined
    ? "unknown"
    : high === undefined
      ? `${Math.round(low)}+`
      : `${Math.round(low)}-${Math.round(high)}`;

function capacityRows(c: ProvisionedCapacity): [string, string][] {
  const perAz =
    c.availabilityZones !== undefined
      ? `${c.brokers} (${c.brokersPerAz} per AZ x ${c.availabilityZones} AZs)`
      : `${c.brokers} (AZ count unknown until apply)`;
  return [
    ["brokers", perAz],
    ["instance type", c.instanceType ?? "unknown"],
    ["storage per broker", c.volumeSizeGiB !== undefined ? `${c.volumeSizeGiB} GiB` : "unknown"],
    [
      "replication factor / min ISR",
      `${c.replication.replicationFactor} / ${c.replication.minInsyncReplicas}`,
    ],
    [
      "broker losses acks=all writes survive",
      `${c.brokerLossesForWrites} of a partition's ${c.replication.replicationFactor} replica brokers`,
    ],
    [
      "broker losses with no data loss",
      `${c.brokerLossesForData} of a partition's ${c.replication.replicationFactor} replica brokers`,
    ],
    [
      "AZ outages writes survive",
      c.azLossesForWrites === undefined
        ? "unknown"
        : `${c.azLossesForWrites} (an AZ takes ${c.brokersPerAz} broker${c.brokersPerAz === 1 ? "" : "s"}, at most ${c.replicasPerAz} replica${c.replicasPerAz === 1 ? "" : "s"} of a partition)`,
    ],
    ["approx. sustainable ingress", `${range(c.ingressLowMBps, c.ingressHighMBps)} MB/s`],
  ];
}

function capacityLines(review: EnvironmentReview): string[] {
  const { prior, planned } = review.capacity;
  if (planned.length === 0 && prior.length === 0) return ["No MSK cluster in this plan."];
  const lines: string[] = [];
  for (const after of planned) {
    const before = prior.find((p) => p.address === after.address);
    const title = `\`${after.address}\`${after.clusterName ? ` (${after.clusterName})` : ""}`;
    if (after.kind === "serverless") {
      lines.push(
        `${title}: MSK Serverless, throttled above ${after.writeLimitMiBps} MiB/s write and ` +
          `${after.readLimitMiBps} MiB/s read per cluster; AWS manages brokers, AZs and replication.`,
        "",
      );
      continue;
    }
    const afterRows = capacityRows(after);
    const beforeRows = before?.kind === "provisioned" ? capacityRows(before) : undefined;
    lines.push(
      title,
      "",
      ...(beforeRows?.some(([, v], i) => v !== afterRows[i][1])
        ? table(
            ["", "before", "after"],
            afterRows.map(([k, v], i) => [k, beforeRows[i][1], beforeRows[i][1] === v ? "(unchanged)" : v]),
          )
        : table(["", beforeRows ? "unchanged by this plan" : "planned"], afterRows)),
      "",
      "Assumptions:",
      `- replication: ${after.replication.source || "MSK defaults"}; topics created with the default replication factor.`,
      `- writes use acks=all: a partition accepts them while at least min ISR (${after.replication.minInsyncReplicas}) of its ${after.replication.replicationFactor} replicas are in sync, so it survives RF - min ISR = ${after.brokerLossesForWrites} broker loss${after.brokerLossesForWrites === 1 ? "" : "es"} among its replicas.`,
      "- replicas are spread across AZs (MSK sets broker.rack to the AZ), so an AZ outage removes at most ceil(RF / AZs) replicas of any partition.",
      after.throughput
        ? `- ingress = brokers x per-broker write throughput / RF, with ${after.instanceType} at ${range(after.throughput.lowMBps, after.throughput.highMBps)} MB/s per broker (${after.throughput.basis}); every byte is written RF times.`
        : `- no per-broker throughput figure for ${after.instanceType ?? "this instance type"}.`,
      ...after.warnings.map((w) => `- **warning**: ${w}`),
      "",
    );
  }
  for (const gone of prior.filter((p) => !planned.some((a) => a.address === p.address))) {
    lines.push(`\`${gone.address}\` is removed by this plan.`, "");
  }
  return lines;
}

function changeTable(review: EnvironmentReview): string[] {
  if (review.changes.length === 0) return ["No changes."];
  const rows = review.changes.map((c) => [
    c.order ? `${c.action} (${c.order})` : c.action,
    `\`${c.address}\``,
    c.name ?? "",
    c.details.join("; "),
  ]);
  const body = table(["action", "resource", "name", "details"], rows);
  // Creation plans list every resource; fold long tables so the destructive section stays in view.
  return review.changes.length > 15
    ? [
        `<details><summary>${review.changes.length} changed resources</summary>`,
        "",
        ...body,
        "",
        "</details>",
      ]
    : body;
}

/** The whole report, Markdown. */
export function renderReport(reviews: readonly EnvironmentReview[], allowDestroy = false): string {
  const destructive = reviews.flatMap((r) => r.destructive);
  const disruptive = reviews.flatMap((r) => r.disruptive);
  const multi = reviews.length > 1;
  const lines: string[] = [
    REVIEW_MARKER,
    `# Terraform plan review: ${reviews.map((r) => r.environment).join(", ")}`,
    "",
  ];
  if (destructive.length > 0) {
    lines.push(
      `## :no_entry: ${destructive.length} destructive change${destructive.length === 1 ? "" : "s"} to stateful resources`,
      "",
      allowDestroy
        ? "Allowed for this run (`--allow-destroy`): the data below is lost when the plan is applied."
        : "Applying this plan loses the data below. The review fails (exit 3) until someone confirms it " +
            "(`--allow-destroy`, or the `allow-destroy` label on the pull request).",
      "",
      ...riskyLines(destructive, multi),
      "",
    );
  } else {
    lines.push("**No destructive changes**: no stateful resource is deleted or replaced.", "");
  }
  if (disruptive.length > 0) {
    lines.push(
      `### Disruptive changes (no data loss): ${disruptive.length}`,
      "",
      ...riskyLines(disruptive, multi),
      "",
    );
  }
  lines.push(
    "## Summary",
    "",
    ...table(
      [
        "environment",
        "create",
        "update",
        "replace",
        "delete",
        "destructive",
        "policy violations",
        "est. USD/month",
        "change",
      ],
      reviews.map((r) => [
        r.environment,
        String(r.counts.create),
        String(r.counts.update),
        String(r.counts.replace),
        String(r.counts.delete),
        String(r.destructive.length),
        r.policy.state === "loaded"
          ? String(r.policy.report.findings.filter((f) => f.status === "violation").length)
          : "n/a",
        r.cost.planned.monthlyUsd.toFixed(2),
        signed(r.cost.deltaUsd),
      ]),
      "lrrrrrrrr",
    ),
    "",
  );
  const repeated = (env: string) => reviews.filter((r) => r.environment === env).length > 1;
  for (const review of reviews) {
    const c = review.counts;
    const file = relative(process.cwd(), review.file) || review.file;
    lines.push(
      `## ${review.environment}${repeated(review.environment) ? ` (${file})` : ""}`,
      "",
      `Plan \`${file}\`` +
        `${review.region ? `, region ${review.region}` : ""}` +
        `${review.terraformVersion ? `, Terraform ${review.terraformVersion}` : ""}: ` +
        `**${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete**.`,
      "",
      "### Changes",
      "",
      ...changeTable(review),
      "",
      "### Policy findings",
      "",
      ...policyLines(review.policy, review.environment),
      "",
      "### Cost (estimate)",
      "",
      ...costLines(review),
      "",
      "### Capacity",
      "",
      ...capacityLines(review),
    );
  }
  const regions = [...new Set(reviews.map((r) => r.region).filter((r): r is string => !!r))];
  const elsewhere = regions.filter((r) => r !== PRICE_TABLE.region);
  lines.push(
    "---",
    `Prices: ${PRICE_TABLE.region} on-demand list prices recorded ${PRICE_TABLE.asOf} in \`${PRICE_TABLE.file}\`, ` +
      `${PRICE_TABLE.hoursPerMonth} hours a month; estimates, not a quote.` +
      (elsewhere.length > 0
        ? ` These plans are in ${elsewhere.join(", ")}, where list prices differ: read the figures as ${PRICE_TABLE.region}-equivalent.`
        : ""),
    "",
  );
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n")}`;
}

// ---- CLI ------------------------------------------------------------------------------------------

const USAGE = `usage: npm run review -- <plan.json>... [--out FILE] [--allow-destroy]

Reviews plans in \`terraform show -json\` form, one per environment (the environment is the stack
folder, cdktf.out/stacks/<env>/plan.json, or the provider's default "environment" tag).
Prints Markdown to stdout; --out also writes it to FILE.

exit 0  nothing destructive (or --allow-destroy)
exit 2  usage error or unreadable plan
exit 3  a stateful resource (MSK cluster, configuration in use, S3 bucket, KMS key, log group,
        Secrets Manager secret) would be deleted or replaced`;

export interface ReviewOptions {
  readonly files: readonly string[];
  readonly out?: string;
  readonly allowDestroy: boolean;
}

export function parseReviewArgs(args: readonly string[]): ReviewOptions | "help" {
  const files: string[] = [];
  let out: string | undefined;
  let allowDestroy = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--allow-destroy") allowDestroy = true;
    else if (arg === "--out") {
      out = args[++i];
      if (!out) throw new ReviewInputError("--out needs a file name");
    } else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else if (arg.startsWith("-")) throw new ReviewInputError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new ReviewInputError("no plan files given");
  return { files, out, allowDestroy };
}

/** Reviews plan files; returns the report and the exit code. */
export function review(options: ReviewOptions): {
  markdown: string;
  exitCode: number;
  reviews: EnvironmentReview[];
} {
  const reviews = options.files.map((file) => reviewPlan(loadPlanFile(file)));
  const markdown = renderReport(reviews, options.allowDestroy);
  return { markdown, exitCode: exitCodeOf(reviews, options.allowDestroy), reviews };
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
    process.stderr.write(
      `review: ${destructive} destructive change${destructive === 1 ? "" : "s"} to stateful resources` +
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

if (require.main === module) process.exitCode = main(process.argv.slice(2));
