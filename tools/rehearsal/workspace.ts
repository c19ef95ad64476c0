/**
 * The rehearsal's working copy of a stack: cdk.tf.json with production protections lifted, plus an
 * override that points the AWS provider at the emulator and keeps state locally. The synthesized stack
 * itself is never modified.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { terraformEnv } from "../terraform";
import type { StackJson } from "./stack";

/** The override written next to the copied cdk.tf.json (Terraform merges `*_override.tf.json` over it). */
export const REHEARSAL_OVERRIDE_FILE = "rehearsal_override.tf.json";

/** Credentials the emulator accepts; they open nothing anywhere else. */
export const EMULATOR_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "rehearsal",
  AWS_SECRET_ACCESS_KEY: "rehearsal",
} as const;

/** The copy of the stack with every `prevent_destroy` turned off, and the addresses it was on for. */
export function liftPreventDestroy(stack: StackJson): { stack: StackJson; lifted: string[] } {
  const lifted: string[] = [];
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    resource[type] = {};
    for (const [name, config] of Object.entries(byName)) {
      const lifecycle = config.lifecycle as Record<string, unknown> | undefined;
      if (lifecycle?.prevent_destroy === true) {
        lifted.push(`${type}.${name}`);
        resource[type][name] = { ...config, lifecycle: { ...lifecycle, prevent_destroy: false } };
      } else {
        resource[type][name] = config;
      }
    }
  }
  return { stack: { ...stack, resource }, lifted: lifted.sort() };
}

/**
 * Provider and backend override: every endpoint the stack uses goes to the emulator, S3 in path style
 * (no `<bucket>.127.0.0.1` host names), and the instance-metadata lookup is off. The account check stays
 * on: the emulator answers STS as the environment's own account, so `allowed_account_ids` is exercised.
 */
export function rehearsalOverride(endpoint: string, services: readonly string[]): object {
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: {
      aws: [
        {
          endpoints: [Object.fromEntries(services.map((service) => [service, endpoint]))],
          s3_use_path_style: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          // Also in the file, so running terraform by hand in the copy can never reach a real account.
          access_key: EMULATOR_CREDENTIALS.AWS_ACCESS_KEY_ID,
          secret_key: EMULATOR_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
        },
      ],
    },
  };
}

/**
 * Environment for Terraform against the emulator: no AWS_* variable of the caller (no real profile,
 * token or endpoint can leak in), fake credentials, every SDK endpoint defaulting to the emulator.
 */
export function emulatorEnv(cliConfigFile: string, endpoint: string): NodeJS.ProcessEnv {
  const env = terraformEnv(cliConfigFile);
  for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
  return { ...env, ...EMULATOR_CREDENTIALS, AWS_ENDPOINT_URL: endpoint, AWS_EC2_METADATA_DISABLED: "true" };
}

/**
 * Empties the working folder of an earlier rehearsal (each one starts a fresh emulator, so old state is
 * meaningless) but keeps `.terraform/` so init does not copy the provider again.
 */
export function resetWorkspace(workDir: string): void {
  mkdirSync(workDir, { recursive: true });
  for (const entry of readdirSync(workDir)) {
    if (entry !== ".terraform" && entry !== ".terraform.lock.hcl")
      rmSync(join(workDir, entry), { recursive: true, force: true });
  }
}

/** Writes the working copy and its override into `workDir`; returns where prevent_destroy was lifted. */
export function writeWorkspace(
  workDir: string,
  stack: StackJson,
  endpoint: string,
  services: readonly string[],
): { lifted: string[] } {
  const { stack: copy, lifted } = liftPreventDestroy(stack);
  writeFileSync(join(workDir, "cdk.tf.json"), `${JSON.stringify(copy, null, 2)}\n`);
  writeFileSync(
    join(workDir, REHEARSAL_OVERRIDE_FILE),
    `${JSON.stringify(rehearsalOverride(endpoint, services), null, 2)}\n`,
  );
  return { lifted };
}
