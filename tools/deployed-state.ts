/**
 * A synthesized stack folder readied for its real backend, and the state deployed there: what `npm run
 * plan`, `npm run recover` and `npm run audit` share. The local state is checked before Terraform reads it
 * (tools/state-safety.ts); a stale offline override is removed so it can never shadow the real backend.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { AppliedState, StateJson } from "./rehearsal/state";
import { assertStateReadable } from "./state-safety";
import {
  MIRROR_VARIABLE,
  moduleResources,
  OFFLINE_OVERRIDE_FILE,
  type PlanJson,
  type PlanModule,
  type PlannedResource,
  type ResourceChange,
  terraform,
  terraformEnv,
  writeCliConfig,
} from "./terraform";

/** Readies a stack folder for its real backend: an offline override left behind would hijack it. */
export function prepareOnline(stackDir: string): boolean {
  const override = join(stackDir, OFFLINE_OVERRIDE_FILE);
  if (!existsSync(override)) return false;
  rmSync(override);
  return true;
}

/**
 * Checks the local state, then `terraform init` against the stack's own backend with the caller's AWS
 * credentials; returns the environment to run further Terraform commands with.
 */
export async function initOnline(
  stackDir: string,
  log: (line: string) => void,
  signal?: AbortSignal,
  root: string = process.cwd(),
): Promise<NodeJS.ProcessEnv> {
  if (prepareOnline(stackDir)) log(`removed the stale ${OFFLINE_OVERRIDE_FILE} from ${stackDir}`);
  assertStateReadable(stackDir);
  // Air-gapped runners still install the provider from a mirror; everyone else uses the registry.
  const cliConfig = process.env[MIRROR_VARIABLE] ? writeCliConfig(join(root, ".build", "plan")) : undefined;
  const env = terraformEnv(cliConfig);
  // -reconfigure: never offer to migrate an offline local state into the real backend.
  await terraform(stackDir, ["init", "-input=false", "-no-color", "-reconfigure"], env, signal);
  return env;
}

/**
 * A state's managed objects by address. An object a create-before-destroy replacement deposed (Terraform
 * destroys it on the next apply) shares its address with the current one, so it is keyed
 * `<address> (deposed <key>)`: still the state's, never the address's current instance.
 */
export function stateObjects(root: PlanModule | undefined): Map<string, PlannedResource> {
  return new Map(
    moduleResources(root)
      .filter((r) => r.mode === "managed")
      .map((r) => [r.deposed_key ? `${r.address} (deposed ${r.deposed_key})` : r.address, r]),
  );
}

/** The deployed state of an initialised stack folder, by address (empty when nothing is deployed). */
export async function showState(
  stackDir: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<AppliedState> {
  const shown = await terraform(stackDir, ["show", "-json", "-no-color"], env, signal);
  return stateObjects((JSON.parse(shown.stdout || "{}") as StateJson).values?.root_module);
}

/** The state as it is now in the account, and what the stored state holds that no longer exists. */
export interface RefreshedState {
  /** Every resource of the state whose object still exists, with its values as the provider reads them. */
  readonly state: AppliedState;
  /** Addresses the stored state holds whose objects are gone (deleted, or replaced by a killed apply). */
  readonly gone: readonly string[];
  /** Addresses whose create did not finish (interrupted after AWS made the object): the next plan replaces them. */
  readonly tainted: readonly string[];
}

/**
 * Reads the deployed state through a refresh-only plan (read-only: nothing is applied or written), so
 * that an entry whose object is gone (a state restored from its backup, a replacement interrupted
 * between its delete and the state write) is known as gone, as the provider itself sees it.
 */
export async function refreshedState(
  stackDir: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
  /** Take the state lock (false: read past a lock a killed run left, as a check may). */
  lock = true,
): Promise<RefreshedState> {
  const planFile = "recover-refresh.tfplan";
  try {
    await terraform(
      stackDir,
      [
        "plan",
        "-refresh-only",
        "-input=false",
        "-no-color",
        lock ? "-lock-timeout=5m" : "-lock=false",
        `-out=${planFile}`,
      ],
      env,
      signal,
    );
    const shown = await terraform(stackDir, ["show", "-json", planFile], env, signal);
    const plan = JSON.parse(shown.stdout) as PlanJson & {
      readonly resource_drift?: readonly ResourceChange[];
    };
    // A refresh-only plan's prior_state is the refreshed state; its planned_values stay empty.
    const state = stateObjects(plan.prior_state?.values?.root_module);
    return {
      state,
      tainted: [...state.values()].filter((r) => r.tainted === true && !r.deposed_key).map((r) => r.address),
      gone: (plan.resource_drift ?? [])
        .filter((d) => d.mode === "managed" && d.change.actions.includes("delete"))
        .map((d) => d.address),
    };
  } finally {
    rmSync(join(stackDir, planFile), { force: true });
  }
}

/** Removes state entries whose objects are gone, so that an import block can adopt their replacement. */
export async function forgetGone(
  stackDir: string,
  env: NodeJS.ProcessEnv,
  addresses: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  if (addresses.length === 0) return;
  await terraform(stackDir, ["state", "rm", "-lock-timeout=5m", ...addresses], env, signal);
}

/**
 * Clears the taint of resources whose create was interrupted after AWS made the object: the next apply
 * then completes their configuration in place instead of replacing them (a replacement of a fixed-name
 * bucket fails once logs arrived in it, and a create-before-destroy replacement builds a second network).
 */
export async function untaint(
  stackDir: string,
  env: NodeJS.ProcessEnv,
  addresses: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  for (const address of addresses)
    await terraform(stackDir, ["untaint", "-lock-timeout=5m", address], env, signal);
}
