import type { EnvironmentConfig } from "../config";
import { DEFAULTS } from "../defaults";
import { ARCHIVE_MINIMUM_STORAGE_DAYS, ARCHIVE_MINIMUM_TRANSITION_DAYS } from "./aws-limits";
import type { Checker } from "./checker";
import { checkBucketName, isRegion } from "./common";

/** The access-log bucket name is always derived; the sink's is unless set. Both must be valid S3 names. */
function derivedBucketNames(config: EnvironmentConfig): { sink: string; accessLogs: string } | undefined {
  const project = config.project ?? DEFAULTS.project;
  const parts = [config.name, project, config.accountId, config.region];
  if (!parts.every((p) => typeof p === "string") || !isRegion(config.region)) return undefined;
  const prefix = `${project}-${config.name}`;
  return {
    sink: `${prefix}-sink-${config.accountId}-${config.region}`,
    accessLogs: `${prefix}-sink-logs-${config.accountId}-${config.region}`,
  };
}

/** Sink bucket name and lifecycle. */
export function validateSink(c: Checker, config: EnvironmentConfig): void {
  const sink = config.sink;
  if (
    !c.check(
      typeof sink === "object" && sink !== null,
      "sink",
      sink,
      "must be an object with at least archive",
    )
  ) {
    return;
  }
  const derived = derivedBucketNames(config);
  if (derived !== undefined) {
    c.check(
      derived.accessLogs.length <= 63,
      config.project === undefined ? "name" : "project",
      config.project ?? config.name,
      `makes the access-log bucket name "${derived.accessLogs}" ${derived.accessLogs.length} characters long (S3 allows 63): shorten the environment name or project`,
    );
  }
  if (
    sink.bucketName !== undefined &&
    checkBucketName(c, "sink.bucketName", sink.bucketName, false) &&
    derived
  ) {
    c.check(
      sink.bucketName !== derived.accessLogs,
      "sink.bucketName",
      sink.bucketName,
      "is the name of the environment's access-log bucket: choose another name",
    );
  }

  const archive = sink.archive;
  const classOk = c.oneOf("sink.archive.storageClass", archive?.storageClass, [
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
  ]);
  // S3 transitions objects into the Glacier classes from day 0 (the IA classes would need 30).
  const afterOk = c.integer("sink.archive.afterDays", archive?.afterDays, ARCHIVE_MINIMUM_TRANSITION_DAYS);
  if (sink.expireAfterDays !== undefined && c.integer("sink.expireAfterDays", sink.expireAfterDays, 1)) {
    if (classOk && afterOk) {
      const minimum = ARCHIVE_MINIMUM_STORAGE_DAYS[archive.storageClass];
      const earliest = archive.afterDays + minimum;
      c.check(
        sink.expireAfterDays >= earliest,
        "sink.expireAfterDays",
        sink.expireAfterDays,
        `must be at least ${earliest}: objects move to ${archive.storageClass} after ${archive.afterDays} days and ${archive.storageClass} bills a minimum of ${minimum} days; raise it, archive earlier or remove the expiry`,
      );
    }
  }
  if (sink.noncurrentVersionExpirationDays !== undefined) {
    c.integer("sink.noncurrentVersionExpirationDays", sink.noncurrentVersionExpirationDays, 1);
  }
  if (sink.accessLogExpirationDays !== undefined) {
    c.integer("sink.accessLogExpirationDays", sink.accessLogExpirationDays, 1);
  }
}
