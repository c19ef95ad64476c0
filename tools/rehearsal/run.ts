/**
 * One deploy rehearsal of one environment against a fresh local emulator:
 * apply every emulatable resource -> verify through the AWS API -> re-plan (must be empty) -> destroy ->
 * verify nothing is left. The emulator is stopped whatever happens.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { ResolvedEnvironment } from "../../stacks/defaults";
import { assertStateReadable } from "../state-safety";
import { type PlanJson, terraform } from "../terraform";
import { emulatorClients } from "./clients";
import { type Drift, driftOf } from "./drift";
import { emptyBuckets } from "./empty-buckets";
import { type Emulator, startEmulator } from "./emulator";
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
      return await work();
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      phases.push({ name, seconds });
      log(`  ${name}: ${seconds.toFixed(1)} s`);
    }
  };

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
      startEmulator({ accountId: options.env.accountId, logFile: join(options.workDir, "moto.log") }),
    );
    const endpoint = emulator.endpoint;
    log(`  emulator: ${endpoint} (pid ${emulator.pid}), answering as account ${options.env.accountId}`);
    const { lifted } = writeWorkspace(options.workDir, stack, endpoint, endpointServices(resources));
    report = { ...report, endpoint, liftedPreventDestroy: lifted, emulatorCorrections: emulator.corrections };
    const env = emulatorEnv(options.cliConfigFile, endpoint);
    // Each command's output is kept next to the copy (init.log, apply.log, ...) for diagnosis.
    const tf = async (args: string[]) => {
      const logFile = join(options.workDir, `${args[0]}.log`);
      try {
        const result = await terraform(options.workDir, args, env, options.signal);
        if (args[0] !== "show") writeFileSync(logFile, result.stdout + result.stderr);
        return result;
      } catch (error) {
        writeFileSync(logFile, (error as Error).message);
        throw error;
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
