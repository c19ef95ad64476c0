/**
 * `prevent_destroy` refusals turned into reviewable plans. In production the stateful resources carry
 * lifecycle.prevent_destroy, so Terraform refuses to plan a change that would destroy one ("Instance
 * cannot be destroyed") and a pull request would only show "failed to plan". Instead:
 *
 * 1. the refused addresses are read from Terraform's error;
 * 2. the same stack is planned once more with an override file that lifts prevent_destroy for exactly
 *    those resources (Terraform merges lifecycle arguments from *_override.tf.json files), against the
 *    same backend, state and providers (a copy would need the state and the local backend's relative
 *    path), written to its own plan file;
 * 3. `terraform show -json` of that plan becomes plan.json, so the review shows the delete or replacement
 *    with its forcing attribute; the override and the unprotected plan file are removed at once (and synth
 *    removes a leftover override), no plan.tfplan exists, so nothing can apply it;
 * 4. plan-refusal.json next to plan.json records the refusal; the review marks those entries as refused
 *    and fails (exit 3) even with --allow-destroy: the protection is removed only by a reviewed change.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { terraform } from "../terraform";

/** Override file that lifts prevent_destroy for the refused resources only, during the second plan. */
export const LIFT_OVERRIDE_FILE = "zz_prevent_destroy_lifted_override.tf.json";
/** The unprotected plan; deleted as soon as it is shown. */
const UNPROTECTED_PLAN_FILE = "unprotected.tfplan";
/** Written next to plan.json when the plan was refused. */
export const REFUSAL_FILE = "plan-refusal.json";

export interface PlanRefusal {
  /** Addresses Terraform refused to destroy. */
  readonly refused: readonly string[];
  /** Terraform's own words, for the record. */
  readonly terraformError: string;
}

/** Addresses named in Terraform's "Instance cannot be destroyed" errors (none for any other failure). */
export function refusedAddresses(terraformOutput: string): string[] {
  const found = [
    ...terraformOutput.matchAll(/Resource\s+(\S+)\s+has\s+lifecycle\.prevent_destroy\s+set/g),
  ].map((m) => m[1]);
  return [...new Set(found)];
}

/** `{"resource": {type: {name: {"lifecycle": {"prevent_destroy": false}}}}}` for root-module addresses. */
export function liftOverride(addresses: readonly string[]): object {
  const resource: Record<string, Record<string, object>> = {};
  for (const address of addresses) {
    const match = /^([a-z0-9_]+)\.([^.[\]]+)(\[.*\])?$/.exec(address);
    if (!match) throw new Error(`cannot lift prevent_destroy for ${address}: not a root-module resource`);
    resource[match[1]] = { ...resource[match[1]], [match[2]]: { lifecycle: { prevent_destroy: false } } };
  }
  return { resource };
}

/**
 * After a failed `terraform plan`: when Terraform refused only because of prevent_destroy, plans again
 * without that protection for those resources, writes plan.json and plan-refusal.json, and returns the
 * refusal. Rethrows every other failure unchanged.
 */
export async function planPastRefusal(
  stackDir: string,
  failure: unknown,
  env: NodeJS.ProcessEnv,
  planArgs: readonly string[],
  signal?: AbortSignal,
): Promise<PlanRefusal> {
  const message = failure instanceof Error ? failure.message : String(failure);
  const refused = refusedAddresses(message);
  if (refused.length === 0) throw failure;
  const overridePath = join(stackDir, LIFT_OVERRIDE_FILE);
  writeFileSync(overridePath, `${JSON.stringify(liftOverride(refused), null, 2)}\n`);
  try {
    await terraform(stackDir, ["plan", ...planArgs, `-out=${UNPROTECTED_PLAN_FILE}`], env, signal);
    const shown = await terraform(stackDir, ["show", "-json", UNPROTECTED_PLAN_FILE], env, signal);
    writeFileSync(join(stackDir, "plan.json"), shown.stdout);
  } finally {
    rmSync(overridePath, { force: true });
    rmSync(join(stackDir, UNPROTECTED_PLAN_FILE), { force: true });
    rmSync(join(stackDir, "plan.tfplan"), { force: true });
  }
  const refusal: PlanRefusal = {
    refused,
    terraformError: message.slice(Math.max(0, message.indexOf("Error:"))).trim(),
  };
  writeFileSync(join(stackDir, REFUSAL_FILE), `${JSON.stringify(refusal, null, 2)}\n`);
  return refusal;
}

/** The refusal recorded next to a plan.json, if any. */
export function loadRefusal(planDir: string): PlanRefusal | undefined {
  const path = join(planDir, REFUSAL_FILE);
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, "utf8")) as PlanRefusal;
  return Array.isArray(parsed.refused) ? parsed : undefined;
}
