import type { EnvironmentConfig } from "../config";
import type { Checker } from "./checker";

/** MSK Connect topics and connector capacity. */
export function validateConnect(c: Checker, config: EnvironmentConfig): void {
  const connect = config.connect;
  c.check(
    Array.isArray(connect?.topics) && connect.topics.length > 0,
    "connect.topics",
    connect?.topics,
    "must list at least one topic",
  );
}
