import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import type { ArchiveStorageClass } from "../stacks/config";
import { policyDocument } from "./iam";
import { CustomerKey } from "./kms-key";

export interface SinkBucketProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  readonly bucketName: string;
  readonly accountId: string;
  readonly partition: string;
  /** Transition of current objects to cold storage. */
  readonly archive: { readonly storageClass: ArchiveStorageClass; readonly afterDays: number };
  /** Expiry of current objects. @default never */
  readonly expireAfterDays?: number;
  readonly noncurrentVersionExpirationDays: number;
  /** prevent_destroy on the bucket and its key. */
  readonly protect: boolean;
}

/** The S3 bucket MSK Connect writes to: SSE-KMS with its own key, versioned, private, TLS-only, tiered. */
export class SinkBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly arn: string;
  readonly kmsKeyArn: string;

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

    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "archive-and-expire",
          status: "Enabled",
          filter: [{ prefix: "" }],
          transition: [{ days: props.archive.afterDays, storageClass: props.archive.storageClass }],
          expiration: props.expireAfterDays === undefined ? undefined : [{ days: props.expireAfterDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: policyDocument({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    });
  }
}
