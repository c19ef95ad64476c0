import { isWildcardPrincipal } from "../policy-documents";
import { type PolicyContext, type PolicyRule, unless } from "../rule";
import {
  asNumber,
  asString,
  block,
  blocks,
  isTrue,
  type TerraformModel,
  type TfResource,
} from "../terraform-model";

const PUBLIC_ACCESS_FLAGS = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
];

/** Companions of a bucket, tied by `bucket = "${aws_s3_bucket.<name>.id}"` (or `.bucket`). */
const companionsOf = (model: TerraformModel, bucket: TfResource, type: string) =>
  model.companions(bucket, type, "bucket");

const tieFix = (type: string) =>
  `add an ${type} with bucket = "\${aws_s3_bucket.<name>.id}" (a reference, not the name)`;

/** True when the bucket policy denies every S3 action over plain HTTP on the bucket and its objects. */
function deniesInsecureTransport(context: PolicyContext, bucket: TfResource): boolean {
  const policies = companionsOf(context.model, bucket, "aws_s3_bucket_policy");
  const documents = context.policies.filter((p) => policies.includes(p.resource));
  return documents.some((d) =>
    (d.statements ?? []).some(
      (s) =>
        s.effect === "Deny" &&
        s.principals.some(isWildcardPrincipal) &&
        s.actions.some((a) => a === "s3:*" || a === "*") &&
        s.resources.some((r) => r.includes(bucket.address) && !r.endsWith("/*")) &&
        s.resources.some((r) => r.includes(bucket.address) && r.endsWith("/*")) &&
        s.conditions.some(
          (c) =>
            c.operator === "Bool" &&
            c.key.toLowerCase() === "aws:securetransport" &&
            c.values.includes("false"),
        ),
    ),
  );
}

export const S3_RULES: readonly PolicyRule[] = [
  {
    id: "MSKP-S3-001",
    mirrors: ["CKV_AWS_21", "AVD-AWS-0090"],
    title: "S3 buckets are versioned",
    fix: `${tieFix("aws_s3_bucket_versioning")} and versioning_configuration.status "Enabled"`,
    check: ({ model }) =>
      model.resources("aws_s3_bucket").flatMap((bucket) => {
        const statuses = companionsOf(model, bucket, "aws_s3_bucket_versioning").map((v) =>
          asString(block(v.config.versioning_configuration)?.status),
        );
        const enabled = statuses.includes("Enabled") || isTrue(block(bucket.config.versioning)?.enabled);
        return unless(
          enabled,
          bucket,
          statuses.length === 0
            ? "no aws_s3_bucket_versioning references this bucket"
            : `versioning status is ${statuses.join(", ")}`,
        );
      }),
  },
  {
    id: "MSKP-S3-002",
    mirrors: [
      "CKV_AWS_53",
      "CKV_AWS_54",
      "CKV_AWS_55",
      "CKV_AWS_56",
      "CKV2_AWS_6",
      "AVD-AWS-0086",
      "AVD-AWS-0087",
      "AVD-AWS-0091",
      "AVD-AWS-0093",
      "AVD-AWS-0094",
    ],
    title: "S3 buckets have a public access block with all four flags on",
    fix: `${tieFix("aws_s3_bucket_public_access_block")} and ${PUBLIC_ACCESS_FLAGS.join(", ")} all true`,
    check: ({ model }) =>
      model.resources("aws_s3_bucket").flatMap((bucket) => {
        const blocksOfBucket = companionsOf(model, bucket, "aws_s3_bucket_public_access_block");
        if (blocksOfBucket.length === 0) {
          return unless(false, bucket, "no aws_s3_bucket_public_access_block references this bucket");
        }
        const off = PUBLIC_ACCESS_FLAGS.filter((flag) => !blocksOfBucket.some((b) => isTrue(b.config[flag])));
        return unless(off.length === 0, bucket, `the public access block leaves ${off.join(", ")} off`);
      }),
  },
  {
    id: "MSKP-S3-003",
    mirrors: ["CKV2_AWS_65"],
    title: "S3 buckets enforce bucket-owner object ownership (ACLs disabled)",
    fix: `${tieFix("aws_s3_bucket_ownership_controls")} and rule.object_ownership "BucketOwnerEnforced"`,
    check: ({ model }) =>
      model.resources("aws_s3_bucket").flatMap((bucket) => {
        const ownership = companionsOf(model, bucket, "aws_s3_bucket_ownership_controls").map((o) =>
          asString(block(o.config.rule)?.object_ownership),
        );
        return unless(
          ownership.includes("BucketOwnerEnforced"),
          bucket,
          ownership.length === 0
            ? "no aws_s3_bucket_ownership_controls references this bucket"
            : `object_ownership is ${ownership.join(", ")}`,
        );
      }),
  },
  {
    id: "MSKP-S3-004",
    mirrors: [],
    title: "S3 bucket policies deny every request that is not TLS (aws:SecureTransport false)",
    fix: 'add a bucket policy statement: Deny, Principal "*", Action "s3:*", Resource [bucket ARN, bucket ARN/*], Condition Bool aws:SecureTransport "false"',
    check: (context) =>
      context.model
        .resources("aws_s3_bucket")
        .flatMap((bucket) =>
          unless(
            deniesInsecureTransport(context, bucket),
            bucket,
            "no bucket policy referencing this bucket denies requests without TLS on the bucket and its objects",
          ),
        ),
  },
  {
    id: "MSKP-S3-005",
    mirrors: ["CKV2_AWS_61", "CKV_AWS_300"],
    title: "S3 buckets have a lifecycle configuration that aborts incomplete multipart uploads",
    fix: `${tieFix("aws_s3_bucket_lifecycle_configuration")} with an enabled rule holding abort_incomplete_multipart_upload { days_after_initiation = 7 }`,
    check: ({ model }) =>
      model.resources("aws_s3_bucket").flatMap((bucket) => {
        const rules = companionsOf(model, bucket, "aws_s3_bucket_lifecycle_configuration").flatMap((l) =>
          blocks(l.config.rule),
        );
        if (rules.length === 0) {
          return unless(false, bucket, "no aws_s3_bucket_lifecycle_configuration references this bucket");
        }
        const aborts = rules.some(
          (r) =>
            r.status === "Enabled" &&
            (asNumber(block(r.abort_incomplete_multipart_upload)?.days_after_initiation) ?? 0) >= 1,
        );
        return unless(aborts, bucket, "no enabled lifecycle rule aborts incomplete multipart uploads");
      }),
  },
  {
    id: "MSKP-S3-006",
    mirrors: ["CKV_AWS_18", "AVD-AWS-0089"],
    title: "S3 buckets have server access logging",
    fix: `${tieFix("aws_s3_bucket_logging")} and target_bucket set to the access-log bucket`,
    check: ({ model }) =>
      model.resources("aws_s3_bucket").flatMap((bucket) => {
        const logging = companionsOf(model, bucket, "aws_s3_bucket_logging").filter(
          (l) => asString(l.config.target_bucket) !== undefined,
        );
        return unless(
          logging.length > 0 || asString(block(bucket.config.logging)?.target_bucket) !== undefined,
          bucket,
          "no aws_s3_bucket_logging references this bucket",
        );
      }),
  },
  {
    id: "MSKP-S3-007",
    mirrors: ["CKV2_AWS_62"],
    title: "S3 buckets have event notifications",
    fix: `${tieFix("aws_s3_bucket_notification")}, or declare an exception where nothing consumes object events`,
    check: ({ model }) =>
      model
        .resources("aws_s3_bucket")
        .flatMap((bucket) =>
          unless(
            companionsOf(model, bucket, "aws_s3_bucket_notification").length > 0,
            bucket,
            "no aws_s3_bucket_notification references this bucket",
          ),
        ),
  },
  {
    id: "MSKP-S3-008",
    mirrors: ["CKV_AWS_144"],
    title: "S3 buckets replicate to another region",
    fix: `${tieFix("aws_s3_bucket_replication_configuration")} with an enabled rule, or declare an exception where no DR copy is required`,
    check: ({ model }) =>
      model.resources("aws_s3_bucket").flatMap((bucket) => {
        const rules = companionsOf(model, bucket, "aws_s3_bucket_replication_configuration").flatMap((r) =>
          blocks(r.config.rule),
        );
        return unless(
          rules.some((r) => r.status === "Enabled"),
          bucket,
          rules.length === 0
            ? "no aws_s3_bucket_replication_configuration references this bucket"
            : "no replication rule is enabled",
        );
      }),
  },
];
