import type { EnvironmentConfig } from "../config";
import { DEFAULTS } from "../defaults";
import { MSK_QUOTAS } from "./aws-limits";
import { validateBringYourOwn } from "./bring-your-own";
import {
  Checker,
  defaultContext,
  formatIssue,
  type ValidationContext,
  type ValidationIssue,
  type ValidationWarning,
} from "./checker";
import { validateCluster, validateQuotas } from "./cluster";
import { validateCommon } from "./common";
import { validateAlarms, validateConnect } from "./connect";
import { validateLambdaConsumers } from "./consumers-lambda";
import { validateFlink } from "./flink";
import { validateNetwork } from "./network";
import { validateSchemaRegistry } from "./schema-registry";
import { sharingClaims, validateSharing } from "./sharing";
import { validateSink } from "./sink";
import { validateTopics } from "./topics";

export type { ValidationContext, ValidationIssue, ValidationWarning } from "./checker";
export { formatWarning } from "./checker";
export {
  declaredTopicNames,
  declaredTopicsMatching,
  isDeclaredTopic,
  patternMatchesDeclaredTopic,
  requireDeclaredPattern,
  requireDeclaredTopic,
} from "./topics";

/** Every problem of one environment, in field order. Empty when the environment is valid. */
export function validateEnvironment(
  config: EnvironmentConfig,
  expectedName?: string,
  context: ValidationContext = defaultContext(),
): ValidationIssue[] {
  return checkEnvironment(config, expectedName, context).issues;
}

/**
 * Problems (refused at synth) and warnings (printed at synth and carried into the plan review) of one
 * environment. `context.today` drives the date-dependent warnings; it is injected, never read here.
 */
export function checkEnvironment(
  config: EnvironmentConfig,
  expectedName?: string,
  context: ValidationContext = defaultContext(),
): { issues: ValidationIssue[]; warnings: ValidationWarning[] } {
  const checker = new Checker(context);
  if (typeof config !== "object" || config === null) {
    checker.check(false, "(default export)", config, "must be an EnvironmentConfig object");
    return { issues: checker.issues, warnings: [] };
  }
  try {
    validateCommon(checker, config, expectedName);
    validateNetwork(checker, config);
    validateCluster(checker, config);
    validateSink(checker, config);
    validateConnect(checker, config);
    validateAlarms(checker, config);
    validateQuotas(checker, config);
    validateBringYourOwn(checker, config);
    validateSharing(checker, config);
    validateTopics(checker, config);
    validateLambdaConsumers(checker, config);
    validateSchemaRegistry(checker, config);
    validateFlink(checker, config);
  } catch (error) {
    // A value of the wrong shape deep inside a section must still end as a readable issue, not a stack trace.
    checker.check(
      false,
      "(environment)",
      String(error),
      "has a value of the wrong type; compare the file with stacks/config.ts",
    );
  }
  // Warnings about an invalid environment would only distract from its errors.
  return { issues: checker.issues, warnings: checker.issues.length > 0 ? [] : checker.warnings };
}

/** One environment file and its config, as `loadEnvironments` sees it. */
export interface NamedEnvironment {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/** Rules across environments: unique stack names (client stacks too), sink buckets and state objects. */
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
    for (const claimed of sharingClaims(config)) {
      claim(file, claimed.kind, claimed.key, claimed.path, claimed.value, claimed.allowed);
    }
  }
  return problems;
}

/**
 * Warnings across environments: the Region-wide "brokers per account" quota, summed over every provisioned
 * cluster of the same account and Region, unless an environment there declares a raised one.
 */
export function warnAcrossEnvironments(
  files: readonly NamedEnvironment[],
): { file: string; warnings: ValidationWarning[] }[] {
  const byAccount = new Map<string, { file: string; config: EnvironmentConfig; brokers: number }[]>();
  for (const { file, config } of files) {
    const cluster = config.cluster;
    if (cluster?.type !== "provisioned") continue;
    const azs =
      config.network.mode === "create" ? config.network.availabilityZones : config.network.privateSubnets;
    const key = `${config.accountId}/${config.region}`;
    byAccount.set(key, [
      ...(byAccount.get(key) ?? []),
      { file, config, brokers: cluster.brokersPerAz * azs.length },
    ]);
  }
  const warnings: { file: string; warnings: ValidationWarning[] }[] = [];
  const quota = MSK_QUOTAS.brokersPerAccount;
  for (const [key, members] of byAccount) {
    const total = members.reduce((sum, m) => sum + m.brokers, 0);
    const declared = members
      .map((m) => m.config.quotas?.brokersPerAccount)
      .find((q): q is number => typeof q === "number");
    const limit = declared ?? quota.default;
    if (total <= limit) continue;
    const last = members[members.length - 1];
    warnings.push({
      file: last.file,
      warnings: [
        {
          code: "msk-quota",
          path: "cluster.brokersPerAz",
          value: last.config.cluster.type === "provisioned" ? last.config.cluster.brokersPerAz : undefined,
          message:
            `brings the brokers of account/Region ${key} to ${total} (${members.map((m) => `${m.file} ${m.brokers}`).join(", ")}), ` +
            `above the ${declared === undefined ? "default " : "declared "}Amazon MSK quota "${quota.name}" (${limit}): ` +
            "request a raise in Service Quotas and declare it as quotas.brokersPerAccount, or the last cluster created fails",
        },
      ],
    });
  }
  return warnings;
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
