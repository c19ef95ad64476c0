/**
 * The plan review as Markdown: changes MSK will refuse at apply and data loss first (impossible to miss in
 * a PR comment), then every other delete or replacement grouped by kind, a summary table, then per
 * environment the changes, warnings, policy findings, cost and capacity.
 */
import { relative } from "node:path";
import type { ApplyFailure } from "./apply-failures";
import type { ProvisionedCapacity } from "./capacity";
import { PRICE_TABLE } from "./prices";
import type { EnvironmentReview, PolicyStatus, ReviewWarning, RiskyChange } from "./review";
import { topicCapacityLines, topicLines } from "./topics";

/** Hidden first line of every report: the workflow finds its own PR comment by it. */
export const REVIEW_MARKER = "<!-- msk-platform-plan-review -->";

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
    `- ${multiEnv ? `**${c.environment}**: ` : ""}**${c.refused ? "REFUSED " : ""}${c.action === "update" ? "UPDATE" : c.action.toUpperCase()}** \`${c.address}\` ` +
      `(${c.what}${c.name ? ` \`${c.name}\`` : ""})`,
    ...c.forcedBy.map((f) => `  - forced by \`${f.path}\`: \`${f.before}\` -> \`${f.after}\``),
    ...(c.reason ? [`  - why: ${c.reason}`] : []),
    `  - ${c.what === c.type ? "effect" : "lost"}: ${c.consequence}`,
    ...(c.hint ? [`  - hint: ${c.hint}`] : []),
  ]);
}

/** Disruptive changes grouped by kind (resource type), each with what it interrupts. */
function disruptiveLines(changes: readonly RiskyChange[], multiEnv: boolean): string[] {
  // Ports and routes first: they cut clients off; then the rest alphabetically.
  const rank = (kind: string) => (/^Security group .*rules$|^Route/.test(kind) ? 0 : 1);
  const kinds = [...new Set(changes.map((c) => c.kind ?? c.type))].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
  return kinds.flatMap((kind) => {
    const members = changes.filter((c) => (c.kind ?? c.type) === kind);
    return [
      `#### ${kind} (${members.length})`,
      "",
      ...members.map(
        (c) =>
          `- ${multiEnv ? `**${c.environment}**: ` : ""}**${c.action.toUpperCase()}** \`${c.address}\`` +
          `${c.name ? ` (\`${c.name}\`)` : ""}: ${c.consequence}` +
          `${c.forcedBy.length > 0 ? `; forced by ${c.forcedBy.map((f) => `\`${f.path}\``).join(", ")}` : ""}` +
          `${c.hint ? `. Hint: ${c.hint}` : ""}`,
      ),
      "",
    ];
  });
}

function applyFailureLines(failures: readonly ApplyFailure[], multiEnv: boolean): string[] {
  return failures.flatMap((f) => [
    `- ${multiEnv ? `**${f.environment}**: ` : ""}**WILL FAIL AT APPLY** \`${f.address}\`${f.name ? ` (MSK cluster \`${f.name}\`)` : ""}: ${f.change}`,
    `  - why: ${f.why}`,
    ...(f.prerequisites ? [`  - MSK accepts it only when: ${f.prerequisites.map((p) => p).join("; ")}`] : []),
    `  - instead: ${f.instead}`,
  ]);
}

function warningLines(review: EnvironmentReview): string[] {
  const lines = review.warnings.map((w: ReviewWarning) => `- ${w.where}: ${w.message}`);
  if (!review.synthWarningsRead)
    lines.push(
      "- No synth-warnings.json next to the plan (written by `npm run synth`): warnings from synth (quotas, Region table) are not part of this review.",
    );
  return lines;
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
      line ? `${line.unitPriceUsd} USD/${line.unit}${line.basis === "derived" ? " (derived)" : ""}` : "",
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
  const rows: [string, string][] = [
    ["brokers", perAz],
    ["instance type", c.instanceType ?? "unknown"],
    [
      "storage per broker",
      c.express
        ? "managed by MSK (Express: no volume to size)"
        : c.volumeSizeGiB !== undefined
          ? `${c.volumeSizeGiB} GiB`
          : "unknown",
    ],
    [
      "replication factor / min ISR",
      `${c.replication.replicationFactor} / ${c.replication.minInsyncReplicas}`,
    ],
    [
      "broker losses acks=all writes survive",
      `${c.brokerLossesForWrites} of a partition's ${c.replication.replicationFactor} replica brokers`,
    ],
    [
      "broker losses that never lose an acknowledged write",
      `${c.brokerLossesForData} of a partition's ${c.replication.replicationFactor} replica brokers (min ISR - 1)`,
    ],
    [
      "AZ outages writes survive",
      c.azLossesForWrites === undefined
        ? "unknown"
        : `${c.azLossesForWrites} (an AZ takes ${c.brokersPerAz} broker${c.brokersPerAz === 1 ? "" : "s"}, at most ${c.replicasPerAz} replica${c.replicasPerAz === 1 ? "" : "s"} of a partition)`,
    ],
    ["approx. sustainable ingress", `${range(c.ingressLowMBps, c.ingressHighMBps)} MB/s`],
  ];
  if (c.egressMBps !== undefined)
    rows.push(["approx. sustainable egress", `${Math.round(c.egressMBps)} MB/s`]);
  return rows;
}

function capacityLines(review: EnvironmentReview): string[] {
  const { prior, planned } = review.capacity;
  if (planned.length === 0 && prior.length === 0) return ["No MSK cluster in this plan."];
  const lines: string[] = [];
  for (const after of planned) {
    const before = prior.find((p) => p.address === after.address);
    const replaced = review.capacity.replaced.includes(after.address);
    const title =
      `\`${after.address}\`${after.clusterName ? ` (${after.clusterName})` : ""}` +
      (replaced
        ? ": **replaced by a new, empty cluster**: every topic, record and consumer offset of the old one is gone, and clients must move to the new bootstrap brokers"
        : "");
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
    const cellOf = (rows: [string, string][], key: string) => rows.find(([k]) => k === key)?.[1] ?? "";
    lines.push(
      title,
      "",
      ...(replaced && beforeRows
        ? table(
            ["", "old cluster (destroyed)", "new cluster (empty)"],
            afterRows.map(([k, v]) => [k, cellOf(beforeRows, k), v]),
          )
        : beforeRows && afterRows.some(([k, v]) => v !== cellOf(beforeRows, k))
          ? table(
              ["", "before", "after"],
              afterRows.map(([k, v]) => [
                k,
                cellOf(beforeRows, k),
                cellOf(beforeRows, k) === v ? "(unchanged)" : v,
              ]),
            )
          : table(["", beforeRows ? "unchanged by this plan" : "planned"], afterRows)),
      "",
      "Assumptions:",
      `- replication: ${after.replication.source || "MSK defaults"}; topics created with the default replication factor.`,
      `- writes use acks=all: a partition accepts them while at least min ISR (${after.replication.minInsyncReplicas}) of its ${after.replication.replicationFactor} replicas are in sync, so it survives RF - min ISR = ${after.brokerLossesForWrites} broker loss${after.brokerLossesForWrites === 1 ? "" : "es"} among its replicas.`,
      `- an acknowledged write is guaranteed only on min ISR (${after.replication.minInsyncReplicas}) replicas, so min ISR - 1 = ${after.brokerLossesForData} broker loss${after.brokerLossesForData === 1 ? "" : "es"} can never lose one; more may lose the latest writes.`,
      "- replicas are spread across AZs (MSK sets broker.rack to the AZ), so an AZ outage removes at most ceil(RF / AZs) replicas of any partition.",
      after.throughput
        ? after.throughput.per === "client"
          ? `- ingress = brokers x the client ingress AWS recommends per ${after.instanceType} broker, ${range(after.throughput.lowMBps, after.throughput.highMBps)} MB/s (egress ${after.throughput.egressMBps} MB/s; ${after.throughput.basis}); above it MSK throttles clients.`
          : `- ingress = brokers x per-broker write throughput / RF, with ${after.instanceType} at ${range(after.throughput.lowMBps, after.throughput.highMBps)} MB/s per broker (${after.throughput.basis}); every byte is written RF times.`
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
export function renderReport(
  reviews: readonly EnvironmentReview[],
  allowDestroy = false,
  allowApplyFailure = false,
): string {
  const destructive = reviews.flatMap((r) => r.destructive);
  const disruptive = reviews.flatMap((r) => r.disruptive);
  const failures = reviews.flatMap((r) => r.applyFailures);
  const refused = destructive.filter((d) => d.refused);
  const multi = reviews.length > 1;
  const lines: string[] = [
    REVIEW_MARKER,
    `# Terraform plan review: ${reviews.map((r) => r.environment).join(", ")}`,
    "",
  ];
  if (failures.length > 0) {
    lines.push(
      `## :x: ${failures.length} change${failures.length === 1 ? "" : "s"} MSK will refuse at apply`,
      "",
      allowApplyFailure
        ? "Acknowledged for this run (`--allow-apply-failure`): applying this plan fails at these changes unless their prerequisites are met."
        : "MSK refuses these changes, so the apply would stop at them (half-way through). " +
            "The review fails (exit 4) until they are removed or acknowledged (`--allow-apply-failure`, or the " +
            "`allow-apply-failure` label on the pull request).",
      "",
      ...applyFailureLines(failures, multi),
      "",
    );
  }
  if (destructive.length > 0) {
    lines.push(
      `## :no_entry: ${destructive.length} destructive change${destructive.length === 1 ? "" : "s"} (data loss)`,
      "",
      refused.length > 0
        ? `Terraform refused to plan ${refused.length === 1 ? "a change" : "changes"} to resources protected by \`prevent_destroy\`: ` +
            "the entries marked REFUSED come from a second plan without that protection, for this review only, and no plan " +
            "of them can be applied. The review fails (exit 3) even with `--allow-destroy`: removing the protection is a code change of its own."
        : allowDestroy
          ? "Allowed for this run (`--allow-destroy`): the data below is lost when the plan is applied."
          : "Applying this plan loses the data below. The review fails (exit 3) until someone confirms it " +
            "(`--allow-destroy`, or the `allow-destroy` label on the pull request).",
      "",
      ...riskyLines(destructive, multi),
      "",
    );
  } else {
    lines.push(
      "**No destructive changes**: no stateful resource is deleted or replaced, and no retention is cut.",
      "",
    );
  }
  if (disruptive.length > 0) {
    lines.push(
      `### Disruptive changes (no data loss): ${disruptive.length}`,
      "",
      "Every other delete or replacement, by kind, with what stops while it happens.",
      "",
      ...disruptiveLines(disruptive, multi),
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
      ...topicLines(review.topics),
      ...(review.warnings.length > 0 || !review.synthWarningsRead
        ? ["### Warnings", "", ...warningLines(review), ""]
        : []),
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
      ...topicCapacityLines(review.topics),
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
