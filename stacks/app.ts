import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import type { ResolvedEnvironment } from "./defaults";
import { discoverEnvironments, loadEnvironments } from "./environments";
import { HclRenderError } from "./hcl";
import { PlatformStack } from "./platform-stack";
import { POLICY_REPORT_FILE, PolicyPack, type PolicyReport } from "./policy";
import {
  formatPolicyHeadline,
  formatPolicySummary,
  formatViolations,
  violationCount,
} from "./policy/summary";
import { synthesizeAtomically } from "./synth";
import { EnvironmentValidationError } from "./validation";

/** Builds one environment's stack in the app. */
export type StackFactory = (app: App, env: ResolvedEnvironment) => PlatformStack;

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
): number {
  try {
    const files = discoverEnvironments(environmentsDir, sourceDir);
    return synthesizeEnvironments(loadEnvironments(files), outdir, log);
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
 * printed together and nothing is written; otherwise each stack folder also gets its policy-report.json,
 * the excepted findings are listed in `<outdir>/policy-exceptions.txt` and one summary line is printed.
 */
export function synthesizeEnvironments(
  environments: readonly ResolvedEnvironment[],
  outdir: string,
  log: SynthLog = console.log,
  createStack: StackFactory = (app, env) => new PlatformStack(app, env),
): number {
  const stacks: PlatformStack[] = [];
  const evaluated = () =>
    stacks.map((stack) => {
      const pack = PolicyPack.of(stack);
      if (pack?.report === undefined) throw new Error(`stack ${stack.node.id} has no evaluated policy pack`);
      return { environment: stack.env.name, pack, report: pack.report };
    });
  let reports: PolicyReport[] = [];
  const removed: string[] = [];
  let written: boolean;
  try {
    written = synthesizeAtomically(
      (stagingDir) => {
        const app = new App({ outdir: stagingDir });
        for (const env of environments) stacks.push(createStack(app, env));
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
        return true;
      },
      (path) => removed.push(path),
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
  log(`Synthesized ${environments.map((e) => e.name).join(", ")} into ${outdir}/stacks/`);
  log(formatPolicyHeadline(reports, declared(), join(outdir, POLICY_EXCEPTIONS_FILE)));
  return 0;

  function declared() {
    return evaluated().map((e) => ({ environment: e.environment, declared: e.pack.exceptions }));
  }
}
