/**
 * `npm run plan -- [env...] [--offline] [--out FILE] [--allow-destroy] [--no-review]`: synthesizes, plans
 * each environment (all of them when none is named) in parallel, writes
 * cdktf.out/stacks/<env>/plan.json, then prints the plan review of all of them.
 *
 * --offline plans without AWS: provider from the mirror, no credentials, each stack planned in a copy under
 * .build/plan/offline/stacks/<env>/ with a local backend (tools/terraform.ts), so nothing offline ever lands
 * in the folders cdktf deploy/diff and plain terraform use. Without it each stack uses its real backend and
 * the AWS credentials in the environment; a stale offline override is removed first.
 *
 * A plan Terraform refuses because of lifecycle.prevent_destroy (production) is planned once more without
 * that protection for the refused resources, so the review can show what would be destroyed and why
 * (tools/review/prevent-destroy.ts); no applicable plan file is left for it.
 *
 * Exit codes: 0 reviewed, nothing destructive; 1 synth or a terraform step failed; 2 usage error;
 * 3 the review found a destructive change, or (also with --no-review) Terraform refused a plan because of
 * prevent_destroy; 4 the review found a change MSK will refuse at apply (see tools/review.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isClientStackName } from "../stacks/stack-names";
import { initOnline } from "./deployed-state";
import { onInterrupt } from "./interrupt";
import { step } from "./progress";
import {
  LIFT_OVERRIDE_FILE,
  type PlanRefusal,
  planPastRefusal,
  REFUSAL_FILE,
} from "./review/prevent-destroy";
import { EXIT_DESTRUCTIVE, EXIT_USAGE, review } from "./review/review";
import { assertStateReadable } from "./state-safety";
import { OFFLINE_CREDENTIALS, planOffline, terraform, terraformEnv, writeCliConfig } from "./terraform";

export { prepareOnline } from "./deployed-state";

export const EXIT_PLAN_FAILED = 1;

export interface PlanOptions {
  readonly environments: readonly string[];
  readonly offline: boolean;
  readonly out?: string;
  readonly allowDestroy: boolean;
  /** Do not fail on changes MSK refuses at apply (they are still reported first). @default false */
  readonly allowApplyFailure?: boolean;
  readonly review: boolean;
}

class UsageError extends Error {}

const USAGE = `usage: npm run plan -- [env...] [--offline] [--out FILE] [--allow-destroy] [--allow-apply-failure] [--no-review]

Synthesizes, runs terraform init + plan for each environment (default: all), writes
cdktf.out/stacks/<env>/plan.json (--offline: .build/plan/offline/stacks/<env>/plan.json), then prints the
plan review (Markdown) of all plans. Progress goes to stderr, the review to stdout. A name may also be one
of an environment's client stacks (<env>-client-<name>, once synthesized).
  --offline              no AWS: provider mirror, fake credentials, a local-backend copy of each stack in .build/
  --out FILE             also write the review to FILE
  --allow-destroy        do not fail on destructive changes (they are still reported first)
  --allow-apply-failure  do not fail on changes MSK refuses at apply (still reported first)
  --no-review            only write the plan files

exit 0 ok; 1 synth or terraform failed; 2 usage error; 3 destructive change in the review, or a
plan refused by prevent_destroy; 4 a change MSK will refuse at apply`;

export function parsePlanArgs(args: readonly string[]): PlanOptions | "help" {
  const environments: string[] = [];
  let offline = false;
  let out: string | undefined;
  let allowDestroy = false;
  let allowApplyFailure = false;
  let reviewPlans = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--offline") offline = true;
    else if (arg === "--allow-destroy") allowDestroy = true;
    else if (arg === "--allow-apply-failure") allowApplyFailure = true;
    else if (arg === "--no-review") reviewPlans = false;
    else if (arg === "--out") {
      out = args[++i];
      if (!out) throw new UsageError("--out needs a file name");
    } else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else environments.push(arg);
  }
  return {
    environments,
    offline,
    out,
    allowDestroy,
    ...(allowApplyFailure ? { allowApplyFailure } : {}),
    review: reviewPlans,
  };
}

/**
 * init + plan + show against the stack's own backend, with whatever AWS credentials are configured.
 * Returns the prevent_destroy refusal when Terraform refused the plan for that reason only.
 */
async function planOnline(
  stackDir: string,
  root: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<PlanRefusal | undefined> {
  assertStateReadable(stackDir); // a damaged local state stops the plan before any Terraform step starts
  const env = await step("terraform init", log, () => initOnline(stackDir, log, signal, root));
  const planArgs = ["-input=false", "-no-color", "-lock-timeout=5m"];
  try {
    await step("terraform plan", log, () =>
      terraform(stackDir, ["plan", ...planArgs, "-out=plan.tfplan"], env, signal),
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    return planPastRefusal(stackDir, error, env, planArgs, signal);
  }
  const shown = await terraform(stackDir, ["show", "-json", "plan.tfplan"], env, signal);
  writeFileSync(join(stackDir, "plan.json"), shown.stdout);
  return undefined;
}

/**
 * Offline init + plan + show in the stack's working copy; a prevent_destroy refusal (only possible against a
 * state placed next to the stack, as the tests do) is planned past as online, in the copy.
 */
async function planStackOffline(
  stackDir: string,
  workDir: string,
  cliConfig: string,
  progress: (line: string) => void,
  signal?: AbortSignal,
): Promise<PlanRefusal | undefined> {
  try {
    await planOffline(stackDir, cliConfig, { validate: false, workDir, progress, signal });
    return undefined;
  } catch (error) {
    if (signal?.aborted) throw error;
    const planArgs = ["-refresh=false", "-input=false", "-no-color", "-lock=false"];
    return planPastRefusal(workDir, error, terraformEnv(cliConfig, OFFLINE_CREDENTIALS), planArgs, signal);
  }
}

/** Where an offline plan of `environment` is made (a copy of its stack; see tools/terraform.ts). */
export function offlinePlanDir(root: string, environment: string): string {
  return join(root, ".build", "plan", "offline", "stacks", environment);
}

/** The environment names environments/ defines: its `.ts` files (read without loading them). */
export function environmentNames(environmentsDir: string): string[] {
  if (!existsSync(environmentsDir)) return [];
  return readdirSync(environmentsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -".ts".length))
    .sort();
}

/** Where the command works; tests point it at their own folders. */
export interface PlanContext {
  /** Project root (`.build/` goes here). @default process.cwd() */
  readonly root?: string;
  /** Synth output folder. @default $CDKTF_OUTDIR or "<root>/cdktf.out" */
  readonly outdir?: string;
  /** Synthesizes into outdir and returns an exit code. @default `node dist/main.js` */
  readonly synth?: () => number;
  /** The environments that exist. @default the `.ts` files of <root>/environments */
  readonly environments?: readonly string[];
  /** Stops every Terraform gracefully when aborted (Ctrl-C, CI cancel). @default never */
  readonly signal?: AbortSignal;
}

/** Runs the whole command; returns the exit code. Markdown goes to stdout, progress to stderr. */
export async function runPlan(options: PlanOptions, context: PlanContext = {}): Promise<number> {
  const log = (line: string) => process.stderr.write(`plan: ${line}\n`);
  const root = context.root ?? process.cwd();
  const outdir = context.outdir ?? join(root, process.env.CDKTF_OUTDIR ?? "cdktf.out");
  // An unknown name is refused before any synth or Terraform work.
  const known = [...(context.environments ?? environmentNames(join(root, "environments")))].sort();
  const unknown = options.environments.filter((e) => !known.some((k) => e === k || isClientStackName(e, k)));
  if (unknown.length > 0) {
    log(`unknown environment ${unknown.join(", ")}; available: ${known.join(", ")}`);
    return EXIT_USAGE;
  }
  const synth =
    context.synth ??
    (() =>
      spawnSync(process.execPath, [join(root, "dist", "main.js")], {
        cwd: root,
        env: { ...process.env, CDKTF_OUTDIR: outdir },
        // Synth's own summary goes to stderr too: stdout is the review alone.
        stdio: ["ignore", 2, 2],
      }).status ?? 1);
  log("synthesizing ...");
  if (synth() !== 0) {
    log("synth failed; nothing was planned");
    return EXIT_PLAN_FAILED;
  }
  // Every stack synth wrote: the environments' own and their client stacks (<env>-client-<name>).
  const available = readdirSync(join(outdir, "stacks")).sort();
  const missing = options.environments.filter((e) => !available.includes(e));
  if (missing.length > 0) {
    log(`no stack ${missing.join(", ")} was synthesized; stacks: ${available.join(", ")}`);
    return EXIT_USAGE;
  }
  const environments = options.environments.length > 0 ? [...options.environments] : available;
  const cliConfig = options.offline ? writeCliConfig(join(root, ".build", "plan")) : undefined;
  log(
    `planning ${environments.join(", ")}${options.offline ? " offline (copies in .build/plan/offline/)" : " against their backends"}`,
  );

  const results = await Promise.all(
    environments.map(async (name) => {
      const stackDir = join(outdir, "stacks", name);
      const workDir = cliConfig ? offlinePlanDir(root, name) : stackDir;
      // A plan.json (or refusal) from an earlier run must never be reviewed as if it were this one, and a
      // prevent_destroy lift left by an interrupted run must never reach a plan.
      for (const stale of ["plan.json", "plan.tfplan", REFUSAL_FILE, LIFT_OVERRIDE_FILE])
        rmSync(join(workDir, stale), { force: true });
      const started = Date.now();
      const progress = (line: string) => log(`${name}: ${line}`);
      try {
        const refusal = cliConfig
          ? await planStackOffline(stackDir, workDir, cliConfig, progress, context.signal)
          : await planOnline(stackDir, root, progress, context.signal);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        if (refusal) {
          log(
            `${name}: Terraform refused the plan: prevent_destroy protects ${refusal.refused.join(", ")}; ` +
              `planned again without that protection for the review only (no plan file to apply) in ${seconds} s`,
          );
        } else log(`${name}: planned in ${seconds} s -> ${join(workDir, "plan.json")}`);
        return { name, planFile: join(workDir, "plan.json"), refusal };
      } catch (error) {
        log(`${name}: FAILED\n${(error as Error).message}`);
        return { name, planFile: undefined, refusal: undefined };
      }
    }),
  );
  const planned = results.filter((r) => r.planFile !== undefined);
  const failed = results.filter((r) => r.planFile === undefined);
  let exitCode = planned.some((r) => r.refusal) ? EXIT_DESTRUCTIVE : 0;
  if (options.review && planned.length > 0) {
    const result = review({
      files: planned.map((r) => r.planFile as string),
      allowDestroy: options.allowDestroy,
      allowApplyFailure: options.allowApplyFailure,
    });
    process.stdout.write(result.markdown);
    if (options.out) writeFileSync(options.out, result.markdown);
    exitCode = result.exitCode;
    const destructive = result.reviews.reduce((n, r) => n + r.destructive.length, 0);
    log(`review of ${planned.length} plan(s): ${destructive} destructive change(s), exit ${exitCode}`);
  }
  if (failed.length > 0) {
    log(`failed: ${failed.map((f) => f.name).join(", ")}`);
    return EXIT_PLAN_FAILED;
  }
  return exitCode;
}

export async function main(args: readonly string[]): Promise<number> {
  try {
    const options = parsePlanArgs(args);
    if (options === "help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const interrupt = onInterrupt("plan", (line) => process.stderr.write(`${line}\n`));
    const code = await runPlan(options, { signal: interrupt.signal });
    return interrupt.exitCode ?? code;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`plan: ${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A failure outside Terraform (a missing mirror, an unreadable folder): the message, not a stack trace.
      process.stderr.write(`plan: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT_PLAN_FAILED;
    },
  );
}
