/**
 * Running real Terraform against synthesized stacks without AWS: provider from a filesystem mirror,
 * local backend and credential-free provider settings written as an override into a working copy of the
 * stack (never into cdktf.out, where deploys run). Used by the test suite, `npm run plan -- --offline` and
 * the deploy rehearsal.
 */
import { execFileSync, spawn } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type ProgressLog, step } from "./progress";
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

/**
 * Writes a Terraform CLI config that installs providers only from the mirror; returns its path.
 * The config also names a plugin cache next to it whose entries are symlinks to the mirror's packages,
 * so `terraform init` links the provider (700 MB for hashicorp/aws) instead of copying it into every
 * working directory. The lock file then records the package's local hash (h1), which is all an offline
 * mirror can offer anyway.
 */
export function writeCliConfig(buildDir: string, mirror: string = findProviderMirror()): string {
  mkdirSync(buildDir, { recursive: true });
  const cache = join(buildDir, "plugin-cache");
  linkMirrorPackages(mirror, cache);
  const path = join(buildDir, "terraform.rc");
  writeFileSync(
    path,
    [
      `plugin_cache_dir = ${JSON.stringify(cache)}`,
      "plugin_cache_may_break_dependency_lock_file = true",
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

/** Mirrors the unpacked layout `<host>/<namespace>/<type>/<version>/<os_arch>` as symlinks under `cache`. */
function linkMirrorPackages(mirror: string, cache: string): void {
  const below = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() || e.isSymbolicLink())
      : [];
  for (const host of below(mirror))
    for (const namespace of below(join(mirror, host.name)))
      for (const type of below(join(mirror, host.name, namespace.name)))
        for (const version of below(join(mirror, host.name, namespace.name, type.name)))
          for (const platform of below(join(mirror, host.name, namespace.name, type.name, version.name))) {
            const parts = [host.name, namespace.name, type.name, version.name, platform.name];
            const link = join(cache, ...parts);
            if (existsSync(link)) continue;
            mkdirSync(dirname(link), { recursive: true });
            try {
              symlinkSync(join(mirror, ...parts), link, "dir");
            } catch (error) {
              // Another process linked it meanwhile.
              if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
            }
          }
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

/** A Terraform command that failed or was stopped; keeps everything it printed. */
export class TerraformError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
  }
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
      else
        reject(
          new TerraformError(
            `${command} failed in ${cwd} (${killedBy ?? `exit ${code}`}):\n${err || out}`,
            out,
            err,
          ),
        );
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

/**
 * What an offline plan needs from a stack folder: the Terraform configuration, the reports the review reads
 * next to plan.json (policy report, synth warnings), the assets it references (the topic manager's
 * package), and a `terraform.tfstate` placed there to plan against (the tests' what-ifs; the copy is
 * planned with -lock=false -refresh=false, so nothing is ever written back).
 */
const STACK_FILES =
  /(\.tf|\.tf\.json)$|^policy-report\.json$|^synth-warnings\.json$|^assets$|^terraform\.tfstate$/;

/**
 * Makes `workDir` an offline working copy of the synthesized stack in `stackDir`: its Terraform files and
 * policy report copied, any other configuration file removed, Terraform's own working files (.terraform/,
 * lock file) kept so init does not start over. The offline override is written into the copy only.
 */
export function offlineWorkspace(stackDir: string, workDir: string): void {
  mkdirSync(workDir, { recursive: true });
  const wanted = readdirSync(stackDir).filter((f) => STACK_FILES.test(f) && f !== OFFLINE_OVERRIDE_FILE);
  for (const file of readdirSync(workDir)) {
    if (file.startsWith(".terraform")) continue;
    if (!wanted.includes(file)) rmSync(join(workDir, file), { recursive: true, force: true });
  }
  for (const file of wanted) {
    const source = join(stackDir, file);
    if (statSync(source).isDirectory()) {
      rmSync(join(workDir, file), { recursive: true, force: true });
      cpSync(source, join(workDir, file), { recursive: true });
    } else copyFileSync(source, join(workDir, file));
  }
}

export interface OfflinePlanOptions {
  /** Run `terraform validate` before planning. @default true */
  readonly validate?: boolean;
  readonly extraPlanArgs?: readonly string[];
  /**
   * Plan in this working copy (see offlineWorkspace) instead of in `stackDir` itself; the folders cdktf
   * deploy/diff and plain terraform use must never get the override. @default stackDir
   */
  readonly workDir?: string;
  /** Progress of each Terraform step (started, still running, finished). @default none */
  readonly progress?: ProgressLog;
  /** Graceful stop (see TerraformControl). */
  readonly signal?: AbortSignal;
}

/**
 * Offline init + validate + plan + show of one synthesized stack; returns the plan JSON and writes it to
 * plan.json in the working folder. Only scratch synth output may be planned in place (tests); the real
 * cdktf.out is always planned through `workDir`.
 */
export async function planOffline(
  stackDir: string,
  cliConfigFile: string,
  options: OfflinePlanOptions = {},
): Promise<PlanJson> {
  const dir = options.workDir ?? stackDir;
  if (options.workDir !== undefined) offlineWorkspace(stackDir, dir);
  writeOfflineOverride(dir);
  assertStateReadable(dir);
  const env = terraformEnv(cliConfigFile, OFFLINE_CREDENTIALS);
  const { progress: log, signal } = options;
  await step("terraform init", log, () =>
    terraform(dir, ["init", "-input=false", "-no-color", "-reconfigure"], env, signal),
  );
  if (options.validate ?? true)
    await step("terraform validate", log, () => terraform(dir, ["validate", "-no-color"], env, signal));
  await step("terraform plan", log, () =>
    terraform(
      dir,
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
    ),
  );
  const shown = await terraform(dir, ["show", "-json", "plan.tfplan"], env, signal);
  writeFileSync(join(dir, "plan.json"), shown.stdout);
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
