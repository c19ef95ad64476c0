/**
 * `npm run plan -- [env...] [--offline] [--out FILE] [--allow-destroy] [--no-review]`: synthesizes, plans
 * each environment (all of them when none is named) in parallel, writes
 * cdktf.out/stacks/<env>/plan.json, then prints the plan review of all of them.
 *
 * --offline plans without AWS: provider from the mirror, local state in the stack folder, no credentials
 * (tools/terraform.ts). Without it each stack uses its real backend and the AWS credentials in the
 * environment; a stale offline override is removed first so it can never shadow the real backend.
 *
 * Exit codes: 0 reviewed, nothing destructive; 1 synth or a terraform step failed; 2 usage error;
 * 3 the review found a destructive change (see tools/review.ts).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { initOnline } from "./deployed-state";
import { onInterrupt } from "./interrupt";
import { EXIT_USAGE, review } from "./review/review";
import { planOffline, terraform, writeCliConfig } from "./terraform";

export { prepareOnline } from "./deployed-state";

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
cdktf.out/stacks/<env>/plan.json, then prints the plan review (Markdown) of all plans.
  --offline        no AWS: provider mirror, local state in the stack folder, fake credentials
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

/** init + plan + show against the stack's own backend, with whatever AWS credentials are configured. */
async function planOnline(
  stackDir: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const env = await initOnline(stackDir, log, signal);
  await terraform(
    stackDir,
    ["plan", "-input=false", "-no-color", "-lock-timeout=5m", "-out=plan.tfplan"],
    env,
    signal,
  );
  const shown = await terraform(stackDir, ["show", "-json", "plan.tfplan"], env, signal);
  writeFileSync(join(stackDir, "plan.json"), shown.stdout);
}

/** Where the command works; tests point it at their own folders. */
export interface PlanContext {
  /** Project root (`.build/` goes here). @default process.cwd() */
  readonly root?: string;
  /** Synth output folder. @default $CDKTF_OUTDIR or "<root>/cdktf.out" */
  readonly outdir?: string;
  /** Synthesizes into outdir and returns an exit code. @default `node dist/main.js` */
  readonly synth?: () => number;
  /** Stops every Terraform gracefully when aborted (Ctrl-C, CI cancel). @default never */
  readonly signal?: AbortSignal;
}

/** Runs the whole command; returns the exit code. Markdown goes to stdout, progress to stderr. */
export async function runPlan(options: PlanOptions, context: PlanContext = {}): Promise<number> {
  const log = (line: string) => process.stderr.write(`plan: ${line}\n`);
  const root = context.root ?? process.cwd();
  const outdir = context.outdir ?? join(root, process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const synth =
    context.synth ??
    (() =>
      spawnSync(process.execPath, [join(root, "dist", "main.js")], {
        cwd: root,
        env: { ...process.env, CDKTF_OUTDIR: outdir },
        stdio: ["ignore", 2, 2],
      }).status ?? 1);
  if (synth() !== 0) {
    log("synth failed; nothing was planned");
    return EXIT_PLAN_FAILED;
  }
  const available = readdirSync(join(outdir, "stacks")).sort();
  const unknown = options.environments.filter((e) => !available.includes(e));
  if (unknown.length > 0) {
    log(`unknown environment ${unknown.join(", ")}; available: ${available.join(", ")}`);
    return EXIT_USAGE;
  }
  const environments = options.environments.length > 0 ? [...options.environments] : available;
  const cliConfig = options.offline ? writeCliConfig(join(root, ".build", "plan")) : undefined;

  const results = await Promise.all(
    environments.map(async (name) => {
      const stackDir = join(outdir, "stacks", name);
      // A plan.json from an earlier run must never be reviewed as if it were this one.
      for (const stale of ["plan.json", "plan.tfplan"]) rmSync(join(stackDir, stale), { force: true });
      const started = Date.now();
      try {
        if (cliConfig) await planOffline(stackDir, cliConfig, { validate: false, signal: context.signal });
        else await planOnline(stackDir, log, context.signal);
        log(
          `${name}: planned in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${join(stackDir, "plan.json")}`,
        );
        return { name, planFile: join(stackDir, "plan.json") };
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
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT_PLAN_FAILED;
    },
  );
}
