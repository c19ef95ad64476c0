/**
 * Running real Terraform against synthesized stacks without AWS: provider from a filesystem mirror,
 * local backend and credential-free provider settings written as an override next to cdk.tf.json.
 * Used by the test suite, `npm run plan -- --offline` and the deploy rehearsal.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { assertStateReadable } from "./state-safety";

/** Environment variable naming the folder that contains `registry.terraform.io/` (air-gapped installs). */
export const MIRROR_VARIABLE = "TF_PROVIDER_MIRROR";

/** Places a provider mirror is commonly found when TF_PROVIDER_MIRROR is not set. */
const MIRROR_CANDIDATES = [
  "/opt/tf-plugins",
  "/usr/share/terraform/plugins",
  "/usr/local/share/terraform/plugins",
];

/** The override that makes a stack plannable offline (file name sorts after cdk.tf.json). */
export const OFFLINE_OVERRIDE_FILE = "offline_override.tf.json";

export class TerraformUnavailableError extends Error {}

/** Checks that `terraform` is on PATH; throws with an install hint otherwise. */
export function terraformVersion(): string {
  try {
    // stderr is captured, not inherited: a missing ~/.terraformrc warning is noise here.
    const out = execFileSync("terraform", ["version", "-json"], {
      encoding: "utf8",
      env: terraformEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    return (JSON.parse(out) as { terraform_version: string }).terraform_version;
  } catch {
    throw new TerraformUnavailableError(
      "terraform was not found on PATH. Install Terraform >= 1.10 (e.g. `apt-get install terraform` from " +
        "HashiCorp's apt repository, or unzip the release binary into /usr/local/bin) and run again.",
    );
  }
}

/** The provider mirror folder: TF_PROVIDER_MIRROR, else a well-known location that holds hashicorp/aws. */
export function findProviderMirror(): string {
  const configured = process.env[MIRROR_VARIABLE];
  const candidates = configured ? [configured] : MIRROR_CANDIDATES;
  for (const dir of candidates) {
    if (existsSync(join(dir, "registry.terraform.io", "hashicorp", "aws"))) return resolve(dir);
  }
  throw new TerraformUnavailableError(
    configured
      ? `${MIRROR_VARIABLE}=${configured} has no registry.terraform.io/hashicorp/aws inside it.`
      : `No Terraform provider mirror found. Set ${MIRROR_VARIABLE} to the folder that contains ` +
          "registry.terraform.io/hashicorp/aws/5.100.0/<os_arch> (create one with " +
          "`terraform providers mirror <dir>` on a connected machine).",
  );
}

/** Writes a Terraform CLI config that installs providers only from the mirror; returns its path. */
export function writeCliConfig(buildDir: string, mirror: string = findProviderMirror()): string {
  mkdirSync(buildDir, { recursive: true });
  const path = join(buildDir, "terraform.rc");
  writeFileSync(
    path,
    [
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/*/*"]',
      "  }",
      "  direct {",
      '    exclude = ["registry.terraform.io/*/*"]',
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return path;
}

/** Environment for Terraform child processes: no telemetry, no prompts, optional CLI config. */
export function terraformEnv(cliConfigFile?: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    ...extra,
  };
  if (cliConfigFile) env.TF_CLI_CONFIG_FILE = cliConfigFile;
  return env;
}

/** Fake credentials: the provider is configured but never calls AWS. */
export const OFFLINE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "offline",
  AWS_SECRET_ACCESS_KEY: "offline",
} as const;

/**
 * Override for offline use: local state inside the stack folder, and a provider that skips every
 * call made while configuring. allowed_account_ids is cleared because no account is ever reached.
 */
export function offlineOverride(statePath = "terraform.tfstate"): object {
  return {
    terraform: { backend: { local: { path: statePath } } },
    provider: {
      aws: [
        {
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          allowed_account_ids: null,
        },
      ],
    },
  };
}

export function writeOfflineOverride(stackDir: string): void {
  writeFileSync(join(stackDir, OFFLINE_OVERRIDE_FILE), `${JSON.stringify(offlineOverride(), null, 2)}\n`);
}

export interface TerraformResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * How a running Terraform is stopped. Terraform leads its own process group whenever a control is given,
 * so a Ctrl-C in the terminal reaches only the caller, which decides what Terraform gets.
 */
export interface TerraformControl {
  /**
   * Graceful stop: Terraform gets exactly one SIGINT and is then waited for, however long it takes. It asks
   * its providers to stop, lets in-flight calls return and writes its state, as with one Ctrl-C in a
   * terminal. Never a second signal: Terraform takes that as "exit now" and may not write state.
   */
  readonly signal?: AbortSignal;
  /** Hard stop: Terraform and its provider plugins are killed at once (SIGKILL), as a crash or OOM would. */
  readonly kill?: AbortSignal;
}

/**
 * Runs terraform asynchronously (so stacks run in parallel); rejects with its output on failure.
 * `control` (an AbortSignal is a graceful `signal`) stops it: see TerraformControl.
 */
export function terraform(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  control?: AbortSignal | TerraformControl,
): Promise<TerraformResult> {
  const { signal, kill } =
    control instanceof AbortSignal ? { signal: control, kill: undefined } : (control ?? {});
  return new Promise((resolvePromise, reject) => {
    const child = spawn("terraform", [...args], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: signal !== undefined || kill !== undefined,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    let interrupted = false;
    const interrupt = () => {
      if (interrupted || child.pid === undefined || child.exitCode !== null) return;
      interrupted = true;
      try {
        process.kill(child.pid, "SIGINT");
      } catch {
        // already gone
      }
    };
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is already gone
      }
    };
    if (signal?.aborted) interrupt();
    else signal?.addEventListener("abort", interrupt, { once: true });
    if (kill?.aborted) killGroup();
    else kill?.addEventListener("abort", killGroup, { once: true });
    // Long -target lists would drown the error: the message shows the command's start only.
    const shown = [
      "terraform",
      ...args.slice(0, 6),
      ...(args.length > 6 ? [`... (${args.length - 6} more)`] : []),
    ];
    const command = shown.join(" ");
    child.once("error", (error) => reject(new Error(`${command} could not run: ${error.message}`)));
    child.once("close", (code, killedBy) => {
      signal?.removeEventListener("abort", interrupt);
      kill?.removeEventListener("abort", killGroup);
      const out = Buffer.concat(stdout).toString("utf8");
      const err = Buffer.concat(stderr).toString("utf8");
      if (code === 0) resolvePromise({ stdout: out, stderr: err });
      else reject(new Error(`${command} failed in ${cwd} (${killedBy ?? `exit ${code}`}):\n${err || out}`));
    });
  });
}

/** Minimal shape of `terraform show -json` output that our tools read. */
export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version: string;
  readonly planned_values?: {
    readonly root_module?: PlanModule;
    readonly outputs?: Record<string, { readonly sensitive?: boolean; readonly value?: unknown }>;
  };
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Record<string, { readonly actions: readonly string[] }>;
  readonly configuration?: unknown;
  readonly prior_state?: { readonly values?: { readonly root_module?: PlanModule } };
  readonly errored?: boolean;
}

export interface PlanModule {
  readonly resources?: readonly PlannedResource[];
  readonly child_modules?: readonly PlanModule[];
}

export interface PlannedResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
  /** In a state: its create did not finish, so the next plan replaces it. */
  readonly tainted?: boolean;
  /** In a state: an object a create-before-destroy replacement left to destroy (the address has another). */
  readonly deposed_key?: string;
}

export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly change: {
    readonly actions: readonly ("no-op" | "create" | "read" | "update" | "delete")[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
  readonly action_reason?: string;
}

/** Offline init + validate + plan + show for one synthesized stack folder; returns the plan JSON. */
export async function planOffline(
  stackDir: string,
  cliConfigFile: string,
  options: {
    readonly validate?: boolean;
    readonly extraPlanArgs?: readonly string[];
    /** Graceful stop (see TerraformControl). */
    readonly signal?: AbortSignal;
  } = {},
): Promise<PlanJson> {
  writeOfflineOverride(stackDir);
  assertStateReadable(stackDir);
  const env = terraformEnv(cliConfigFile, OFFLINE_CREDENTIALS);
  const { signal } = options;
  await terraform(stackDir, ["init", "-input=false", "-no-color", "-reconfigure"], env, signal);
  if (options.validate ?? true) await terraform(stackDir, ["validate", "-no-color"], env, signal);
  await terraform(
    stackDir,
    [
      "plan",
      "-refresh=false",
      "-input=false",
      "-no-color",
      "-lock=false",
      "-out=plan.tfplan",
      ...(options.extraPlanArgs ?? []),
    ],
    env,
    signal,
  );
  const shown = await terraform(stackDir, ["show", "-json", "plan.tfplan"], env, signal);
  writeFileSync(join(stackDir, "plan.json"), shown.stdout);
  return JSON.parse(shown.stdout) as PlanJson;
}

/** The resources of a module of `terraform show -json` output (a plan's or a state's), flattened. */
export function moduleResources(module: PlanModule | undefined): PlannedResource[] {
  return module
    ? [
        // A resource whose every value is unknown until apply has no "values" key at all.
        ...(module.resources ?? []).map((r) => ({ ...r, values: r.values ?? {} })),
        ...(module.child_modules ?? []).flatMap(moduleResources),
      ]
    : [];
}

/** All planned resources of a plan, flattened across modules. */
export function plannedResources(plan: PlanJson): PlannedResource[] {
  return moduleResources(plan.planned_values?.root_module);
}
