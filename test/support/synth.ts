import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import dev from "../../environments/dev";
import prod from "../../environments/prod";
import staging from "../../environments/staging";
import { buildEnvironmentStacks } from "../../stacks/app";
import type { EnvironmentConfig } from "../../stacks/config";
import { resolveEnvironment } from "../../stacks/defaults";
import { PlatformStack } from "../../stacks/platform-stack";
import { EnvironmentValidationError, validateEnvironment } from "../../stacks/validation";

/** The real environments, by name. */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentConfig>> = { dev, staging, prod };

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

/** Synthesizes environments to disk, as `npm run synth` would; returns the output folder. */
export function synthToDisk(
  configs: readonly EnvironmentConfig[],
  outdir = mkdtempSync(join(tmpdir(), "msk-synth-")),
): string {
  const app = new App({ outdir });
  for (const config of configs) buildEnvironmentStacks(app, resolveEnvironment(validated(config)));
  app.synth();
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
