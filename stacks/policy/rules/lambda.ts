import { type PolicyRule, unless } from "../rule";
import {
  asNumber,
  asString,
  block,
  type JsonObject,
  referencesIn,
  type TerraformModel,
  type TfResource,
} from "../terraform-model";

/** One check per Lambda function of the stack. */
function perFunction(
  check: (fn: TfResource, model: TerraformModel) => { ok: boolean; message: string },
): PolicyRule["check"] {
  return ({ model }) =>
    model.resources("aws_lambda_function").flatMap((fn) => {
      const { ok, message } = check(fn, model);
      return unless(ok, fn, message);
    });
}

/** The stack's log group a function logs to: the one logging_config names, else /aws/lambda/<name>. */
function logGroupOf(fn: TfResource, model: TerraformModel): TfResource | undefined {
  const named = block(fn.config.logging_config)?.log_group;
  const groups = model.resources("aws_cloudwatch_log_group");
  const referenced = referencesIn(named).find((a) => a.startsWith("aws_cloudwatch_log_group."));
  if (referenced !== undefined) return groups.find((g) => g.address === referenced);
  const name = asString(named) ?? `/aws/lambda/${asString(fn.config.function_name) ?? ""}`;
  return groups.find((g) => asString(g.config.name) === name);
}

/** Event source mappings reading an MSK cluster (by reference or by a kafka ARN). */
function mskMappings(model: TerraformModel): TfResource[] {
  return model.resources("aws_lambda_event_source_mapping").filter((m) => {
    const source = m.config.event_source_arn;
    return (
      referencesIn(source).some((a) => a.startsWith("aws_msk_")) ||
      /^arn:[a-z-]+:kafka:/.test(asString(source) ?? "")
    );
  });
}

const variablesOf = (fn: TfResource): JsonObject | undefined =>
  block(fn.config.environment)?.variables as JsonObject | undefined;

/** The checks users' scanners run on Lambda functions (the topic manager now, consumers later). */
export const LAMBDA_RULES: readonly PolicyRule[] = [
  {
    id: "MSKP-LAMBDA-001",
    mirrors: ["CKV_AWS_50", "AVD-AWS-0066"],
    title: "Lambda functions trace with X-Ray (tracing_config mode Active)",
    fix: 'set tracing_config { mode = "Active" } and grant xray:PutTraceSegments and xray:PutTelemetryRecords',
    check: perFunction((fn) => {
      const mode = asString(block(fn.config.tracing_config)?.mode);
      return { ok: mode === "Active", message: `tracing_config mode is ${mode ?? "not set"}` };
    }),
  },
  {
    id: "MSKP-LAMBDA-002",
    mirrors: ["CKV_AWS_117"],
    title: "Lambda functions run inside a VPC",
    fix: "set vpc_config with private subnets and a security group, or declare why the function needs no VPC",
    check: perFunction((fn) => {
      const subnets = block(fn.config.vpc_config)?.subnet_ids;
      return { ok: subnets !== undefined && subnets !== null, message: "has no vpc_config" };
    }),
  },
  {
    id: "MSKP-LAMBDA-003",
    mirrors: ["CKV_AWS_116"],
    title: "Lambda functions have a dead-letter queue",
    fix: "set dead_letter_config { target_arn = <SQS queue or SNS topic> }, or declare why no event can be lost",
    check: perFunction((fn) => ({
      ok: asString(block(fn.config.dead_letter_config)?.target_arn) !== undefined,
      message: "has no dead_letter_config target",
    })),
  },
  {
    id: "MSKP-LAMBDA-004",
    mirrors: ["CKV_AWS_115"],
    title: "Lambda functions reserve their concurrency (reserved_concurrent_executions)",
    fix: "set reserved_concurrent_executions to the concurrency the function needs",
    check: perFunction((fn) => {
      const reserved = asNumber(fn.config.reserved_concurrent_executions);
      return {
        ok: reserved !== undefined && reserved >= 0,
        message: `reserved_concurrent_executions is ${reserved ?? "not set"}`,
      };
    }),
  },
  {
    id: "MSKP-LAMBDA-005",
    mirrors: ["CKV_AWS_272"],
    title: "Lambda functions validate code signing (code_signing_config_arn)",
    fix: "set code_signing_config_arn to an aws_lambda_code_signing_config, or declare how the code is pinned",
    check: perFunction((fn) => ({
      ok: asString(fn.config.code_signing_config_arn) !== undefined,
      message: "has no code_signing_config_arn",
    })),
  },
  {
    id: "MSKP-LAMBDA-006",
    mirrors: ["CKV_AWS_173"],
    title: "Lambda environment variables are encrypted with a customer-managed KMS key",
    fix: "set kms_key_arn to a customer-managed key when the function has environment variables",
    check: perFunction((fn) => {
      const variables = variablesOf(fn);
      const any = variables !== undefined && Object.keys(variables).length > 0;
      return {
        ok: !any || asString(fn.config.kms_key_arn) !== undefined,
        message: "has environment variables and no kms_key_arn",
      };
    }),
  },
  {
    id: "MSKP-LAMBDA-007",
    mirrors: [],
    title:
      "Lambda functions log to a log group of this stack (so its encryption and retention rules apply), not one Lambda creates",
    fix: "create an aws_cloudwatch_log_group (KMS key, retention) and set logging_config { log_group = <its name> }",
    check: perFunction((fn, model) => ({
      ok: logGroupOf(fn, model) !== undefined,
      message:
        "logs to a group this stack does not manage (Lambda would create one unencrypted and never expiring)",
    })),
  },
  {
    id: "MSKP-LAMBDA-008",
    mirrors: [],
    title: "Event source mappings on MSK keep a record of discarded batches (an on-failure destination)",
    fix: "set destination_config { on_failure { destination_arn = <SQS queue, SNS topic or S3 bucket> } } (consumers.lambda[].onFailure)",
    check: ({ model }) =>
      mskMappings(model).flatMap((mapping) =>
        unless(
          asString(block(mapping.config.destination_config, "on_failure")?.destination_arn) !== undefined,
          mapping,
          "has no on-failure destination: a batch Lambda discards (payload over 6 MB, retries exhausted) leaves no trace",
        ),
      ),
  },
];
