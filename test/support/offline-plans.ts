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
  options: { readonly hcl?: boolean } = {},
): Promise<Record<string, PlanJson>> {
  terraformVersion();
  const buildDir = join(__dirname, "..", "..", ".build", buildName);
  const cliConfig = writeCliConfig(buildDir);
  const outdir = synthToDisk(configs, join(buildDir, "out"), options);
  // Progress straight to stderr: jest would show console output only after the suite.
  const progress = (name: string) => (line: string) =>
    process.stderr.write(`${buildName} ${name}${options.hcl ? " (HCL)" : ""}: ${line}\n`);
  const plans = await Promise.all(
    configs.map((c) =>
      planOffline(join(outdir, "stacks", c.name), cliConfig, { progress: progress(c.name) }),
    ),
  );
  return Object.fromEntries(configs.map((c, i) => [c.name, plans[i]]));
}

/** The folder planEnvironmentsOffline synthesized `environment` into. */
export function offlineStackDir(buildName: string, environment: string): string {
  return join(__dirname, "..", "..", ".build", buildName, "out", "stacks", environment);
}
