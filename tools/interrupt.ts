/**
 * Ctrl-C and CI cancellation for the commands that run Terraform (plan, recover, audit): the first SIGINT
 * or SIGTERM stops gracefully (each running Terraform gets one interrupt and is waited for while it writes
 * its state); later signals change nothing, because a second interrupt makes Terraform exit without
 * writing state. GitHub Actions sends SIGINT and, 7.5 s later, SIGTERM: both land here as one stop.
 */

/** Exit codes a shell reports for a process ended by these signals. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export interface Interrupt {
  /** Aborted by the first signal: pass it to terraform() as its graceful stop. */
  readonly signal: AbortSignal;
  /** 130 after SIGINT, 143 after SIGTERM; undefined while no signal came. */
  readonly exitCode: number | undefined;
  /** Removes the handlers (tests; commands that finish normally need not call it). */
  dispose(): void;
}

/**
 * Installs the handlers. `log` gets one line per signal (stderr for the commands); the exit code becomes
 * 130/143 so a cancelled run never looks successful.
 */
export function onInterrupt(command: string, log: (line: string) => void): Interrupt {
  const controller = new AbortController();
  let exitCode: number | undefined;
  const handlers = (Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[]).map((name) => {
    const handler = () => {
      if (controller.signal.aborted) {
        log(
          `${command}: ${name} again: still waiting for Terraform to write its state. Stopping it now could ` +
            `lose that state; if you must, kill -KILL the terraform process, then run npm run recover.`,
        );
        return;
      }
      log(
        `${command}: ${name}: stopping gracefully. Terraform got one interrupt; it lets in-flight calls ` +
          "return and writes its state before it exits (usually seconds).",
      );
      exitCode = SIGNAL_EXIT_CODES[name];
      process.exitCode = exitCode;
      controller.abort();
    };
    process.on(name, handler);
    return () => process.off(name, handler);
  });
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
    dispose: () => {
      for (const remove of handlers) remove();
    },
  };
}
