/**
 * Reading `terraform show -json` plans beyond the minimal shape in terraform.ts: unknown-value markers,
 * module-flattened resources of the prior state, attribute paths, and the configuration references the
 * review needs (which subnets a cluster uses, which MSK configuration it points at).
 */
import type { PlanJson, PlanModule, PlannedResource, ResourceChange } from "../terraform";

/** A resource change with the parts of the JSON the review reads on top of terraform.ts's shape. */
export type FullResourceChange = ResourceChange & {
  readonly change: ResourceChange["change"] & { readonly after_unknown?: unknown };
};

/** A plan as the review reads it. */
export type ReviewPlan = Omit<PlanJson, "resource_changes" | "configuration"> & {
  readonly resource_changes?: readonly FullResourceChange[];
  readonly configuration?: PlanConfiguration;
};

export interface PlanConfiguration {
  readonly provider_config?: Record<string, { readonly expressions?: Record<string, unknown> }>;
  readonly root_module?: ConfigModule;
}

export interface ConfigModule {
  readonly resources?: readonly {
    readonly address: string;
    readonly type: string;
    readonly expressions?: Record<string, unknown>;
  }[];
  readonly module_calls?: Record<string, { readonly module?: ConfigModule }>;
}

/** One step of an attribute path: attribute name or list index. */
export type PathStep = string | number;

/** Renders a path the way Terraform documents it: `encryption_info[0].encryption_in_transit[0].client_broker`. */
export function renderPath(path: readonly PathStep[]): string {
  return path
    .map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`))
    .join("");
}

/** The value at a path, or undefined when any step is missing. */
export function valueAt(value: unknown, path: readonly PathStep[]): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (current === null || current === undefined) return undefined;
    if (typeof step === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (typeof current !== "object" || Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

/** True when `after_unknown` marks the value at the path (or an enclosing value) as known only after apply. */
export function isUnknownAt(afterUnknown: unknown, path: readonly PathStep[]): boolean {
  let current: unknown = afterUnknown;
  for (const step of path) {
    if (current === true) return true;
    if (current === null || current === undefined || typeof current !== "object") return false;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current === true;
}

/** Resources of a state or planned-values module tree, flattened. */
export function moduleResources(module: PlanModule | undefined): PlannedResource[] {
  if (!module) return [];
  return [
    ...(module.resources ?? []).map((r) => ({ ...r, values: r.values ?? {} })),
    ...(module.child_modules ?? []).flatMap(moduleResources),
  ];
}

/** Managed resources as they were before the plan (empty for a first apply). */
export function priorResources(plan: PlanJson): PlannedResource[] {
  return moduleResources(plan.prior_state?.values?.root_module).filter((r) => r.mode === "managed");
}

/** Managed resources as they will be after the plan is applied. */
export function plannedManagedResources(plan: PlanJson): PlannedResource[] {
  return moduleResources(plan.planned_values?.root_module).filter((r) => r.mode === "managed");
}

function configResources(module: ConfigModule | undefined, prefix = ""): ConfigModule["resources"] & {} {
  if (!module) return [];
  return [
    ...(module.resources ?? []).map((r) => ({ ...r, address: `${prefix}${r.address}` })),
    ...Object.entries(module.module_calls ?? {}).flatMap(([name, call]) =>
      configResources(call.module, `${prefix}module.${name}.`),
    ),
  ];
}

/** Resource addresses referenced by the expression at `path` of a resource's configuration. */
export function configReferences(plan: ReviewPlan, address: string, path: readonly PathStep[]): string[] {
  const resource = configResources(plan.configuration?.root_module).find((r) => r.address === address);
  const expression = valueAt(resource?.expressions, path) as { references?: readonly string[] } | undefined;
  const references = expression?.references ?? [];
  // Terraform lists both "aws_subnet.a.id" and "aws_subnet.a"; keep the resource addresses, once each.
  const addresses = references.map((ref) => ref.split(".").slice(0, 2).join("."));
  return [...new Set(addresses)].filter((a) => /^[a-z0-9_]+\.[^.]+$/.test(a) && !a.startsWith("data."));
}

/** A constant value from the provider configuration, e.g. the region or default tags. */
export function providerSetting(plan: ReviewPlan, path: readonly PathStep[]): unknown {
  const aws = plan.configuration?.provider_config?.aws?.expressions;
  const expression = valueAt(aws, path) as { constant_value?: unknown } | undefined;
  return expression?.constant_value;
}

/** A short human name for a resource: the name users see in the console. */
export function displayName(values: Record<string, unknown> | null | undefined): string | undefined {
  if (!values) return undefined;
  for (const key of [
    "cluster_name",
    "bucket",
    "name",
    "registry_name",
    "schema_name",
    "alarm_name",
    "alias",
    "description",
  ]) {
    const value = values[key];
    if (typeof value === "string" && value.length > 0) return value;
  }
  const tags = values.tags as Record<string, string> | null | undefined;
  return tags?.Name;
}
