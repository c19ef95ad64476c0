import type { EnvironmentConfig } from "../config";
import { DEFAULTS } from "../defaults";
import { Checker, formatIssue, type ValidationIssue } from "./checker";
import { validateCluster } from "./cluster";
import { validateCommon } from "./common";
import { validateAlarms, validateConnect } from "./connect";
import { validateNetwork } from "./network";
import { validateSink } from "./sink";
import { validateTopics } from "./topics";

export type { ValidationIssue } from "./checker";
export {
  declaredTopicNames,
  declaredTopicsMatching,
  isDeclaredTopic,
  patternMatchesDeclaredTopic,
  requireDeclaredPattern,
  requireDeclaredTopic,
} from "./topics";

/** Every problem of one environment, in field order. Empty when the environment is valid. */
export function validateEnvironment(config: EnvironmentConfig, expectedName?: string): ValidationIssue[] {
  const checker = new Checker();
  if (typeof config !== "object" || config === null) {
    checker.check(false, "(default export)", config, "must be an EnvironmentConfig object");
    return checker.issues;
  }
  try {
    validateCommon(checker, config, expectedName);
    validateNetwork(checker, config);
    validateCluster(checker, config);
    validateSink(checker, config);
    validateConnect(checker, config);
    validateAlarms(checker, config);
    validateTopics(checker, config);
  } catch (error) {
    // A value of the wrong shape deep inside a section must still end as a readable issue, not a stack trace.
    checker.check(
      false,
      "(environment)",
      String(error),
      "has a value of the wrong type; compare the file with stacks/config.ts",
    );
  }
  return checker.issues;
}

/** One environment file and its config, as `loadEnvironments` sees it. */
export interface NamedEnvironment {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/** Rules across environments: unique names, sink buckets and state objects. */
export function validateAcrossEnvironments(
  files: readonly NamedEnvironment[],
): { file: string; issues: ValidationIssue[] }[] {
  const problems: { file: string; issues: ValidationIssue[] }[] = [];
  const seen = new Map<string, string>();
  const claim = (file: string, kind: string, key: string, path: string, value: unknown, allowed: string) => {
    const owner = seen.get(`${kind}:${key}`);
    if (owner === undefined) {
      seen.set(`${kind}:${key}`, file);
      return;
    }
    problems.push({ file, issues: [{ path, value, allowed: `${allowed} (${owner} uses it too)` }] });
  };
  for (const { file, config } of files) {
    claim(file, "name", String(config?.name), "name", config?.name, "environment names must be unique");
    if (config?.sink?.bucketName !== undefined) {
      claim(
        file,
        "bucket",
        config.sink.bucketName,
        "sink.bucketName",
        config.sink.bucketName,
        "bucket names are global: give each environment its own",
      );
    }
    const backend = config?.backend;
    if (backend?.type === "s3" && typeof config.name === "string") {
      const key = backend.key ?? `${config.project ?? DEFAULTS.project}/${config.name}/terraform.tfstate`;
      claim(
        file,
        "state",
        `${backend.bucket}/${key}`,
        "backend.key",
        key,
        "two environments must never share a state object",
      );
    }
  }
  return problems;
}

/** Thrown when one or more environments are invalid; its message lists every issue of every file. */
export class EnvironmentValidationError extends Error {
  constructor(
    readonly problems: readonly { readonly file: string; readonly issues: readonly ValidationIssue[] }[],
  ) {
    const lines = problems.flatMap((p) => p.issues.map((issue) => formatIssue(p.file, issue)));
    super(
      `Invalid environment configuration (${lines.length} problem${lines.length === 1 ? "" : "s"}):\n  ${lines.join("\n  ")}`,
    );
    this.name = "EnvironmentValidationError";
  }
}
