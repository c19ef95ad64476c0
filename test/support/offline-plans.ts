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
  options: { readonly hcl?: boolean } = {},
): Promise<Record<string, PlanJson>> {
  terraformVersion();
  const buildDir = join(__dirname, "..", "..", ".build", buildName);
  const cliConfig = writeCliConfig(buildDir);
  const outdir = synthToDisk(configs, join(buildDir, "out"), options);
  const names = configs.flatMap((c) => stackNamesOf(resolveEnvironment(c)));
  // Progress straight to stderr: jest would show console output only after the suite.
  const progress = (name: string) => (line: string) =>
    process.stderr.write(`${buildName} ${name}${options.hcl ? " (HCL)" : ""}: ${line}\n`);
  const plans = await Promise.all(
    names.map((name) => planOffline(join(outdir, "stacks", name), cliConfig, { progress: progress(name) })),
  );
  return Object.fromEntries(names.map((name, i) => [name, plans[i]]));
}

/** The folder planEnvironmentsOffline synthesized `environment` into. */
export function offlineStackDir(buildName: string, environment: string): string {
  return join(__dirname, "..", "..", ".build", buildName, "out", "stacks", environment);
}
