import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import type { Construct } from "constructs";

/**
 * The privacy baseline every bucket here gets: all four public-access-block flags (CKV_AWS_53..56,
 * CKV2_AWS_6) and ACLs disabled by BucketOwnerEnforced (CKV2_AWS_65). Ids "public-access-block" and
 * "ownership" are created in `scope`, so the Terraform addresses are those of the calling construct.
 */
export function makeBucketPrivate(scope: Construct, bucket: S3Bucket): void {
  new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "ownership", {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });
}
