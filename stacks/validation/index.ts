import type { EnvironmentConfig } from "../config";
import { Checker, formatIssue, type ValidationIssue } from "./checker";
import { validateCluster } from "./cluster";
import { validateCommon } from "./common";
import { validateConnect } from "./connect";
import { validateNetwork } from "./network";
import { validateSink } from "./sink";

export type { ValidationIssue } from "./checker";

/** Every problem of one environment, in field order. Empty when the environment is valid. */
export function validateEnvironment(config: EnvironmentConfig, expectedName?: string): ValidationIssue[] {
  const checker = new Checker();
  validateCommon(checker, config, expectedName);
  validateNetwork(checker, config);
  validateCluster(checker, config);
  validateSink(checker, config);
  validateConnect(checker, config);
  return checker.issues;
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
