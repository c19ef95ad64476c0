/**
 * What `npm run recover` and `npm run audit` share: the environment from environments/, a fresh synth of
 * its stack, a check that the caller's credentials are for the environment's own account (the commands
 * refuse any other, as allowed_account_ids does for Terraform), the stack folder initialised against its
 * real backend after the local-state check, graceful Ctrl-C, and the exit codes for all of that.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { ResolvedEnvironment } from "../stacks/defaults";
import { discoverEnvironments, loadEnvironments } from "../stacks/environments";
import { type AwsClients, awsClients } from "./aws-clients";
import { initOnline } from "./deployed-state";
import { onInterrupt } from "./interrupt";
import { DamagedStateError } from "./state-safety";

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
  let account: string | undefined;
  try {
    account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (error) {
    return (
      `could not tell which account your AWS credentials are for (${(error as Error).name}: ` +
      `${(error as Error).message.split("\n")[0]}); nothing was checked. Configure credentials for ${env.accountId}.`
    );
  }
  return account === env.accountId
    ? undefined
    : `your AWS credentials are for account ${account}, but ${env.name} lives in ${env.accountId}; nothing was ` +
        `checked. Use credentials for ${env.accountId}.`;
}

/** Exit codes every environment command shares. */
export const COMMAND_EXIT = { failed: 1, usage: 2 } as const;

/** What a command runs with once the environment, its account and its stack folder are ready. */
export interface EnvironmentContext {
  readonly env: ResolvedEnvironment;
  readonly stackDir: string;
  readonly clients: AwsClients;
  /** Environment for further Terraform commands in the stack folder (initialised). */
  readonly terraformEnv: NodeJS.ProcessEnv;
  /** Aborted by Ctrl-C / SIGTERM: pass it to terraform() to stop gracefully. */
  readonly signal: AbortSignal;
  /** Progress on stderr. */
  readonly log: (line: string) => void;
}

/**
 * Runs `npm run <name> -- <env> ...`: help, argument errors (exit 2), the environment and its synth,
 * the account check and a damaged local state (exit 2), then `run`. A signal's exit code wins.
 */
export async function runEnvironmentCommand<
  A extends { readonly environment: string; readonly synth: boolean },
>(
  name: string,
  usage: string,
  args: readonly string[],
  parse: (args: readonly string[]) => A | string,
  run: (parsed: A, context: EnvironmentContext) => Promise<number>,
): Promise<number> {
  if (args.includes("-h") || args.includes("--help")) {
    console.log(usage);
    return 0;
  }
  const parsed = parse(args);
  if (typeof parsed === "string") {
    console.error(`${name}: ${parsed}\n\n${usage}`);
    return COMMAND_EXIT.usage;
  }
  const found = environmentStack(parsed.environment, parsed.synth);
  if (typeof found === "string") {
    console.error(`${name}: ${found}`);
    return COMMAND_EXIT.usage;
  }
  const log = (line: string) => console.error(line);
  const interrupt = onInterrupt(name, log);
  const clients = awsClients({ region: found.env.region });
  try {
    const refused = await wrongAccount(clients.sts, found.env);
    if (refused) {
      console.error(`${name}: ${refused}`);
      return COMMAND_EXIT.usage;
    }
    const terraformEnv = await initOnline(found.stackDir, log, interrupt.signal);
    const code = await run(parsed, { ...found, clients, terraformEnv, signal: interrupt.signal, log });
    return interrupt.exitCode ?? code;
  } catch (error) {
    if (error instanceof DamagedStateError) {
      console.error(`${name}: ${error.message}`);
      return COMMAND_EXIT.usage;
    }
    throw error;
  } finally {
    clients.destroy();
    interrupt.dispose();
  }
}

/** The entry point of a command module: its exit code, or 1 with the error's message. */
export function exitWith(main: Promise<number>): void {
  main.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A user gets the message, never a stack trace.
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = COMMAND_EXIT.failed;
    },
  );
}
