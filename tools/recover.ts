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
import { EnvironmentValidationError } from "../stacks/validation";
import { awsClients } from "./aws-clients";
import { forgetGone, initOnline, refreshedState, untaint } from "./deployed-state";
import { environmentStack, wrongAccount } from "./environment-command";
import { onInterrupt } from "./interrupt";
import { RECOVER_EXIT, recover } from "./recovery/recover";
import { DamagedStateError } from "./state-safety";

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
  if (args.includes("-h") || args.includes("--help")) {
    console.log(USAGE);
    return 0;
  }
  const parsed = parseRecoverArgs(args);
  if (typeof parsed === "string") {
    console.error(`recover: ${parsed}\n\n${USAGE}`);
    return RECOVER_EXIT.usage;
  }
  const found = environmentStack(parsed.environment, parsed.synth);
  if (typeof found === "string") {
    console.error(`recover: ${found}`);
    return RECOVER_EXIT.usage;
  }
  const { env, stackDir } = found;
  const interrupt = onInterrupt("recover", (line) => console.error(line));
  const clients = awsClients({ region: env.region });
  try {
    const refused = await wrongAccount(clients.sts, env);
    if (refused) {
      console.error(`recover: ${refused}`);
      return RECOVER_EXIT.usage;
    }
    const log = (line: string) => console.error(line);
    const tfEnv = await initOnline(stackDir, log, interrupt.signal);
    log("recover: reading the state (refresh-only plan: nothing is applied)");
    const { state, gone, tainted } = await refreshedState(stackDir, tfEnv, interrupt.signal, !parsed.check);
    if (interrupt.signal.aborted) return interrupt.exitCode ?? RECOVER_EXIT.failed;
    const result = await recover({
      env,
      stackDir,
      state,
      gone,
      forget: (addresses) => forgetGone(stackDir, tfEnv, addresses, interrupt.signal),
      tainted,
      untaint: (addresses) => untaint(stackDir, tfEnv, addresses, interrupt.signal),
      clients,
      deleteOrphans: parsed.deleteOrphans,
      check: parsed.check,
      out: (line) => console.log(line),
      log,
    });
    return interrupt.exitCode ?? result.exitCode;
  } catch (error) {
    if (error instanceof DamagedStateError) {
      console.error(`recover: ${error.message}`);
      return RECOVER_EXIT.usage;
    }
    throw error;
  } finally {
    clients.destroy();
    interrupt.dispose();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof EnvironmentValidationError ? error.message : error);
      process.exitCode = RECOVER_EXIT.failed;
    },
  );
}
