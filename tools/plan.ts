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
 * Exit codes: 0 reviewed, nothing destructive; 1 synth or a terraform step failed; 2 usage error;
 * 3 the review found a destructive change (see tools/review.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { step } from "./progress";
import { EXIT_USAGE, review } from "./review/review";
import {
  MIRROR_VARIABLE,
  OFFLINE_OVERRIDE_FILE,
  planOffline,
  terraform,
  terraformEnv,
  writeCliConfig,
} from "./terraform";

export const EXIT_PLAN_FAILED = 1;

export interface PlanOptions {
  readonly environments: readonly string[];
  readonly offline: boolean;
  readonly out?: string;
  readonly allowDestroy: boolean;
  readonly review: boolean;
}

class UsageError extends Error {}

const USAGE = `usage: npm run plan -- [env...] [--offline] [--out FILE] [--allow-destroy] [--no-review]

Synthesizes, runs terraform init + plan for each environment (default: all), writes
cdktf.out/stacks/<env>/plan.json (--offline: .build/plan/offline/stacks/<env>/plan.json), then prints the
plan review (Markdown) of all plans. Progress goes to stderr, the review to stdout.
  --offline        no AWS: provider mirror, fake credentials, a local-backend copy of each stack in .build/
  --out FILE       also write the review to FILE
  --allow-destroy  do not fail on destructive changes (they are still reported first)
  --no-review      only write the plan files

exit 0 ok; 1 synth or terraform failed; 2 usage error; 3 destructive change in the review`;

export function parsePlanArgs(args: readonly string[]): PlanOptions | "help" {
  const environments: string[] = [];
  let offline = false;
  let out: string | undefined;
  let allowDestroy = false;
  let reviewPlans = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--offline") offline = true;
    else if (arg === "--allow-destroy") allowDestroy = true;
    else if (arg === "--no-review") reviewPlans = false;
    else if (arg === "--out") {
      out = args[++i];
      if (!out) throw new UsageError("--out needs a file name");
    } else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else environments.push(arg);
  }
  return { environments, offline, out, allowDestroy, review: reviewPlans };
}

/** Readies a stack folder for its real backend: an offline override left behind would hijack it. */
export function prepareOnline(stackDir: string): boolean {
  const override = join(stackDir, OFFLINE_OVERRIDE_FILE);
  if (!existsSync(override)) return false;
  rmSync(override);
  return true;
}

/** init + plan + show against the stack's own backend, with whatever AWS credentials are configured. */
async function planOnline(stackDir: string, root: string, log: (line: string) => void): Promise<void> {
  if (prepareOnline(stackDir)) log(`removed the stale ${OFFLINE_OVERRIDE_FILE} from ${stackDir}`);
  // Air-gapped runners still install the provider from a mirror; everyone else uses the registry.
  const cliConfig = process.env[MIRROR_VARIABLE] ? writeCliConfig(join(root, ".build", "plan")) : undefined;
  const env = terraformEnv(cliConfig);
  // -reconfigure: never offer to migrate an offline local state into the real backend.
  await step("terraform init", log, () =>
    terraform(stackDir, ["init", "-input=false", "-no-color", "-reconfigure"], env),
  );
  await step("terraform plan", log, () =>
    terraform(stackDir, ["plan", "-input=false", "-no-color", "-lock-timeout=5m", "-out=plan.tfplan"], env),
  );
  const shown = await terraform(stackDir, ["show", "-json", "plan.tfplan"], env);
  writeFileSync(join(stackDir, "plan.json"), shown.stdout);
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
}

/** Runs the whole command; returns the exit code. Markdown goes to stdout, progress to stderr. */
export async function runPlan(options: PlanOptions, context: PlanContext = {}): Promise<number> {
  const log = (line: string) => process.stderr.write(`plan: ${line}\n`);
  const root = context.root ?? process.cwd();
  const outdir = context.outdir ?? join(root, process.env.CDKTF_OUTDIR ?? "cdktf.out");
  // An unknown name is refused before any synth or Terraform work.
  const available = [...(context.environments ?? environmentNames(join(root, "environments")))].sort();
  const unknown = options.environments.filter((e) => !available.includes(e));
  if (unknown.length > 0) {
    log(`unknown environment ${unknown.join(", ")}; available: ${available.join(", ")}`);
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
  const environments = options.environments.length > 0 ? [...options.environments] : available;
  const cliConfig = options.offline ? writeCliConfig(join(root, ".build", "plan")) : undefined;
  log(
    `planning ${environments.join(", ")}${options.offline ? " offline (copies in .build/plan/offline/)" : " against their backends"}`,
  );

  const results = await Promise.all(
    environments.map(async (name) => {
      const stackDir = join(outdir, "stacks", name);
      const workDir = cliConfig ? offlinePlanDir(root, name) : stackDir;
      // A plan.json from an earlier run must never be reviewed as if it were this one.
      for (const stale of ["plan.json", "plan.tfplan"]) rmSync(join(workDir, stale), { force: true });
      const started = Date.now();
      const progress = (line: string) => log(`${name}: ${line}`);
      try {
        if (cliConfig) await planOffline(stackDir, cliConfig, { validate: false, workDir, progress });
        else await planOnline(stackDir, root, progress);
        log(
          `${name}: planned in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${join(workDir, "plan.json")}`,
        );
        return { name, planFile: join(workDir, "plan.json") };
      } catch (error) {
        log(`${name}: FAILED\n${(error as Error).message}`);
        return { name, planFile: undefined };
      }
    }),
  );
  const planned = results.filter((r) => r.planFile !== undefined);
  const failed = results.filter((r) => r.planFile === undefined);
  let exitCode = 0;
  if (options.review && planned.length > 0) {
    const result = review({
      files: planned.map((r) => r.planFile as string),
      allowDestroy: options.allowDestroy,
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
    return await runPlan(options);
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
