/**
 * Progress for long steps: a line when a step starts, one when it ends (with its duration), and a
 * heartbeat in between, so no step is silent for longer than the interval.
 */

/** How often a running step says it is still running. */
export const HEARTBEAT_SECONDS = 15;

export type ProgressLog = (line: string) => void;

/** Seconds since `start` (from process.hrtime.bigint()), one decimal. */
export function elapsed(start: bigint): string {
  return (Number(process.hrtime.bigint() - start) / 1e9).toFixed(1);
}

/**
 * Runs `work` as the step `label`: "<label> ..." when it starts, "<label>: still running (N s)" every
 * `heartbeatSeconds`, "<label>: done in N s" or "<label>: failed after N s" at the end.
 */
export async function step<T>(
  label: string,
  log: ProgressLog | undefined,
  work: () => Promise<T>,
  heartbeatSeconds = HEARTBEAT_SECONDS,
): Promise<T> {
  if (log === undefined) return work();
  const start = process.hrtime.bigint();
  log(`${label} ...`);
  const timer = setInterval(
    () => log(`${label}: still running (${elapsed(start)} s)`),
    heartbeatSeconds * 1000,
  );
  timer.unref();
  try {
    const result = await work();
    log(`${label}: done in ${elapsed(start)} s`);
    return result;
  } catch (error) {
    log(`${label}: failed after ${elapsed(start)} s`);
    throw error;
  } finally {
    clearInterval(timer);
  }
}
