import { join } from "node:path";
import type { EnvironmentConfig } from "../../stacks/config";
import { resolveEnvironment } from "../../stacks/defaults";
import { stackNamesOf } from "../../stacks/stack-names";
import { type PlanJson, planOffline, terraformVersion, writeCliConfig } from "../../tools/terraform";
import { synthToDisk } from "./synth";

/**
 * One synth of `configs` and one offline init + validate + plan per stack (client stacks included), the
 * stacks in parallel, under .build/<buildName>. Fails with an install hint when terraform is missing: never
 * a silent skip. Returns the plans by stack name (an environment's own stack is named after it).
 */
export async function planEnvironmentsOffline(
  configs: readonly EnvironmentConfig[],
  buildName: string,
): Promise<Record<string, PlanJson>> {
  terraformVersion();
  const buildDir = join(__dirname, "..", "..", ".build", buildName);
  const cliConfig = writeCliConfig(buildDir);
  const outdir = synthToDisk(configs, join(buildDir, "out"));
  const names = configs.flatMap((c) => stackNamesOf(resolveEnvironment(c)));
  const plans = await Promise.all(names.map((name) => planOffline(join(outdir, "stacks", name), cliConfig)));
  return Object.fromEntries(names.map((name, i) => [name, plans[i]]));
}
