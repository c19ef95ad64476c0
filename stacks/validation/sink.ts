import type { EnvironmentConfig } from "../config";
import type { Checker } from "./checker";

/** Sink bucket name and lifecycle. */
export function validateSink(c: Checker, config: EnvironmentConfig): void {
  const sink = config.sink;
  c.integer("sink.archive.afterDays", sink?.archive?.afterDays, 1);
  if (sink?.expireAfterDays !== undefined) {
    c.check(
      sink.expireAfterDays > (sink.archive?.afterDays ?? 0),
      "sink.expireAfterDays",
      sink.expireAfterDays,
      `must be greater than sink.archive.afterDays (${sink.archive?.afterDays})`,
    );
  }
}
