/**
 * Reading the re-plan after apply: any planned change to a resource that was just applied from the same
 * configuration is a perpetual diff, reported with the resource and the attributes that differ.
 */
import type { PlanJson, ResourceChange } from "../terraform";

/** One resource the re-plan wants to change. */
export interface Drift {
  readonly address: string;
  /** Terraform's actions, e.g. ["update"] or ["delete", "create"]. */
  readonly actions: readonly string[];
  /** Attribute paths that differ between the refreshed state and the configuration. */
  readonly attributes: readonly string[];
  /** Per attribute: refreshed value -> planned value (JSON). */
  readonly details: readonly string[];
  /** Terraform's reason, when it gives one (e.g. replace_because_cannot_update). */
  readonly reason?: string;
}

const MAX_SHOWN = 300;

function show(value: unknown): string {
  const text = value === undefined ? "(unknown until apply)" : JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Attribute paths whose values differ (deep), e.g. `ingress`, `rule[0].filter[0].prefix`. */
export function differingPaths(before: unknown, after: unknown, unknown: unknown, path = ""): string[] {
  if (unknown === true) return sameJson(before, after) && before !== undefined ? [] : [path || "(value)"];
  const bothObjects =
    before && after && typeof before === "object" && typeof after === "object" && !sameJson(before, after);
  if (!bothObjects) return sameJson(before, after) ? [] : [path || "(value)"];
  if (Array.isArray(before) !== Array.isArray(after)) return [path || "(value)"];
  if (Array.isArray(before) && Array.isArray(after) && before.length !== after.length) return [path];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const u = (unknown && typeof unknown === "object" ? unknown : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return keys.flatMap((key) => {
    const child = Array.isArray(before) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    return differingPaths(b[key], a[key], u[key], child);
  });
}

function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const step of path.match(/[^.[\]]+/g) ?? []) {
    value = (value as Record<string, unknown> | undefined)?.[step];
  }
  return value;
}

function describeChange(change: ResourceChange): Drift {
  const { before, after } = change.change;
  const afterUnknown = (change.change as { after_unknown?: unknown }).after_unknown;
  const attributes =
    before && after
      ? differingPaths(before, after, afterUnknown)
      : [before ? "(resource would be destroyed)" : "(resource is missing: it would be created again)"];
  return {
    address: change.address,
    actions: change.change.actions,
    attributes,
    details:
      before && after
        ? attributes.map((p) => `${p}: ${show(valueAt(before, p))} -> ${show(valueAt(after, p))}`)
        : [],
    reason: change.action_reason,
  };
}

/** Every change of a re-plan that is not a no-op (reads of data sources aside). */
export function driftOf(plan: PlanJson): Drift[] {
  return (plan.resource_changes ?? [])
    .filter((c) => c.mode === "managed" && c.change.actions.some((a) => a !== "no-op"))
    .map(describeChange);
}

/** One drift as report lines. */
export function formatDrift(drift: Drift): string[] {
  return [
    `DRIFT ${drift.address}: ${drift.actions.join("+")}${drift.reason ? ` (${drift.reason})` : ""} on ${drift.attributes.join(", ")}`,
    ...drift.details.map((d) => `    ${d}`),
  ];
}
