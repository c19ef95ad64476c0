import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import type { ArchiveStorageClass } from "../../stacks/config";
import { policyDocument } from "../common/iam";
import { CustomerKey } from "../common/kms-key";
import { declarePolicyException } from "../common/policy-exceptions";
import { AccessLogBucket } from "./access-log-bucket";
import { makeBucketPrivate } from "./s3-private";

/** Key prefix of the sink bucket's server access logs inside the log bucket. */
export const SINK_ACCESS_LOG_PREFIX = "s3-access-logs/sink/";

/** Days after which an unfinished multipart upload (e.g. a crashed connector task) is aborted. */
export const ABORT_MULTIPART_AFTER_DAYS = 7;

export interface SinkBucketProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  /** Name of the sink bucket. */
  readonly bucketName: string;
  /** Name of the bucket that receives the sink bucket's server access logs. */
  readonly accessLogBucketName: string;
  /** 12-digit account id (key policy, log-delivery conditions). */
  readonly accountId: string;
  /** AWS partition, for ARNs ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /** Transition of current objects to cold storage. */
  readonly archive: { readonly storageClass: ArchiveStorageClass; readonly afterDays: number };
  /** Expiry of current objects, in days. @default never */
  readonly expireAfterDays?: number;
  /** Expiry of noncurrent object versions (sink and log bucket), in days. */
  readonly noncurrentVersionExpirationDays: number;
  /** Expiry of server access logs, in days. */
  readonly accessLogExpirationDays: number;
  /** prevent_destroy on both buckets and the key. */
  readonly protect: boolean;
}

/**
 * The S3 bucket MSK Connect writes to: SSE-KMS with its own key and bucket key, versioned, private,
 * owner-enforced, TLS-only, refusing puts under any other encryption or key, tiered to Glacier, and
 * server-access-logged to a dedicated, hardened log bucket.
 */
export class SinkBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly arn: string;
  readonly kmsKeyArn: string;
  readonly accessLogs: AccessLogBucket;

  constructor(scope: Construct, id: string, props: SinkBucketProps) {
    super(scope, id);
    const key = new CustomerKey(this, "key", {
      description: `Sink bucket ${props.bucketName}`,
      alias: `${props.prefix}/sink`,
      accountId: props.accountId,
      partition: props.partition,
      protect: props.protect,
    });
    this.kmsKeyArn = key.arn;

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.protect },
    });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    declarePolicyException(this.bucket, {
      checks: ["CKV2_AWS_62"],
      reason: "No consumer of object-created events exists; readers query the archive by partition path",
    });
    declarePolicyException(this.bucket, {
      checks: ["CKV_AWS_144"],
      reason:
        "Kafka (replicated across AZs) is the source of truth and S3 is 11-nines durable in-region; no DR region is in scope",
    });

    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
          // One data key per bucket instead of one KMS call per object: cheaper and below KMS quotas.
          bucketKeyEnabled: true,
        },
      ],
    });
    makeBucketPrivate(this, this.bucket);
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "archive-and-expire",
          status: "Enabled",
          filter: [{ prefix: "" }],
          transition: [{ days: props.archive.afterDays, storageClass: props.archive.storageClass }],
          // ExpiredObjectDeleteMarker cannot share an Expiration with Days: used only when objects never expire.
          expiration: [
            props.expireAfterDays === undefined
              ? { expiredObjectDeleteMarker: true }
              : { days: props.expireAfterDays },
          ],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_MULTIPART_AFTER_DAYS }],
        },
      ],
    });

    const objects = `${this.bucket.arn}/*`;
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: policyDocument(
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, objects],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "DenyOutdatedTls",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, objects],
          Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
        // A put without encryption headers gets the bucket default (this key); one naming SSE-S3, DSSE
        // or another key is refused. Headers stay optional so writers relying on the default still work.
        {
          Sid: "DenyPutsNotEncryptedWithKms",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: objects,
          Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
        },
        {
          Sid: "DenyPutsWithAnotherKmsKey",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: objects,
          // aws:kms without a key id would use the AWS-managed aws/s3 key, so a missing id is refused too.
          Condition: {
            StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
            StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": key.arn },
          },
        },
      ),
    });

    this.accessLogs = new AccessLogBucket(this, "access-logs", {
      bucketName: props.accessLogBucketName,
      accountId: props.accountId,
      sourceBucketArns: [this.bucket.arn],
      logPrefix: SINK_ACCESS_LOG_PREFIX,
      expirationDays: props.accessLogExpirationDays,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
      protect: props.protect,
    });
    new S3BucketLoggingA(this, "logging", {
      bucket: this.bucket.id,
      targetBucket: this.accessLogs.bucket.id,
      targetPrefix: SINK_ACCESS_LOG_PREFIX,
      // Date-partitioned keys (by delivery time) keep Athena scans and lifecycle rules cheap.
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "DeliveryTime" } },
      // PutBucketLogging checks that the target grants the logging service; the grant is that policy.
      dependsOn: [this.accessLogs.policy],
    });
  }
}
