/**
 * A synthesized stack folder readied for its real backend, and the state deployed there: what `npm run
 * plan`, `npm run recover` and `npm run audit` share. The local state is checked before Terraform reads it
 * (tools/state-safety.ts); a stale offline override is removed so it can never shadow the real backend.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type AppliedState, appliedResources, type StateJson } from "./rehearsal/state";
import { assertStateReadable } from "./state-safety";
import { MIRROR_VARIABLE, OFFLINE_OVERRIDE_FILE, terraform, terraformEnv, writeCliConfig } from "./terraform";

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
): Promise<NodeJS.ProcessEnv> {
  if (prepareOnline(stackDir)) log(`removed the stale ${OFFLINE_OVERRIDE_FILE} from ${stackDir}`);
  assertStateReadable(stackDir);
  // Air-gapped runners still install the provider from a mirror; everyone else uses the registry.
  const cliConfig = process.env[MIRROR_VARIABLE] ? writeCliConfig(join(".build", "plan")) : undefined;
  const env = terraformEnv(cliConfig);
  // -reconfigure: never offer to migrate an offline local state into the real backend.
  await terraform(stackDir, ["init", "-input=false", "-no-color", "-reconfigure"], env, signal);
  return env;
}

/** The deployed state of an initialised stack folder, by address (empty when nothing is deployed). */
export async function showState(
  stackDir: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<AppliedState> {
  const shown = await terraform(stackDir, ["show", "-json", "-no-color"], env, signal);
  return appliedResources(JSON.parse(shown.stdout || "{}") as StateJson);
}
