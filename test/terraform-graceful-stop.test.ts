/**
 * Graceful cancellation: Terraform gets exactly one interrupt and is waited for (never a second signal,
 * never a kill first), in the Node commands (tools/terraform.ts, tools/interrupt.ts) and in the workflow
 * wrapper (tools/ci/graceful.sh). A stand-in `terraform` records every signal it receives.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { onInterrupt } from "../tools/interrupt";
import { terraform } from "../tools/terraform";

const dir = mkdtempSync(join(tmpdir(), "graceful-"));
const bin = join(dir, "bin");
const signals = join(dir, "signals.log");

/**
 * A fake terraform: logs "started", then each signal it gets; after the first SIGINT it "writes state"
 * for `FAKE_SHUTDOWN_MS` and exits 1, as Terraform does after one interrupt. FAKE_IGNORE_INT=1 makes it
 * hang on (a Terraform stuck in a call), so only a kill ends it.
 */
const FAKE = `#!/usr/bin/env node
const fs = require("node:fs");
const log = (line) => fs.appendFileSync(process.env.FAKE_LOG, line + "\\n");
log("started " + process.pid);
let stopping = false;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    log(sig);
    if (sig !== "SIGINT" || stopping || process.env.FAKE_IGNORE_INT === "1") return;
    stopping = true;
    setTimeout(() => { log("state written"); process.exit(1); }, Number(process.env.FAKE_SHUTDOWN_MS || 1500));
  });
}
setInterval(() => {}, 1000);
`;

beforeAll(() => {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "terraform"), FAKE);
  chmodSync(join(bin, "terraform"), 0o755);
});

const fakeEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${bin}${delimiter}${process.env.PATH}`,
  FAKE_LOG: signals,
  ...extra,
});

const logged = () => readFileSync(signals, "utf8").trim().split("\n");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function started(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if (readFileSync(signals, "utf8").includes("started")) return;
    } catch {
      // not yet
    }
    await sleep(50);
  }
  throw new Error("the fake terraform did not start");
}

beforeEach(() => writeFileSync(signals, ""));

describe("terraform() stopped gracefully", () => {
  it("sends one SIGINT, however often asked, then waits for Terraform's state write: no SIGTERM, no kill after 10 s", async () => {
    const stop = new AbortController();
    const run = terraform(dir, ["apply"], fakeEnv({ FAKE_SHUTDOWN_MS: "11000" }), stop.signal);
    await started();
    const asked = Date.now();
    stop.abort();
    stop.abort();
    await expect(run).rejects.toThrow(/exit 1/);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(10_900);
    expect(logged().slice(1)).toEqual(["SIGINT", "state written"]);
  }, 20_000);

  it("kills Terraform and its plugins at once only when asked to (the crash the tests simulate)", async () => {
    const kill = new AbortController();
    const run = terraform(dir, ["apply"], fakeEnv({ FAKE_IGNORE_INT: "1" }), { kill: kill.signal });
    await started();
    kill.abort();
    await expect(run).rejects.toThrow(/SIGKILL/);
    expect(logged().slice(1)).toEqual([]);
  });
});

describe("the commands' signal handling (tools/interrupt.ts)", () => {
  it("turns the first SIGINT or SIGTERM into one graceful stop and only reports later ones", () => {
    const lines: string[] = [];
    const previousExitCode = process.exitCode;
    const interrupt = onInterrupt("plan", (line) => lines.push(line));
    try {
      process.emit("SIGINT");
      expect(interrupt.signal.aborted).toBe(true);
      expect(interrupt.exitCode).toBe(130);
      process.emit("SIGTERM"); // GitHub's second signal, 7.5 s after the first
      expect(interrupt.exitCode).toBe(130);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^plan: SIGINT: stopping gracefully/);
      expect(lines[1]).toMatch(/^plan: SIGTERM again: still waiting for Terraform to write its state/);
    } finally {
      interrupt.dispose();
      process.exitCode = previousExitCode;
    }
  });
});

describe("the workflow wrapper tools/ci/graceful.sh", () => {
  const wrapper = join(__dirname, "..", "tools", "ci", "graceful.sh");

  /** Runs `graceful.sh <script>` and sends it `signalsToSend` (ms after the child started). */
  async function run(
    script: string,
    signalsToSend: [NodeJS.Signals, number][],
    env: Record<string, string> = {},
  ) {
    const stepScript = join(dir, "step.sh");
    writeFileSync(stepScript, script);
    const child = spawn("bash", [wrapper, stepScript], {
      env: fakeEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((resolveExit) =>
      child.once("exit", (code) => resolveExit(code)),
    );
    await started();
    for (const [signal, after] of signalsToSend) {
      await sleep(after);
      child.kill(signal);
    }
    return { code: await exited, output };
  }

  it("gives a step's Terraform exactly one interrupt on GitHub's SIGINT + SIGTERM and waits for it", async () => {
    const { code, output } = await run("terraform apply plan.tfplan\n", [
      ["SIGINT", 100],
      ["SIGTERM", 300],
    ]);
    expect(logged().slice(1)).toEqual(["SIGINT", "state written"]);
    expect(code).toBe(1);
    expect(output).toContain("one interrupt");
  });

  it("reaches Terraform run by a command in the step (node plan.js style: a child of the step's shell)", async () => {
    const { code } = await run('set -e\necho "planning"\nterraform plan\necho "not reached"\n', [
      ["SIGINT", 100],
    ]);
    expect(logged().slice(1)).toEqual(["SIGINT", "state written"]);
    expect(code).not.toBe(0);
  });

  it("passes the step's exit code through when nothing interrupts it", async () => {
    const { code, output } = await run('echo started >> "$FAKE_LOG"; echo done; exit 7\n', []);
    expect(code).toBe(7);
    expect(output).toContain("done");
  });
});
