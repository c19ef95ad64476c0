/**
 * The local AWS emulator (moto_server) for the deploy rehearsal: started on a free loopback port, answering
 * as the environment's account, and always stopped again (normal end, error, SIGINT/SIGTERM).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, dirname, join } from "node:path";

/** How to install the emulator; part of every "not installed" message. */
export const MOTO_INSTALL_HINT = 'pip install "moto[server]"';

/** Loopback only: the rehearsal never opens a port to the network. */
const HOST = "127.0.0.1";

export class EmulatorUnavailableError extends Error {}

/**
 * Folder with the sitecustomize.py that corrects moto defects which would show as false drift (see the
 * file); found next to this module in the sources and from dist/.
 */
const CORRECTIONS_DIR = [
  join(__dirname, "moto"),
  join(__dirname, "..", "..", "..", "tools", "rehearsal", "moto"),
].find((dir) => existsSync(join(dir, "sitecustomize.py")));

/** Checks that `moto_server` runs; throws with the install command otherwise. */
export function motoAvailable(command = "moto_server"): void {
  try {
    execFileSync(command, ["--help"], { stdio: "pipe", timeout: 30_000 });
  } catch (error) {
    throw new EmulatorUnavailableError(
      `The deploy rehearsal needs the local AWS emulator moto_server, which did not run ` +
        `(${(error as Error).message.split("\n")[0]}). Install it with: ${MOTO_INSTALL_HINT}`,
    );
  }
}

/** A free TCP port on loopback, as chosen by the kernel. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Whether moto answers on the port (its dashboard), not merely something that accepts connections. */
async function answersAsMoto(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${HOST}:${port}/moto-api/`, { signal: AbortSignal.timeout(2000) });
    return response.ok && (await response.text()).includes("<title>Moto");
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** A running emulator. */
export interface Emulator {
  /** Base URL every AWS client and the provider's endpoints point at. */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Corrections to moto applied at start-up, or reported as not applicable (from its log). */
  readonly corrections: readonly string[];
  /** Stops the emulator and waits (bounded) for it to exit. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Account id STS (and every ARN) reports; the environment's own, so allowed_account_ids holds. */
  readonly accountId: string;
  /** File the emulator's output goes to (shown when it fails to start). */
  readonly logFile: string;
  /** @default "moto_server" */
  readonly command?: string;
  /** Readiness checks before giving up, 250 ms apart (each at most 2 s). @default 120 */
  readonly readinessAttempts?: number;
  /** Fresh ports to try when the emulator dies at start (e.g. the port was taken meanwhile). @default 3 */
  readonly portAttempts?: number;
  /** Extra environment for the emulator (e.g. the test hook in tools/rehearsal/moto/held_responses.py). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Emulators not yet stopped, killed synchronously if the process exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // The emulator leads its own process group (detached), so its children go with it.
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) killGroup(child, "SIGKILL");
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const onExit = () => {
      clearTimeout(timer);
      resolveExit(true);
    };
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolveExit(false);
    }, ms);
    child.once("exit", onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  killGroup(child, "SIGTERM");
  if (!(await waitForExit(child, 5000))) {
    killGroup(child, "SIGKILL");
    await waitForExit(child, 5000);
  }
  running.delete(child);
}

async function startOnce(options: StartOptions, port: number): Promise<Emulator | string> {
  const log = openSync(options.logFile, "a");
  const child = spawn(options.command ?? "moto_server", ["-H", HOST, "-p", String(port)], {
    env: {
      ...process.env,
      ...options.env,
      MOTO_ACCOUNT_ID: options.accountId,
      // The corrections live in the source tree: no __pycache__ next to them.
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONPATH: [CORRECTIONS_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
    },
    stdio: ["ignore", log, log],
    detached: true,
  });
  closeSync(log);
  running.add(child);
  installExitHook();
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });

  const attempts = options.readinessAttempts ?? 120;
  for (let i = 0; i < attempts; i++) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) break;
    if (await answersAsMoto(port)) {
      const endpoint = `http://${HOST}:${port}`;
      const corrections = readFileSync(options.logFile, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("[rehearsal] "))
        .map((line) => line.slice("[rehearsal] ".length));
      return { endpoint, port, pid: child.pid ?? -1, corrections, stop: () => stopChild(child) };
    }
    await sleep(250);
  }
  await stopChild(child);
  if (spawnError) {
    throw new EmulatorUnavailableError(
      `moto_server could not be started (${spawnError.message}). Install it with: ${MOTO_INSTALL_HINT}`,
    );
  }
  const output = readFileSync(options.logFile, "utf8").split("\n").slice(-20).join("\n");
  return `moto_server did not answer on ${HOST}:${port} (exit code ${child.exitCode}):\n${output}`;
}

/** Starts moto_server on a free loopback port and waits (bounded) until it answers. */
export async function startEmulator(options: StartOptions): Promise<Emulator> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  writeFileSync(options.logFile, "");
  const failures: string[] = [];
  for (let i = 0; i < (options.portAttempts ?? 3); i++) {
    const started = await startOnce(options, await freePort());
    if (typeof started !== "string") return started;
    failures.push(started);
  }
  throw new EmulatorUnavailableError(
    `${failures.join("\n\n")}\n(If moto_server is missing, install it with: ${MOTO_INSTALL_HINT})`,
  );
}
