/**
 * What `npm run recover` and `npm run audit` share before they touch an account: the environment from
 * environments/, a fresh synth of its stack, and a check that the caller's credentials are for the
 * environment's own account (the commands refuse any other, as allowed_account_ids does for Terraform).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { ResolvedEnvironment } from "../stacks/defaults";
import { discoverEnvironments, loadEnvironments } from "../stacks/environments";

/** dist/tools/ -> the project root. */
const root = join(__dirname, "..", "..");

export interface EnvironmentStack {
  readonly env: ResolvedEnvironment;
  /** cdktf.out/stacks/<env> (or under $CDKTF_OUTDIR). */
  readonly stackDir: string;
}

/** The environment and its synthesized stack folder, or what went wrong (for stderr). */
export function environmentStack(name: string, synth: boolean): EnvironmentStack | string {
  const environments = loadEnvironments(
    discoverEnvironments(join(__dirname, "..", "environments"), join(root, "environments")),
  );
  const env = environments.find((e) => e.name === name);
  if (!env) return `unknown environment ${name}; known: ${environments.map((e) => e.name).join(", ")}`;
  const outdir = join(root, process.env.CDKTF_OUTDIR ?? "cdktf.out");
  if (synth) {
    const result = spawnSync(process.execPath, [join(root, "dist", "main.js")], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      stdio: ["ignore", 2, 2],
    });
    if (result.status !== 0) return "synth failed; nothing was checked";
  }
  const stackDir = join(outdir, "stacks", env.name);
  if (!existsSync(join(stackDir, "cdk.tf.json")))
    return `${stackDir}/cdk.tf.json is missing; run npm run synth`;
  return { env, stackDir };
}

/** Undefined when the credentials are for the environment's account; otherwise why not. */
export async function wrongAccount(sts: STSClient, env: ResolvedEnvironment): Promise<string | undefined> {
  const account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  return account === env.accountId
    ? undefined
    : `your AWS credentials are for account ${account}, but ${env.name} lives in ${env.accountId}; nothing was ` +
        `checked. Use credentials for ${env.accountId}.`;
}
