/**
 * `npm run rehearse -- <env> [<env> ...]`: the pre-deploy check. Synthesizes the environment, applies
 * every resource a local AWS emulator (moto_server) can take, verifies them through the AWS API,
 * re-plans (must be empty), destroys and checks nothing is left. MSK and MSK Connect stay plan-only.
 * Everything happens under .build/rehearsal/<env>/: cdktf.out is never touched.
 * Exit code 0 only when every phase of every environment passed.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import type { ResolvedEnvironment } from "../stacks/defaults";
import { discoverEnvironments, loadEnvironments } from "../stacks/environments";
import { PlatformStack } from "../stacks/platform-stack";
import { motoAvailable } from "./rehearsal/emulator";
import { formatReport } from "./rehearsal/report";
import { rehearse } from "./rehearsal/run";
import { terraformVersion, writeCliConfig } from "./terraform";

// The SDK is pinned exactly and supports Node 20; its notice about future releases needing Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** dist/tools/ -> the project root. */
const root = join(__dirname, "..", "..");

/** Where a rehearsal of `env` works: its own synth and the Terraform working copy, under `<root>/.build/`. */
export function rehearsalDirs(projectRoot: string, env: string): { synthDir: string; workDir: string } {
  const base = join(projectRoot, ".build", "rehearsal", env);
  return { synthDir: join(base, "synth"), workDir: join(base, "terraform") };
}

/** Synthesizes one environment for its rehearsal, into the rehearsal's own folder; returns its cdk.tf.json. */
export function synthesizeForRehearsal(env: ResolvedEnvironment, synthDir: string): string {
  mkdirSync(synthDir, { recursive: true });
  const app = new App({ outdir: synthDir });
  new PlatformStack(app, env);
  app.synth();
  return join(synthDir, "stacks", env.name, "cdk.tf.json");
}

async function main(names: readonly string[]): Promise<number> {
  if (names.length === 0 || names.some((n) => n.startsWith("-"))) {
    console.error("usage: npm run rehearse -- <env> [<env> ...]");
    return 2;
  }
  const environments = loadEnvironments(discoverEnvironments(join(__dirname, "..", "environments")));
  const unknown = names.filter((n) => !environments.some((e) => e.name === n));
  if (unknown.length > 0) {
    console.error(
      `unknown environment(s): ${unknown.join(", ")}; known: ${environments.map((e) => e.name).join(", ")}`,
    );
    return 2;
  }
  terraformVersion();
  motoAvailable();
  const cliConfigFile = writeCliConfig(join(root, ".build", "rehearsal"));
  let failed = 0;
  for (const name of names) {
    const env = environments.find((e) => e.name === name);
    if (!env) continue;
    const { synthDir, workDir } = rehearsalDirs(root, name);
    const report = await rehearse({
      env,
      stackFile: synthesizeForRehearsal(env, synthDir),
      workDir,
      cliConfigFile,
      log: (line) => console.error(line),
      signal: interrupt.signal,
    });
    console.log(formatReport(report));
    if (!report.ok) failed++;
    if (interrupt.signal.aborted) break;
  }
  return failed === 0 ? 0 : 1;
}

// Ctrl-C or a CI timeout: stop Terraform, let the rehearsal stop its emulator and report; a second signal
// exits at once (the emulator module's exit hook still kills the emulator).
const interrupt = new AbortController();

if (require.main === module) {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.on(signal, () => {
      if (interrupt.signal.aborted) process.exit(code);
      console.error(`${signal}: stopping Terraform and the emulator`);
      process.exitCode = code;
      interrupt.abort();
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      if (!interrupt.signal.aborted) process.exitCode = code;
    },
    (error: unknown) => {
      // Missing terraform or moto_server, an invalid environment: the message says what to do.
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
