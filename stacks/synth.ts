import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { App } from "cdktf";
import { POLICY_REPORT_FILE } from "./policy/report";
import { SYNTH_WARNINGS_FILE } from "./synth-warnings";

/**
 * Files synth writes into a stack folder (JSON or HCL flavour, the policy report, the warnings), and one it
 * must never leave behind: the plan's temporary prevent_destroy lift (tools/review/prevent-destroy.ts).
 */
const SYNTH_OUTPUTS = [
  "cdk.tf.json",
  "cdk.tf",
  "metadata.json",
  POLICY_REPORT_FILE,
  SYNTH_WARNINGS_FILE,
  "zz_prevent_destroy_lifted_override.tf.json",
];
/** Folders synth writes into a stack folder: the stack's assets (e.g. the topic manager's package). */
const SYNTH_FOLDERS = ["assets"];

/**
 * Files in a stack folder that Terraform reads as configuration or variables (every `*.tf`, `*.tf.json`,
 * including `*_override.tf(.json)`, and auto-loaded variable files), and saved plans, which carry their
 * own backend and configuration. Synth removes every such file it did not write itself.
 */
const FOREIGN = /(\.tf|\.tf\.json|\.tfvars|\.tfvars\.json|\.tfplan)$|^plan\.json$/;

/**
 * Backend record (`.terraform/terraform.tfstate`) left by the offline override that `npm run plan --
 * --offline` used to write into stack folders: a local backend at "terraform.tfstate". Synth never
 * configures that backend, so the record only makes the next real `terraform init` stop with "Backend
 * configuration changed"; it holds no state (offline plans never wrote any).
 */
function isOfflineBackendRecord(path: string): boolean {
  try {
    const record = JSON.parse(readFileSync(path, "utf8")) as {
      backend?: { type?: string; config?: { path?: string } };
    };
    return record.backend?.type === "local" && record.backend.config?.path === "terraform.tfstate";
  } catch {
    return false;
  }
}

/**
 * Synthesizes into a staging directory and moves the result into `outdir` only when every stack
 * synthesized and `accept` agrees, so a failure never leaves half-written or stale Terraform behind.
 * `accept` may add files to the staged stack folders (the policy reports) before they are moved.
 * Terraform's working files next to a stack (.terraform/, the lock file) are kept; anything else Terraform
 * would load that synth did not write (overrides, tfvars, stale saved plans) is removed and reported
 * through `removed`, so whatever ran before, the folder holds only what synth wrote.
 */
export function synthesizeAtomically(
  build: (stagingDir: string) => App,
  outdir: string,
  accept: (stagingDir: string) => boolean = () => true,
  removed: (path: string) => void = () => {},
): boolean {
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const app = build(staging);
    app.synth();
    if (!accept(staging)) return false;
    mkdirSync(join(outdir, "stacks"), { recursive: true });
    const stagedStacks = readdirSync(join(staging, "stacks"));
    for (const name of readdirSync(join(outdir, "stacks"))) {
      if (!stagedStacks.includes(name))
        rmSync(join(outdir, "stacks", name), { recursive: true, force: true });
    }
    for (const name of stagedStacks) {
      const target = join(outdir, "stacks", name);
      mkdirSync(target, { recursive: true });
      const staged = readdirSync(join(staging, "stacks", name));
      // A JSON synth after an HCL one (or the reverse) must not leave both for Terraform to load.
      for (const generated of SYNTH_OUTPUTS) rmSync(join(target, generated), { force: true });
      for (const folder of SYNTH_FOLDERS) {
        rmSync(join(target, folder), { recursive: true, force: true });
        const stagedFolder = join(staging, "stacks", name, folder);
        if (existsSync(stagedFolder)) renameSync(stagedFolder, join(target, folder));
      }
      for (const file of readdirSync(target)) {
        if (FOREIGN.test(file) && !staged.includes(file) && statSync(join(target, file)).isFile()) {
          rmSync(join(target, file));
          removed(join(target, file));
        }
      }
      const record = join(target, ".terraform", "terraform.tfstate");
      if (existsSync(record) && isOfflineBackendRecord(record)) {
        rmSync(record);
        removed(record);
      }
      for (const file of readdirSync(join(staging, "stacks", name))) {
        const source = join(staging, "stacks", name, file);
        if (statSync(source).isFile()) renameSync(source, join(target, file));
      }
    }
    for (const file of readdirSync(staging)) {
      const source = join(staging, file);
      if (statSync(source).isFile()) renameSync(source, join(outdir, file));
    }
    return true;
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
}
