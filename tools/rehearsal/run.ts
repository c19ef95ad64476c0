/**
 * One deploy rehearsal of one environment against a fresh local emulator:
 * apply every emulatable resource -> verify through the AWS API -> re-plan (must be empty) -> destroy ->
 * verify nothing is left. The emulator is stopped whatever happens.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { ResolvedEnvironment } from "../../stacks/defaults";
import { step as progressStep } from "../progress";
import { assertStateReadable } from "../state-safety";
import { type PlanJson, TerraformError, terraform } from "../terraform";
import { emulatorClients } from "./clients";
import { type Drift, driftOf } from "./drift";
import { emptyBuckets } from "./empty-buckets";
import { type Emulator, startEmulator } from "./emulator";
import { functionCodeObjects, seedFunctionCode } from "./function-code";
import { type Inventory, inventory, leftovers } from "./inventory";
import {
  block,
  type Exclusion,
  endpointServices,
  type StackJson,
  selectTargets,
  stackResources,
} from "./stack";
import { appliedResources, type StateJson } from "./state";
import { type VerificationResult, verifyApplied } from "./verify";
import { emulatorEnv, resetWorkspace, writeWorkspace } from "./workspace";

const autoApprove = ["-auto-approve", "-input=false", "-no-color"];

/** Terraform commands the rehearsal runs. */
export type TerraformCommand = "init" | "apply" | "plan" | "show" | "destroy";

/**
 * The longest each Terraform command may run, in seconds; then it is stopped and the step fails naming
 * what Terraform was still working on and the emulator's last error. Terraform's own waits are far longer
 * (it retries a DeleteVpc refused with DependencyViolation for about 20 minutes), so the bound is ours.
 * The figures leave several times the durations measured on a busy 2-core machine.
 */
export const STEP_BOUNDS: Readonly<Record<TerraformCommand, number>> = {
  init: 300,
  apply: 900,
  plan: 600,
  show: 180,
  destroy: 900,
};

/** Resources Terraform had started on and not finished, from its output ("x: Still destroying... [..]"). */
export function inProgress(output: string): string[] {
  const started = new Map<string, string>();
  for (const line of output.split("\n")) {
    const begun =
      /^(\S+): (Creating|Destroying|Modifying|Still creating|Still destroying|Still modifying)\.\.\.(?: \[(.*)\])?/.exec(
        line.trim(),
      );
    if (begun) {
      const action = begun[2].replace(/^Still /, "").toLowerCase();
      const elapsedText = /(\d+m)?\d+s elapsed/.exec(begun[3] ?? "")?.[0];
      started.set(begun[1], elapsedText ? `${action}, ${elapsedText}` : action);
      continue;
    }
    const done = /^(\S+): (Creation|Destruction|Modifications) complete/.exec(line.trim());
    if (done) started.delete(done[1]);
  }
  return [...started].map(([address, state]) => `${address} (${state})`);
}

/**
 * The emulator's last error answer, from its log (tools/rehearsal/moto/error_log.py). moto's own request
 * log is written from many threads, so a marker may follow part of another line: read from the marker on.
 */
export function lastEmulatorError(motoLog: string): string | undefined {
  if (!existsSync(motoLog)) return undefined;
  const marker = "[rehearsal-error] ";
  const lines = readFileSync(motoLog, "utf8")
    .split("\n")
    .filter((l) => l.includes(marker));
  const last = lines.at(-1);
  return last?.slice(last.indexOf(marker) + marker.length);
}

export interface RehearsalOptions {
  /** The environment the stack was synthesized from (account, region, network). */
  readonly env: ResolvedEnvironment;
  /** The synthesized cdk.tf.json; read, never modified. */
  readonly stackFile: string;
  /** Working folder for the copy, its state, Terraform's logs and the emulator's (moto.log). */
  readonly workDir: string;
  /** Terraform CLI config that installs the provider from the mirror (see tools/terraform.ts). */
  readonly cliConfigFile: string;
  /** Progress lines. @default nothing */
  readonly log?: (line: string) => void;
  /** Aborting it (Ctrl-C) stops Terraform, skips the remaining steps and stops the emulator. */
  readonly signal?: AbortSignal;
  /** Bounds per Terraform command, in seconds. @default STEP_BOUNDS */
  readonly stepBounds?: Partial<Record<TerraformCommand, number>>;
}

/** A phase of the rehearsal and how long it took. */
export interface Phase {
  readonly name: string;
  readonly seconds: number;
}

export interface RehearsalReport {
  readonly env: string;
  readonly endpoint?: string;
  /** Resources applied (the -target list). */
  readonly targets: readonly string[];
  /** Resources left out, with the reason. */
  readonly excluded: readonly Exclusion[];
  /** Corrections applied to the emulator where it differs from AWS (see tools/rehearsal/moto/). */
  readonly emulatorCorrections: readonly string[];
  /** Resources whose prevent_destroy was lifted in the rehearsal copy. */
  readonly liftedPreventDestroy: readonly string[];
  /** Placeholder deployment packages put into the emulator for functions whose code lives outside the stack. */
  readonly seededObjects?: readonly string[];
  readonly phases: readonly Phase[];
  /** Whether `terraform apply` succeeded. */
  readonly applied: boolean;
  readonly verification?: VerificationResult;
  /** Changes the second plan wanted (each a perpetual-diff bug). */
  readonly drift?: readonly Drift[];
  /** Whether `terraform destroy` succeeded and the state is empty. */
  readonly destroyed: boolean;
  /** What the emulator still holds after destroy, beyond its pristine state. */
  readonly leftovers?: readonly string[];
  /** Deletions AWS only schedules (KMS keys, secrets), which is what a real destroy leaves too. */
  readonly scheduledDeletions?: readonly string[];
  /** Errors that stopped a phase (apply/plan/destroy output, emulator failures). */
  readonly errors: readonly string[];
  /** Everything passed. */
  readonly ok: boolean;
}

export async function rehearse(options: RehearsalOptions): Promise<RehearsalReport> {
  const log = options.log ?? (() => {});
  const stack = JSON.parse(readFileSync(options.stackFile, "utf8")) as StackJson;
  const resources = stackResources(stack);
  const { targets, excluded } = selectTargets(resources);
  const targetArgs = targets.map((t) => `-target=${t}`);
  const defaultTags = (block(block(stack.provider?.aws)?.default_tags)?.tags ?? {}) as Record<string, string>;
  const scalingNamespaces = [
    ...new Set([
      "kafka",
      ...resources
        .filter((r) => r.type === "aws_appautoscaling_target")
        .map((r) => String(r.config.service_namespace)),
    ]),
  ];
  const phases: Phase[] = [];
  const errors: string[] = [];
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = process.hrtime.bigint();
    try {
      return await progressStep(`  ${name}`, log, work);
    } finally {
      phases.push({ name, seconds: Number(process.hrtime.bigint() - start) / 1e9 });
    }
  };
  const bounds = { ...STEP_BOUNDS, ...options.stepBounds };
  const motoLog = join(options.workDir, "moto.log");

  log(`Rehearsal of ${options.env.name}: ${targets.length} resources to apply, ${excluded.length} left out.`);
  let emulator: Emulator | undefined;
  let report: Omit<RehearsalReport, "ok" | "phases" | "errors"> = {
    env: options.env.name,
    targets,
    excluded,
    liftedPreventDestroy: [],
    emulatorCorrections: [],
    applied: false,
    destroyed: false,
  };
  try {
    resetWorkspace(options.workDir);
    emulator = await timed("start emulator", () =>
      startEmulator({ accountId: options.env.accountId, logFile: motoLog }),
    );
    const endpoint = emulator.endpoint;
    log(`  emulator: ${endpoint} (pid ${emulator.pid}), answering as account ${options.env.accountId}`);
    const { lifted } = writeWorkspace(options.workDir, stack, endpoint, endpointServices(resources));
    report = { ...report, endpoint, liftedPreventDestroy: lifted, emulatorCorrections: emulator.corrections };
    const env = emulatorEnv(options.cliConfigFile, endpoint);
    // Each command's output is kept next to the copy (init.log, apply.log, ...) for diagnosis. Each command
    // is bounded: past its bound it is stopped, and the error says what was still in progress and what the
    // emulator last refused.
    const tf = async (args: string[]) => {
      const command = args[0] as TerraformCommand;
      const logFile = join(options.workDir, `${command}.log`);
      const bound = bounds[command];
      const overrun = new AbortController();
      // Past its bound a step gets one interrupt (as Ctrl-C would); one that ignores it for 30 s more is
      // killed: the rehearsal's state is a throwaway copy against the emulator.
      const kill = new AbortController();
      const timer = setTimeout(() => overrun.abort(), bound * 1000);
      const killTimer = setTimeout(() => kill.abort(), (bound + 30) * 1000);
      const signal = options.signal ? AbortSignal.any([options.signal, overrun.signal]) : overrun.signal;
      try {
        const result = await terraform(options.workDir, args, env, { signal, kill: kill.signal });
        if (command !== "show") writeFileSync(logFile, result.stdout + result.stderr);
        return result;
      } catch (error) {
        const output = error instanceof TerraformError ? error.stdout + error.stderr : "";
        writeFileSync(logFile, output || (error as Error).message);
        const emulatorError = lastEmulatorError(motoLog);
        const lastError = `the emulator's last error: ${emulatorError ?? "none"}`;
        if (overrun.signal.aborted) {
          const pending = inProgress(output);
          throw new Error(
            `terraform ${command} did not finish within its bound of ${bound} s and was stopped; ` +
              `still in progress: ${pending.length > 0 ? pending.join(", ") : "nothing reported"}; ${lastError} ` +
              `(Terraform's output: ${logFile})`,
          );
        }
        throw new Error(`${(error as Error).message}\n(${lastError})`);
      } finally {
        clearTimeout(timer);
        clearTimeout(killTimer);
      }
    };
    const showState = async () =>
      appliedResources(JSON.parse((await tf(["show", "-json"])).stdout) as StateJson);
    /** Runs one step, recording its failure; every step is skipped once the rehearsal is interrupted. */
    const step = async (name: string, work: () => Promise<unknown>): Promise<boolean> => {
      if (options.signal?.aborted) {
        errors.push(`${name} skipped: interrupted`);
        return false;
      }
      try {
        await timed(name, work);
        return true;
      } catch (error) {
        errors.push(`${name} failed: ${(error as Error).message}`);
        return false;
      }
    };

    const clients = emulatorClients(endpoint, options.env.region);
    try {
      let pristine: Inventory | undefined;
      const ready = await step("terraform init", async () => {
        // The provider's allowed_account_ids check relies on this; say so plainly if it does not hold.
        const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
        if (identity.Account !== options.env.accountId)
          throw new Error(
            `the emulator answers as account ${identity.Account}, not ${options.env.accountId}`,
          );
        await tf(["init", "-input=false", "-no-color", "-reconfigure"]);
        // Packages the functions name but the stack does not hold; part of the pristine inventory.
        const code = functionCodeObjects(resources).filter((o) => targets.includes(o.address));
        const seededObjects = await seedFunctionCode(clients.s3, code, options.env.region);
        report = { ...report, seededObjects };
        pristine = await inventory(clients, scalingNamespaces);
      });
      if (!ready || !pristine) return finish();
      if (!(await step("terraform apply", () => tf(["apply", ...autoApprove, ...targetArgs]))))
        return finish();
      report = { ...report, applied: true };

      await step("verify through the AWS API", async () => {
        const verification = await verifyApplied({
          resources,
          targets,
          state: await showState(),
          clients,
          env: options.env,
          defaultTags,
        });
        report = { ...report, verification };
      });

      await step("re-plan", async () => {
        assertStateReadable(options.workDir);
        await tf(["plan", "-input=false", "-no-color", "-out=replan.tfplan", ...targetArgs]);
        const replan = JSON.parse((await tf(["show", "-json", "replan.tfplan"])).stdout) as PlanJson;
        writeFileSync(join(options.workDir, "replan.json"), JSON.stringify(replan, null, 2));
        report = { ...report, drift: driftOf(replan) };
      });

      await step("terraform destroy", async () => {
        assertStateReadable(options.workDir);
        // S3 delivers access logs while anything touches the sink bucket, the destroy included: stop
        // logging first, then empty the buckets (never force_destroy), then destroy the rest. The
        // bucket policies go first too: their TLS-only deny matches the emulator's plain-HTTP endpoint.
        const first = targets.filter(
          (t) => t.startsWith("aws_s3_bucket_logging.") || t.startsWith("aws_s3_bucket_policy."),
        );
        if (first.length > 0) await tf(["destroy", ...autoApprove, ...first.map((t) => `-target=${t}`)]);
        await emptyBuckets(clients.s3, await showState());
        await tf(["destroy", ...autoApprove, ...targetArgs]);
        const remaining = [...(await showState()).keys()];
        if (remaining.length > 0) throw new Error(`the state still holds ${remaining.join(", ")}`);
        report = { ...report, destroyed: true };
      });
      if (!options.signal?.aborted) {
        const left = leftovers(pristine, await inventory(clients, scalingNamespaces));
        report = { ...report, leftovers: left.remaining, scheduledDeletions: left.scheduled };
      }
    } finally {
      clients.destroy();
    }
  } catch (error) {
    errors.push((error as Error).message);
  } finally {
    await emulator?.stop();
  }
  return finish();

  function finish(): RehearsalReport {
    const verification = report.verification;
    const ok =
      errors.length === 0 &&
      report.applied &&
      verification !== undefined &&
      verification.failures.length === 0 &&
      report.drift !== undefined &&
      report.drift.length === 0 &&
      report.destroyed &&
      report.leftovers !== undefined &&
      report.leftovers.length === 0;
    return { ...report, phases, errors, ok };
  }
}
