import { join } from "node:path";
import type { EnvironmentConfig } from "../../stacks/config";
import { type PlanJson, planOffline, terraformVersion, writeCliConfig } from "../../tools/terraform";
import { synthToDisk } from "./synth";

/**
 * One synth of `configs` and one offline init + validate + plan per stack, the stacks in parallel, under
 * .build/<buildName>. Fails with an install hint when terraform is missing: never a silent skip.
 * Returns the plans by environment name.
 */
export async function planEnvironmentsOffline(
  configs: readonly EnvironmentConfig[],
  buildName: string,
): Promise<Record<string, PlanJson>> {
  terraformVersion();
  const buildDir = join(__dirname, "..", "..", ".build", buildName);
  const cliConfig = writeCliConfig(buildDir);
  const outdir = synthToDisk(configs, join(buildDir, "out"));
  const plans = await Promise.all(configs.map((c) => planOffline(join(outdir, "stacks", c.name), cliConfig)));
  return Object.fromEntries(configs.map((c, i) => [c.name, plans[i]]));
}
