/**
 * Terraform state as the rehearsal reads it (`terraform show -json`), and resolution of the stack's
 * `${type.name.attribute}` references against it, so "intended" values come from the synthesized JSON.
 */
import { moduleResources, type PlanModule, type PlannedResource } from "../terraform";

/** `terraform show -json` without a plan file. */
export interface StateJson {
  readonly values?: { readonly root_module?: PlanModule };
}

/** Applied resources by address. */
export type AppliedState = ReadonlyMap<string, PlannedResource>;

export function appliedResources(state: StateJson): AppliedState {
  return new Map(
    moduleResources(state.values?.root_module)
      .filter((r) => r.mode === "managed")
      .map((r) => [r.address, r]),
  );
}

export class UnresolvableReferenceError extends Error {}

const WHOLE_REFERENCE = /^\$\{([^}]*)\}$/;
const EMBEDDED_REFERENCE = /\$\{([^}]*)\}/g;
const REFERENCE_PATH = /^(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+|\[\d+\])+)$/;

function lookup(expression: string, state: AppliedState): unknown {
  const match = REFERENCE_PATH.exec(expression.trim());
  if (!match) {
    throw new UnresolvableReferenceError(
      `cannot evaluate \${${expression}} (only type.name.attribute references are resolved)`,
    );
  }
  const resource = state.get(`${match[1]}.${match[2]}`);
  if (!resource)
    throw new UnresolvableReferenceError(`\${${expression}}: ${match[1]}.${match[2]} is not applied`);
  let value: unknown = resource.values;
  for (const step of match[3].match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    const key = step.startsWith(".") ? step.slice(1) : Number(step.slice(1, -1));
    value = (value as Record<string | number, unknown> | undefined)?.[key];
  }
  if (value === undefined || value === null) {
    throw new UnresolvableReferenceError(`\${${expression}} has no value in the state`);
  }
  return value;
}

/** The config value with every reference replaced by its applied value. */
export function resolve(value: unknown, state: AppliedState): unknown {
  if (typeof value === "string") {
    const whole = WHOLE_REFERENCE.exec(value);
    if (whole) return lookup(whole[1], state);
    return value.replace(EMBEDDED_REFERENCE, (_m, expression: string) => String(lookup(expression, state)));
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, state));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "//" && key !== "lifecycle" && key !== "depends_on")
        .map(([key, v]) => [key, resolve(v, state)]),
    );
  }
  return value;
}
