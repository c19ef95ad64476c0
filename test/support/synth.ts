import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { buildEnvironmentStacks } from "../../stacks/app";
import type { EnvironmentConfig } from "../../stacks/config";
import { resolveEnvironment } from "../../stacks/defaults";
import { discoverEnvironments } from "../../stacks/environments";
import { PlatformStack } from "../../stacks/platform-stack";
import { EnvironmentValidationError, validateEnvironment } from "../../stacks/validation";

/**
 * The folder every suite reads its environments from: environments/ is the only list of them.
 * MSK_ENVIRONMENTS_DIR points the suites at another folder (test/terraform-new-environment.test.ts runs a
 * suite on a copy with one more environment).
 */
export const ENVIRONMENTS_DIR =
  process.env.MSK_ENVIRONMENTS_DIR ?? join(__dirname, "..", "..", "environments");

/** The environments of a folder, by name, in file-name order (as `npm run synth` finds them). */
export function environmentsIn(directory: string): Readonly<Record<string, EnvironmentConfig>> {
  return Object.fromEntries(discoverEnvironments(directory).map(({ config }) => [config.name, config]));
}

/** The real environments, by name: whatever environments/ holds, so a new file is tested everywhere. */
export const ENVIRONMENTS = environmentsIn(ENVIRONMENTS_DIR);

/** Synthesized Terraform JSON of one stack. */
export interface TerraformJson {
  readonly terraform: {
    readonly backend?: Record<string, Record<string, unknown>>;
    readonly required_providers?: unknown;
  };
  readonly provider: { readonly aws: readonly Record<string, unknown>[] };
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<
    string,
    { readonly value: unknown; readonly description?: string; readonly sensitive?: boolean }
  >;
}

/** Builds the stack for a config exactly as main.ts does (validate, resolve, construct). */
export function buildStack(config: EnvironmentConfig, app: App = Testing.app()): PlatformStack {
  const issues = validateEnvironment(config);
  if (issues.length > 0)
    throw new EnvironmentValidationError([{ file: `environments/${config.name}.ts`, issues }]);
  return new PlatformStack(app, resolveEnvironment(config));
}

/** Validates a config exactly as main.ts does; throws the error a user would see. */
function validated(config: EnvironmentConfig): EnvironmentConfig {
  const issues = validateEnvironment(config);
  if (issues.length > 0)
    throw new EnvironmentValidationError([{ file: `environments/${config.name}.ts`, issues }]);
  return config;
}

/** Every stack of one environment (its own and its client stacks), synthesized in memory, by stack name. */
export function synthStacks(config: EnvironmentConfig): Record<string, TerraformJson> {
  const stacks = buildEnvironmentStacks(Testing.app(), resolveEnvironment(validated(config)));
  return Object.fromEntries(
    stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack)) as TerraformJson]),
  );
}

/** Synthesizes one environment in memory and returns its Terraform JSON. */
export function synthJson(config: EnvironmentConfig): TerraformJson {
  return JSON.parse(Testing.synth(buildStack(config))) as TerraformJson;
}

/**
 * Synthesizes environments to disk, as `npm run synth` would (`hcl`: as `cdktf synth --hcl` would, cdk.tf);
 * returns the output folder.
 */
export function synthToDisk(
  configs: readonly EnvironmentConfig[],
  outdir = mkdtempSync(join(tmpdir(), "msk-synth-")),
  options: { readonly hcl?: boolean } = {},
): string {
  // cdktf reads the flavour from SYNTH_HCL_OUTPUT when a stack is constructed (as `cdktf synth --hcl` sets it).
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = options.hcl ? "true" : "false";
  try {
    const app = new App({ outdir, hclOutput: options.hcl ?? false });
    for (const config of configs) buildEnvironmentStacks(app, resolveEnvironment(validated(config)));
    app.synth();
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  return outdir;
}

/** Resources of one type: Terraform name -> config. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource[type] ?? {};
}

/** The single resource of a type; fails the test when there is not exactly one. */
export function onlyResource(json: TerraformJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * An environment copied under another name: a new cluster, which does not exist yet, so sharing starts at
 * step 1 (no sharing.clusterArn; validation refuses another environment's cluster ARN).
 */
export function asNewEnvironment(config: EnvironmentConfig, name: string): EnvironmentConfig {
  return {
    ...config,
    name,
    sharing: config.sharing && { ...config.sharing, clusterArn: undefined },
  };
}

/** A copy of a config with some fields replaced (deep enough for tests). */
export function withChanges(
  config: EnvironmentConfig,
  changes: Partial<EnvironmentConfig>,
): EnvironmentConfig {
  return { ...config, ...changes };
}

/**
 * Copies environment files (default: all of environments/) into `targetDir`, pointing their import of the
 * config type back at this repository; `edit` may change a file's text. Returns `targetDir`.
 */
export function copyEnvironments(
  targetDir: string,
  files: readonly string[] = readdirSync(ENVIRONMENTS_DIR).filter((f) => f.endsWith(".ts")),
): string {
  mkdirSync(targetDir, { recursive: true });
  for (const file of files)
    writeEnvironment(targetDir, file, readFileSync(join(ENVIRONMENTS_DIR, file), "utf8"));
  return targetDir;
}

/** Writes an environment file's text into `targetDir`, its config-type import pointed at this repository. */
export function writeEnvironment(targetDir: string, file: string, text: string): void {
  const config = JSON.stringify(join(__dirname, "..", "..", "stacks", "config"));
  writeFileSync(join(targetDir, file), text.replace('"../stacks/config"', config));
}
