import { type PolicyRule, unless } from "../rule";
import { asString, block, blocks, isTrue, type JsonObject } from "../terraform-model";

const nonEmpty = (value: unknown): boolean => typeof value === "string" && value.trim().length > 0;

export const ENCRYPTION_RULES: readonly PolicyRule[] = [
  {
    id: "MSKP-ENC-001",
    mirrors: ["CKV_AWS_81", "AVD-AWS-0073"],
    title: "MSK encrypts in transit: client_broker explicitly TLS and in_cluster true",
    fix: 'set encryption_info.encryption_in_transit { client_broker = "TLS", in_cluster = true } (cluster.clientBroker "TLS")',
    check: ({ model }) =>
      model.resources("aws_msk_cluster").flatMap((cluster) => {
        const transit = block(cluster.config.encryption_info, "encryption_in_transit");
        const clientBroker = asString(transit?.client_broker);
        return unless(
          clientBroker === "TLS" && isTrue(transit?.in_cluster),
          cluster,
          `encryption_in_transit is client_broker ${clientBroker ?? "(unset)"}, in_cluster ${String(transit?.in_cluster ?? "(unset)")}`,
        );
      }),
  },
  {
    id: "MSKP-ENC-002",
    mirrors: ["AVD-AWS-0179"],
    title: "MSK encrypts data at rest with a customer-managed KMS key",
    fix: "set encryption_info.encryption_at_rest_kms_key_arn to a customer-managed key (CustomerKey in modules/common/kms-key.ts)",
    check: ({ model }) =>
      model
        .resources("aws_msk_cluster")
        .flatMap((cluster) =>
          unless(
            nonEmpty(block(cluster.config.encryption_info)?.encryption_at_rest_kms_key_arn),
            cluster,
            "encryption_at_rest_kms_key_arn is not set, so MSK uses an AWS-managed key",
          ),
        ),
  },
  {
    id: "MSKP-ENC-003",
    mirrors: ["CKV_AWS_145", "AVD-AWS-0132"],
    title: "S3 buckets default to SSE-KMS with a customer-managed key",
    fix: `add an aws_s3_bucket_server_side_encryption_configuration with bucket = "\${aws_s3_bucket.<name>.id}", sse_algorithm "aws:kms" and kms_master_key_id`,
    check: ({ model }) =>
      model.resources("aws_s3_bucket").flatMap((bucket) => {
        const rules = [
          ...model
            .companions(bucket, "aws_s3_bucket_server_side_encryption_configuration", "bucket")
            .flatMap((c) => blocks(c.config.rule)),
          ...blocks(bucket.config.server_side_encryption_configuration).flatMap((c) => blocks(c.rule)),
        ];
        if (rules.length === 0) {
          return unless(false, bucket, "no server-side encryption configuration references this bucket");
        }
        const defaults = rules.map((r: JsonObject) => block(r.apply_server_side_encryption_by_default));
        const kms = defaults.find(
          (d) =>
            (d?.sse_algorithm === "aws:kms" || d?.sse_algorithm === "aws:kms:dsse") &&
            nonEmpty(d?.kms_master_key_id),
        );
        return unless(
          kms !== undefined,
          bucket,
          `default encryption is ${defaults.map((d) => `${asString(d?.sse_algorithm) ?? "(unset)"}${nonEmpty(d?.kms_master_key_id) ? "" : " without a customer key"}`).join(", ")}`,
        );
      }),
  },
  {
    id: "MSKP-ENC-004",
    mirrors: ["CKV_AWS_158", "AVD-AWS-0017"],
    title: "CloudWatch log groups are encrypted with a customer-managed KMS key",
    fix: "set kms_key_id to the logs key (its policy must let logs.<region>.amazonaws.com use it)",
    check: ({ model }) =>
      model
        .resources("aws_cloudwatch_log_group")
        .flatMap((group) => unless(nonEmpty(group.config.kms_key_id), group, "kms_key_id is not set")),
  },
  {
    id: "MSKP-ENC-005",
    mirrors: ["CKV_AWS_7", "AVD-AWS-0065"],
    title: "KMS keys rotate automatically",
    fix: "set enable_key_rotation = true",
    check: ({ model }) =>
      model.resources("aws_kms_key").flatMap((key) => {
        const spec = asString(key.config.customer_master_key_spec) ?? asString(key.config.key_spec);
        // Only symmetric encryption keys can rotate automatically.
        if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return [];
        return unless(isTrue(key.config.enable_key_rotation), key, "enable_key_rotation is not true");
      }),
  },
  {
    id: "MSKP-ENC-006",
    mirrors: ["CKV2_AWS_64"],
    title: "KMS keys have an explicit key policy",
    fix: "set policy on the key (or add an aws_kms_key_policy referencing it) instead of relying on the default policy",
    check: ({ model }) =>
      model
        .resources("aws_kms_key")
        .flatMap((key) =>
          unless(
            nonEmpty(key.config.policy) || model.companions(key, "aws_kms_key_policy", "key_id").length > 0,
            key,
            "the key has no explicit policy, so AWS applies the default key policy",
          ),
        ),
  },
  {
    id: "MSKP-ENC-007",
    mirrors: ["CKV_AWS_26", "AVD-AWS-0095", "AVD-AWS-0136"],
    title: "SNS topics are encrypted with a customer-managed KMS key",
    fix: "set kms_master_key_id to a customer-managed key whose policy lets cloudwatch.amazonaws.com use it",
    check: ({ model }) =>
      model.resources("aws_sns_topic").flatMap((topic) => {
        const key = asString(topic.config.kms_master_key_id);
        return unless(
          nonEmpty(key) && key !== "alias/aws/sns",
          topic,
          key === undefined ? "kms_master_key_id is not set" : `kms_master_key_id is the AWS-managed ${key}`,
        );
      }),
  },
  {
    id: "MSKP-ENC-008",
    mirrors: ["CKV_AWS_149", "AVD-AWS-0098"],
    title: "Secrets Manager secrets are encrypted with a customer-managed KMS key",
    fix: "set kms_key_id to a customer-managed key (MSK refuses SCRAM secrets under the AWS-managed key)",
    check: ({ model }) =>
      model.resources("aws_secretsmanager_secret").flatMap((secret) => {
        const key = asString(secret.config.kms_key_id);
        return unless(
          nonEmpty(key) && key !== "alias/aws/secretsmanager",
          secret,
          key === undefined ? "kms_key_id is not set" : `kms_key_id is the AWS-managed ${key}`,
        );
      }),
  },
];

export const LOGGING_RULES: readonly PolicyRule[] = [
  {
    id: "MSKP-LOG-001",
    mirrors: ["CKV_AWS_66", "CKV_AWS_338"],
    title: "CloudWatch log groups keep logs at least a year (retention_in_days >= 365, or 0 for never)",
    fix: "set retention_in_days to 365 or more (the default of every *RetentionDays setting)",
    check: ({ model }) =>
      model.resources("aws_cloudwatch_log_group").flatMap((group) => {
        const days = group.config.retention_in_days;
        return unless(
          typeof days === "number" && (days === 0 || days >= 365),
          group,
          days === undefined ? "retention_in_days is not set" : `retention_in_days is ${String(days)}`,
        );
      }),
  },
  {
    id: "MSKP-LOG-002",
    mirrors: ["CKV_AWS_80", "AVD-AWS-0074"],
    title: "MSK broker logs are delivered somewhere (CloudWatch, S3 or Firehose)",
    fix: "enable logging_info.broker_logs.cloudwatch_logs with the broker log group",
    check: ({ model }) =>
      model.resources("aws_msk_cluster").flatMap((cluster) => {
        const logs = block(cluster.config.logging_info, "broker_logs");
        const enabled = ["cloudwatch_logs", "firehose", "s3"].some((d) => isTrue(block(logs?.[d])?.enabled));
        return unless(enabled, cluster, "no broker log destination is enabled");
      }),
  },
  {
    id: "MSKP-LOG-003",
    mirrors: [],
    title:
      "Flink applications log to a CloudWatch log stream of a log group of the stack (encrypted and retained by MSKP-ENC-004, MSKP-LOG-001)",
    fix: "set cloudwatch_logging_options.log_stream_arn to the arn of an aws_cloudwatch_log_stream in the application's log group",
    check: ({ model }) =>
      model.resources("aws_kinesisanalyticsv2_application").flatMap((app) => {
        const streams = model
          .referenced(app, "cloudwatch_logging_options")
          .filter((r) => r.type === "aws_cloudwatch_log_stream");
        const groups = streams.flatMap((s) =>
          model.referenced(s, "log_group_name").filter((g) => g.type === "aws_cloudwatch_log_group"),
        );
        return unless(
          groups.length > 0,
          app,
          streams.length === 0
            ? "cloudwatch_logging_options names no log stream of this stack"
            : "its log stream is not in a log group of this stack",
        );
      }),
  },
];
