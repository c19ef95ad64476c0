import type { DeclaredException } from "./pack";
import type { PolicyFinding, PolicyReport } from "./report";

const mirrorsText = (finding: PolicyFinding): string =>
  finding.mirrors.length > 0 ? ` (${finding.mirrors.join(", ")})` : "";

/** Every violation of every stack, one per line with where, which rule, what and how to fix. */
export function formatViolations(reports: readonly PolicyReport[]): string {
  const lines = reports.flatMap((report) =>
    report.findings
      .filter((f) => f.status === "violation")
      .map(
        (f) =>
          `${report.environment}: ${f.address} (${f.constructPath}): ${f.ruleId}${mirrorsText(f)}: ${f.message}. Fix: ${f.fix}`,
      ),
  );
  return `Policy violations (${lines.length}):\n  ${lines.join("\n  ")}`;
}

export function violationCount(reports: readonly PolicyReport[]): number {
  return reports.reduce((n, r) => n + r.findings.filter((f) => f.status === "violation").length, 0);
}

/** Excepted findings of every stack, one entry per declaration with the environments it covered. */
function exceptedGroups(reports: readonly PolicyReport[]): { count: number; groups: string[] } {
  // The same module exception recurs in every environment: list it once, with the environments it covers.
  const grouped = new Map<string, { text: string; environments: string[] }>();
  let count = 0;
  for (const report of reports) {
    for (const f of report.findings.filter((finding) => finding.status === "excepted")) {
      count++;
      const path = f.constructPath.split("/").slice(1).join("/");
      const key = `${f.address}|${path}|${f.ruleId}|${f.exceptionReason}`;
      const entry = grouped.get(key) ?? {
        text: `${f.address} (${path}): ${f.ruleId}${mirrorsText(f)}: ${f.exceptionReason}`,
        environments: [],
      };
      entry.environments.push(report.environment);
      grouped.set(key, entry);
    }
  }
  return { count, groups: [...grouped.values()].map((e) => `${e.environments.join(", ")}: ${e.text}`) };
}

type DeclaredByEnvironment = readonly {
  readonly environment: string;
  readonly declared: readonly DeclaredException[];
}[];

/** Declared exceptions no rule needed in any environment (stale, or naming the wrong ids). */
function unusedExceptions(exceptions: DeclaredByEnvironment): string[] {
  // A module's exception is declared in every environment; it is stale only when no environment used it.
  const byDeclaration = new Map<string, { text: string; used: boolean; environments: string[] }>();
  for (const { environment, declared } of exceptions) {
    for (const d of declared) {
      const path = d.constructPath.split("/").slice(1).join("/");
      const key = `${path}|${d.exception.checks.join(",")}|${d.exception.reason}`;
      const entry = byDeclaration.get(key) ?? {
        text: `${path}: ${d.exception.checks.join(", ")}: ${d.exception.reason}`,
        used: false,
        environments: [],
      };
      entry.used ||= d.used;
      entry.environments.push(environment);
      byDeclaration.set(key, entry);
    }
  }
  return [...byDeclaration.values()]
    .filter((e) => !e.used)
    .map((e) => `${e.environments.join(", ")}: ${e.text}`);
}

/** The full summary after a successful synth: rules evaluated, every excepted finding, any unused exception. */
export function formatPolicySummary(
  reports: readonly PolicyReport[],
  exceptions: DeclaredByEnvironment,
): string {
  const { count, groups } = exceptedGroups(reports);
  const rules = new Set(reports.flatMap((r) => r.rulesEvaluated));
  const lines = [`Policy: ${rules.size} rules evaluated, 0 violations, ${count} excepted.`];
  if (count > 0)
    lines.push(
      `Policy exceptions (${count} findings, ${groups.length} declarations):`,
      ...groups.map((g) => `  ${g}`),
    );
  const unused = unusedExceptions(exceptions);
  if (unused.length > 0) {
    lines.push(
      `Unused policy exceptions (${unused.length}; no rule needed them in any environment: remove them or fix the ids):`,
      ...unused.map((u) => `  ${u}`),
    );
  }
  return lines.join("\n");
}

/**
 * What every synth prints: one line (rules, violations, excepted findings and where their list is), plus
 * the unused exceptions in full, because each of those asks for a fix.
 */
export function formatPolicyHeadline(
  reports: readonly PolicyReport[],
  exceptions: DeclaredByEnvironment,
  listedIn: string,
): string {
  const { count, groups } = exceptedGroups(reports);
  const rules = new Set(reports.flatMap((r) => r.rulesEvaluated));
  const excepted =
    count > 0
      ? `; ${count} findings excepted by ${groups.length} declared exceptions (list: ${listedIn})`
      : "";
  const lines = [`Policy: ${rules.size} rules evaluated, 0 violations${excepted}.`];
  const unused = unusedExceptions(exceptions);
  if (unused.length > 0) {
    lines.push(
      `Warning: ${unused.length} unused policy exception(s); no rule needed them in any environment: remove them or fix the ids:`,
      ...unused.map((u) => `  ${u}`),
    );
  }
  return lines.join("\n");
}
