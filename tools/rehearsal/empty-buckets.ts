import { DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from "@aws-sdk/client-s3";
import type { AppliedState } from "./state";

/**
 * Deletes every object version and delete marker of the stack's buckets, as an operator does before
 * decommissioning: the modules never set force_destroy, and S3 keeps delivering server access logs
 * into the log bucket while the rehearsal runs. Bounded: at most 100 pages of 1000 per bucket.
 * Returns how many objects were deleted per bucket.
 */
export async function emptyBuckets(s3: S3Client, state: AppliedState): Promise<Record<string, number>> {
  const buckets = [...state.values()]
    .filter((r) => r.type === "aws_s3_bucket")
    .map((r) => String(r.values.bucket));
  const deleted: Record<string, number> = {};
  for (const bucket of buckets) {
    deleted[bucket] = 0;
    for (let page = 0; page < 100; page++) {
      const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
      const objects = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({
        Key: v.Key ?? "",
        VersionId: v.VersionId,
      }));
      if (objects.length === 0) break;
      const result = await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
      );
      if (result.Errors && result.Errors.length > 0) {
        const first = result.Errors[0];
        throw new Error(
          `emptying ${bucket}: ${result.Errors.length} objects not deleted, e.g. ${first.Key} (${first.VersionId}): ${first.Code} ${first.Message}`,
        );
      }
      deleted[bucket] += objects.length;
    }
  }
  return deleted;
}
