import { type PolicyRule, STACK_SUBJECT, unless } from "../rule";
import { asNumber, asString, block, isTrue } from "../terraform-model";

/** Resources whose loss loses data or access to data. */
export const STATEFUL_TYPES = [
  "aws_msk_cluster",
  "aws_msk_serverless_cluster",
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_cloudwatch_log_group",
  "aws_secretsmanager_secret",
  "aws_glue_registry",
  "aws_glue_schema",
  "aws_kinesisanalyticsv2_application",
];

export const PROTECTION_RULES: readonly PolicyRule[] = [
  {
    id: "MSKP-PROT-001",
    mirrors: [],
    title: `Production stateful resources (${STATEFUL_TYPES.join(", ")}) carry lifecycle.prevent_destroy`,
    productionOnly: true,
    fix: "set lifecycle { prevent_destroy = true } (modules take a `protect` prop set from env.production)",
    check: ({ model }) =>
      model
        .resources(...STATEFUL_TYPES)
        .flatMap((resource) =>
          unless(
            isTrue(block(resource.config.lifecycle)?.prevent_destroy),
            resource,
            "lifecycle.prevent_destroy is not true: a plan could destroy it and its data",
          ),
        ),
  },
  {
    id: "MSKP-PROT-002",
    mirrors: [],
    title: "No S3 bucket is force_destroy (deleting a bucket never deletes its objects)",
    fix: "set force_destroy = false; empty a bucket deliberately before removing it",
    check: ({ model }) =>
      model
        .resources("aws_s3_bucket")
        .flatMap((bucket) =>
          unless(
            !isTrue(bucket.config.force_destroy),
            bucket,
            "force_destroy is true: destroying it deletes every object",
          ),
        ),
  },
  {
    id: "MSKP-PROT-003",
    mirrors: [],
    title: "Production secrets keep a recovery window (recovery_window_in_days is not 0)",
    productionOnly: true,
    fix: "leave recovery_window_in_days unset (30) or at least 7",
    check: ({ model }) =>
      model
        .resources("aws_secretsmanager_secret")
        .flatMap((secret) =>
          unless(
            asNumber(secret.config.recovery_window_in_days) !== 0,
            secret,
            "recovery_window_in_days is 0: a destroy deletes the secret immediately",
          ),
        ),
  },
];

export const STATE_RULES: readonly PolicyRule[] = [
  {
    id: "MSKP-STATE-001",
    mirrors: [],
    title: "Production state lives in an encrypted, locked remote backend (S3 with encrypt and a lock)",
    productionOnly: true,
    fix: 'set backend { type: "s3", bucket } in the environment file: the stack adds encrypt = true and use_lockfile = true',
    check: ({ model }) => {
      const backend = model.backend();
      if (backend === undefined || backend.type !== "s3") {
        return unless(
          false,
          STACK_SUBJECT,
          `the backend is ${backend?.type ?? "(none: local state)"}, not s3`,
        );
      }
      const locked =
        isTrue(backend.config.use_lockfile) || asString(backend.config.dynamodb_table) !== undefined;
      return unless(
        isTrue(backend.config.encrypt) && locked,
        STACK_SUBJECT,
        `the s3 backend has encrypt ${String(backend.config.encrypt ?? "(unset)")} and ${locked ? "a lock" : "no lock (use_lockfile or dynamodb_table)"}`,
      );
    },
  },
];
