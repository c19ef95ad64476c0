/** Collects every problem of one environment, so a user sees them all at once. */

import { CLOUDWATCH_RETENTION_DAYS } from "./aws-limits";
import { KAFKA_VERSION_TABLE, todayUtc, type VersionTable } from "./kafka-versions";

export interface ValidationIssue {
  /** Field path inside the environment object, e.g. "cluster.brokersPerAz". */
  readonly path: string;
  /** The value received. */
  readonly value: unknown;
  /** What is allowed, phrased as a fix: "must be an integer >= 1". */
  readonly allowed: string;
}

/**
 * Something AWS accepts today but that needs attention (a version nearing or past end of support, a default
 * quota exceeded): printed at synth and carried into the plan review, never a reason to refuse.
 */
export interface ValidationWarning {
  /** Stable kind, e.g. "kafka-version-end-of-support", so the review can tell warnings apart. */
  readonly code: string;
  /** Field path inside the environment object. */
  readonly path: string;
  /** The value received. */
  readonly value: unknown;
  /** What is the matter and what to do, e.g. "reached end of support on 2026-09-01; upgrade in place to ...". */
  readonly message: string;
}

/** What date-dependent checks compare against; injected so that no answer changes on its own. */
export interface ValidationContext {
  /** Today, "YYYY-MM-DD". @default the current UTC date */
  readonly today: string;
  /** The Kafka version table. @default KAFKA_VERSION_TABLE (tests inject rows that do not exist yet) */
  readonly kafkaVersions?: VersionTable;
  /** Root that files named by an environment (schema definitions) are relative to. @default projectRoot() */
  readonly projectRoot?: string;
}

export function defaultContext(today?: string): ValidationContext {
  return { today: today ?? todayUtc(), kafkaVersions: KAFKA_VERSION_TABLE };
}

export function formatValue(value: unknown): string {
  if (value === undefined) return "undefined";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatIssue(file: string, issue: ValidationIssue): string {
  return `${file}: ${issue.path}: got ${formatValue(issue.value)}; ${issue.allowed}`;
}

export function formatWarning(file: string, warning: ValidationWarning): string {
  return `${file}: ${warning.path}: got ${formatValue(warning.value)}; ${warning.message}`;
}

export class Checker {
  readonly issues: ValidationIssue[] = [];
  readonly warnings: ValidationWarning[] = [];

  constructor(readonly context: ValidationContext = defaultContext()) {}

  /** Records a warning: synth goes on, the review shows it. */
  warn(code: string, path: string, value: unknown, message: string): void {
    this.warnings.push({ code, path, value, message });
  }

  /** Records an issue unless `ok`; returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, path: string, value: unknown, allowed: string): boolean {
    if (!ok) this.issues.push({ path, value, allowed });
    return ok;
  }

  /** Records `problem` (a phrase from the naming rules) when there is one; returns true when there is none. */
  problem(path: string, value: unknown, problem: string | undefined): boolean {
    return this.check(problem === undefined, path, value, problem ?? "");
  }

  integer(path: string, value: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): boolean {
    const ok = typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    return this.check(ok, path, value, `must be an integer ${range}`);
  }

  boolean(path: string, value: unknown): boolean {
    return this.check(typeof value === "boolean", path, value, "must be true or false");
  }

  oneOf<T>(path: string, value: unknown, allowed: readonly T[]): boolean {
    return this.check(
      allowed.includes(value as T),
      path,
      value,
      `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
    );
  }

  pattern(path: string, value: unknown, regex: RegExp, description: string): boolean {
    return this.check(typeof value === "string" && regex.test(value), path, value, `must be ${description}`);
  }

  /** A non-empty array (or, with `allowEmpty`, any array). */
  list(path: string, value: unknown, what: string, allowEmpty = false): value is readonly unknown[] {
    return this.check(
      Array.isArray(value) && (allowEmpty || value.length > 0),
      path,
      value,
      allowEmpty ? `must be a list of ${what}` : `must list at least one ${what}`,
    );
  }

  /** Each entry once: reports the first repeat at its index. */
  unique(path: string, values: readonly unknown[]): boolean {
    const repeat = values.findIndex((v, i) => values.indexOf(v) !== i);
    return this.check(
      repeat < 0,
      `${path}[${repeat}]`,
      values[repeat],
      "is listed twice: list each entry once",
    );
  }

  /** A log retention CloudWatch accepts. */
  retentionDays(path: string, value: unknown): boolean {
    return this.check(
      CLOUDWATCH_RETENTION_DAYS.includes(value as number),
      path,
      value,
      `must be a retention CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.filter((d) => d > 0).join(", ")} (days), or 0 to never expire`,
    );
  }
}
