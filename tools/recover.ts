/**
 * `npm run recover -- <env> [--delete-orphans] [--no-synth]`: after an interrupted apply, finds what exists
 * in the environment's account and region (its tags, or a name the stack gives) but is missing from the
 * state. Objects the configuration would create with that identity get Terraform `import` blocks in
 * cdktf.out/stacks/<env>/recovery_imports.tf.json, so the next plan adopts them; everything else with
 * this environment's tags is listed as an orphan with its monthly cost and deleted only with
 * --delete-orphans. Uses the caller's AWS credentials; refuses any account but the environment's own.
 *
 * Exit codes: 0 nothing to do; 1 failed or incomplete; 2 usage, unknown environment, wrong account or a
 * damaged local state; 4 imports written or orphans listed (apply, then --delete-orphans).
 */
import { forgetGone, refreshedState, untaint } from "./deployed-state";
import { exitWith, runEnvironmentCommand } from "./environment-command";
import { RECOVER_EXIT, recover } from "./recovery/recover";

// The SDK is pinned exactly and supports Node 20; its notice about future releases needing Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const USAGE = `usage: npm run recover -- <env> [--delete-orphans] [--check] [--no-synth]

After an interrupted apply: lists what exists in the environment's account and region but is missing
from its state, writes import blocks for what the configuration would create (the next plan adopts it)
and lists the other objects with this environment's tags as orphans, with their monthly cost.
  --delete-orphans  delete the listed orphans (those nothing adopted still uses; the rest after the apply)
  --check           report only: no import file, no state change, no deletion
  --no-synth        use cdktf.out/stacks/<env> as it is

exit 0 nothing to do; 1 failed or incomplete; 2 usage or refused; 4 imports written or orphans listed`;

export interface RecoverArgs {
  readonly environment: string;
  readonly deleteOrphans: boolean;
  readonly check: boolean;
  readonly synth: boolean;
}

export function parseRecoverArgs(args: readonly string[]): RecoverArgs | string {
  const positional = args.filter((a) => !a.startsWith("-"));
  const flags = args.filter((a) => a.startsWith("-"));
  const unknown = flags.filter((f) => !["--delete-orphans", "--check", "--no-synth"].includes(f));
  if (unknown.length > 0) return `unknown option ${unknown.join(", ")}`;
  if (positional.length !== 1) return "name exactly one environment";
  if (flags.includes("--check") && flags.includes("--delete-orphans"))
    return "--check changes nothing; it cannot be combined with --delete-orphans";
  return {
    environment: positional[0],
    deleteOrphans: flags.includes("--delete-orphans"),
    check: flags.includes("--check"),
    synth: !flags.includes("--no-synth"),
  };
}

async function main(args: readonly string[]): Promise<number> {
  return runEnvironmentCommand("recover", USAGE, args, parseRecoverArgs, async (parsed, context) => {
    const { env, stackDir, clients, terraformEnv, signal, log } = context;
    log("recover: reading the state (refresh-only plan: nothing is applied)");
    const { state, gone, tainted } = await refreshedState(stackDir, terraformEnv, signal, !parsed.check);
    if (signal.aborted) return RECOVER_EXIT.failed;
    const result = await recover({
      env,
      stackDir,
      state,
      gone,
      forget: (addresses) => forgetGone(stackDir, terraformEnv, addresses, signal),
      tainted,
      untaint: (addresses) => untaint(stackDir, terraformEnv, addresses, signal),
      clients,
      deleteOrphans: parsed.deleteOrphans,
      check: parsed.check,
      out: (line) => console.log(line),
      log,
    });
    return result.exitCode;
  });
}

if (require.main === module) exitWith(main(process.argv.slice(2)));
