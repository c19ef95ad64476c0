import type { IConstruct } from "constructs";
import { declarePolicyException } from "../../modules/common/policy-exceptions";
import type { PlatformStack } from "../platform-stack";

/** Retention below a year is a deliberate choice of the environment file (0 means never expire). */
const belowAYear = (days: number): boolean => days > 0 && days < 365;

/**
 * Settings an environment file may choose although a guardrail forbids them by default (validation refuses
 * the risky ones in production): a plaintext listener, public access, short log retention, a Lambda consumer
 * without reserved concurrency or code signing. Each choice becomes a declared exception naming the
 * file and field, so it shows in the synth summary and the plan review instead of failing synth.
 */
export function declareEnvironmentOptIns(stack: PlatformStack): void {
  const env = stack.env;
  const file = `environments/${env.name}.ts`;
  const optIn = (construct: IConstruct, ruleId: string, reason: string) =>
    declarePolicyException(construct, { checks: [ruleId], reason: `${file} ${reason}` });

  const cluster = env.cluster;
  if (cluster.type === "provisioned") {
    if (cluster.clientBroker !== "TLS") {
      optIn(
        stack.cluster,
        "MSKP-ENC-001",
        `sets cluster.clientBroker "${cluster.clientBroker}": a plaintext listener for non-production clients (refused in production)`,
      );
    }
    if (cluster.publicAccess) {
      optIn(
        stack.cluster,
        "MSKP-NET-009",
        "sets cluster.publicAccess: brokers get public addresses, open only to network.clientCidrs and authenticated clients",
      );
    }
    if (belowAYear(cluster.logging.retentionDays)) {
      optIn(
        stack.cluster,
        "MSKP-LOG-001",
        `sets cluster.logging.retentionDays ${cluster.logging.retentionDays}: broker logs kept less than a year by choice`,
      );
    }
  }
  if (env.network.mode === "create" && belowAYear(env.network.flowLogRetentionDays)) {
    optIn(
      stack.network,
      "MSKP-LOG-001",
      `sets network.flowLogRetentionDays ${env.network.flowLogRetentionDays}: flow logs kept less than a year by choice`,
    );
  }
  env.consumers.lambda.forEach((consumer, i) => {
    const fn = consumer.function;
    const created = stack.lambdaConsumers?.consumers[consumer.name]?.function;
    if (fn.source !== "s3" || created === undefined) return;
    const field = `consumers.lambda[${i}].function`;
    if (fn.reservedConcurrency === undefined) {
      optIn(
        created,
        "MSKP-LAMBDA-004",
        `leaves ${field}.reservedConcurrency unset: the consumer draws from the account's unreserved concurrency`,
      );
    }
    if (fn.codeSigningConfigArn === undefined) {
      optIn(
        created,
        "MSKP-LAMBDA-005",
        `leaves ${field}.codeSigningConfigArn unset: the package ${fn.bucket}/${fn.key}${fn.objectVersion ? ` (version ${fn.objectVersion})` : ""} is trusted as named in the reviewed plan`,
      );
    }
    if (belowAYear(fn.logRetentionDays)) {
      optIn(
        stack.lambdaConsumers?.consumers[consumer.name] ?? created,
        "MSKP-LOG-001",
        `sets ${field}.logRetentionDays ${fn.logRetentionDays}: the consumer's logs kept less than a year by choice`,
      );
    }
  });
  env.consumers.flink.forEach((app, i) => {
    const construct = stack.flink?.applications[app.name]?.logGroup;
    if (construct && belowAYear(app.logging.retentionDays)) {
      optIn(
        construct,
        "MSKP-LOG-001",
        `sets consumers.flink[${i}].logging.retentionDays ${app.logging.retentionDays}: Flink application logs kept less than a year by choice`,
      );
    }
  });
  if (belowAYear(env.connect.logRetentionDays)) {
    optIn(
      stack.connect,
      "MSKP-LOG-001",
      `sets connect.logRetentionDays ${env.connect.logRetentionDays}: connector logs kept less than a year by choice`,
    );
  }
}
