// First, before cdktf loads (stacks/lazy-archiver.ts).
import "./lazy-archiver";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, type TerraformStack } from "cdktf";
import { ClientStack } from "./client-stack";
import { withoutTokenCreationStacks } from "./creation-stacks";
import type { ResolvedEnvironment } from "./defaults";
import { discoverEnvironments, type EnvironmentWarnings, loadEnvironmentsWithWarnings } from "./environments";
import { HclRenderError } from "./hcl";
import { PlatformStack } from "./platform-stack";
import { POLICY_REPORT_FILE, PolicyPack, type PolicyReport } from "./policy";
import {
  formatPolicyHeadline,
  formatPolicySummary,
  formatViolations,
  violationCount,
} from "./policy/summary";
import { clientStacksOf } from "./stack-names";
import { synthesizeAtomically } from "./synth";
import { SYNTH_WARNINGS_FILE, type SynthWarningsReport } from "./synth-warnings";
import { EnvironmentValidationError, formatWarning } from "./validation";
import { todayUtc } from "./validation/kafka-versions";

/** Inputs of a synth beyond the environments themselves. */
export interface SynthOptions {
  /** The date the date-dependent checks use, YYYY-MM-DD. @default today (UTC) */
  readonly today?: string;
}

/** Builds one environment's stack in the app. */
export type StackFactory = (app: App, env: ResolvedEnvironment) => PlatformStack;

/**
 * Every stack of one environment: its own, then one client stack per client VPC once the cluster is shared
 * (stacks/stack-names.ts). Tests build environments exactly this way.
 */
export function buildEnvironmentStacks(
  app: App,
  env: ResolvedEnvironment,
  createStack: StackFactory = (a, e) => new PlatformStack(a, e),
): TerraformStack[] {
  return [createStack(app, env), ...clientStacksOf(env).map((client) => new ClientStack(app, env, client))];
}

/** Client VPCs declared but waiting for step 2 (sharing.clusterArn), to say so after synth. */
function pendingClientStacks(environments: readonly ResolvedEnvironment[]): string[] {
  return environments
    .filter((env) => env.cluster.type === "provisioned" && env.sharing.clusterArn === undefined)
    .flatMap((env) => env.sharing.clientVpcs.map((client) => client.stackName));
}

/**
 * Where synth's messages go: `level` is "error" for a failure (main.ts writes those to stderr, everything
 * else to stdout, because the cdktf CLI shows an app's stderr as `[ERROR]`).
 */
export type SynthLog = (line: string, level?: "error") => void;

/** The full list of excepted policy findings, written next to the stacks on every successful synth. */
export const POLICY_EXCEPTIONS_FILE = "policy-exceptions.txt";

/**
 * Validates every environment in `environmentsDir`, then synthesizes one stack per environment into
 * `outdir`. Returns the process exit code; when any environment is invalid or any stack violates a
 * guardrail, nothing is written. `sourceDir` names the `.ts` sources when `environmentsDir` holds
 * compiled files (see discoverEnvironments).
 */
export function synthesizeAll(
  environmentsDir: string,
  outdir: string,
  log: SynthLog = console.log,
  sourceDir?: string,
  options: SynthOptions = {},
): number {
  try {
    const today = options.today ?? todayUtc();
    const files = discoverEnvironments(environmentsDir, sourceDir);
    const { environments, warnings } = loadEnvironmentsWithWarnings(files, { today });
    return synthesizeEnvironments(environments, outdir, log, undefined, { warnings, today });
  } catch (error) {
    if (error instanceof EnvironmentValidationError) {
      log(`${error.message}\nNothing was synthesized.`, "error");
      return 1;
    }
    throw error;
  }
}

/**
 * Synthesizes validated environments with the policy pack enforced: every violation of every stack is
 * printed together and nothing is written; otherwise each stack folder also gets its policy-report.json
 * and synth-warnings.json, the excepted findings are listed in `<outdir>/policy-exceptions.txt`, one
 * summary line is printed and then the warnings (they never fail the synth).
 */
export function synthesizeEnvironments(
  environments: readonly ResolvedEnvironment[],
  outdir: string,
  log: SynthLog = console.log,
  createStack: StackFactory = (app, env) => new PlatformStack(app, env),
  extras: { readonly warnings?: readonly EnvironmentWarnings[]; readonly today?: string } = {},
): number {
  const today = extras.today ?? todayUtc();
  const warningsOf = (name: string) => extras.warnings?.find((w) => w.environment === name);
  const stacks: TerraformStack[] = [];
  const evaluated = () =>
    stacks.map((stack) => {
      const pack = PolicyPack.of(stack);
      if (pack?.report === undefined) throw new Error(`stack ${stack.node.id} has no evaluated policy pack`);
      return { environment: stack.node.id, pack, report: pack.report };
    });
  let reports: PolicyReport[] = [];
  const removed: string[] = [];
  let written: boolean;
  try {
    // Building and synthesizing the stacks is where cdktf creates its tokens (stacks/creation-stacks.ts).
    written = withoutTokenCreationStacks(() =>
      synthesizeAtomically(
        (stagingDir) => {
          const app = new App({ outdir: stagingDir });
          for (const env of environments) stacks.push(...buildEnvironmentStacks(app, env, createStack));
          return app;
        },
        outdir,
        (stagingDir) => {
          reports = evaluated().map((e) => e.report);
          if (violationCount(reports) > 0) return false;
          for (const report of reports) {
            writeFileSync(
              join(stagingDir, "stacks", report.environment, POLICY_REPORT_FILE),
              `${JSON.stringify(report, null, 2)}\n`,
            );
          }
          writeFileSync(
            join(stagingDir, POLICY_EXCEPTIONS_FILE),
            `${formatPolicySummary(reports, declared())}\n`,
          );
          for (const env of environments) {
            const found = warningsOf(env.name);
            const report: SynthWarningsReport = {
              environment: env.name,
              file: found?.file ?? `environments/${env.name}.ts`,
              today,
              warnings: found?.warnings ?? [],
            };
            writeFileSync(
              join(stagingDir, "stacks", env.name, SYNTH_WARNINGS_FILE),
              `${JSON.stringify(report, null, 2)}\n`,
            );
          }
          return true;
        },
        (path) => removed.push(path),
      ),
    );
  } catch (error) {
    if (error instanceof HclRenderError) {
      log(`Cannot write this stack as HCL: ${error.message}\nNothing was synthesized.`, "error");
      return 1;
    }
    throw error;
  }
  if (!written) {
    log(`${formatViolations(reports)}\nNothing was synthesized.`, "error");
    return 1;
  }
  for (const path of removed) log(`Removed ${path}: synth did not write it (a deploy must not load it)`);
  log(`Synthesized ${stacks.map((s) => s.node.id).join(", ")} into ${outdir}/stacks/`);
  const pending = pendingClientStacks(environments);
  if (pending.length > 0) {
    log(
      `Not yet synthesized: ${pending.join(", ")}; they follow once the cluster exists and its ARN is in ` +
        "sharing.clusterArn (README, Share the cluster).",
    );
  }
  log(formatPolicyHeadline(reports, declared(), join(outdir, POLICY_EXCEPTIONS_FILE)));
  const warnings = (extras.warnings ?? []).flatMap((w) => w.warnings.map((x) => formatWarning(w.file, x)));
  if (warnings.length > 0) {
    log(
      `Warnings (${warnings.length}), synthesized anyway; the plan review repeats them:\n  ${warnings.join("\n  ")}`,
    );
  }
  return 0;

  function declared() {
    return evaluated().map((e) => ({ environment: e.environment, declared: e.pack.exceptions }));
  }
}
