import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { policyDocument } from "../common/iam";
import { declarePolicyException } from "../common/policy-exceptions";
import { makeBucketPrivate } from "./s3-private";

export interface AccessLogBucketProps {
  /** Name of the log bucket. */
  readonly bucketName: string;
  /** 12-digit account id: S3 delivers only logs of this account's buckets (aws:SourceAccount). */
  readonly accountId: string;
  /** ARNs of the buckets whose server access logs land here (aws:SourceArn). */
  readonly sourceBucketArns: readonly string[];
  /** Key prefix the source buckets log under; log delivery may write only below it. */
  readonly logPrefix: string;
  /** Expire log objects after this many days. */
  readonly expirationDays: number;
  /** Expire noncurrent versions of log objects after this many days. */
  readonly noncurrentVersionExpirationDays: number;
  /** prevent_destroy on the bucket. */
  readonly protect: boolean;
}

/**
 * The target of S3 server access logging: versioned, private, owner-enforced, TLS-only, expiring, and
 * writable only by the S3 logging service for the named source buckets of this account.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly arn: string;
  /** The policy that lets the logging service write; logging configurations must depend on it. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    if (props.sourceBucketArns.length === 0) {
      throw new Error("AccessLogBucket sourceBucketArns must name at least one bucket, got []");
    }

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.protect },
    });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    declarePolicyException(this.bucket, {
      checks: ["CKV_AWS_18", "AVD-AWS-0089"],
      reason: "This bucket is the access-log target; logging it to itself loops and AWS advises against it",
    });
    declarePolicyException(this.bucket, {
      checks: ["CKV_AWS_145", "AVD-AWS-0132"],
      reason:
        "S3 server access logging supports only SSE-S3 default encryption on the target bucket, not SSE-KMS",
    });
    declarePolicyException(this.bucket, {
      checks: ["CKV2_AWS_62"],
      reason: "Nothing consumes events of access-log objects; they are read on demand for audits",
    });
    declarePolicyException(this.bucket, {
      checks: ["CKV_AWS_144"],
      reason: "Access logs are operational audit data kept in-region; no cross-region copy is required",
    });

    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    // SSE-S3 is the only default encryption S3 server access log delivery accepts on its target.
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    // ACLs off: log delivery is granted by the bucket policy below, not by the LogDelivery group ACL.
    makeBucketPrivate(this, this.bucket);
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: policyDocument(
        {
          Sid: "S3ServerAccessLogDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${this.bucket.arn}/${props.logPrefix}*`,
          Condition: {
            ArnLike: { "aws:SourceArn": props.sourceBucketArns },
            StringEquals: { "aws:SourceAccount": props.accountId },
          },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ),
    });
  }
}
