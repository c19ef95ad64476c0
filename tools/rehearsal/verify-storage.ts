/** Verifiers for S3: the bucket and each of its configuration resources, read back through the S3 API. */
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  type LifecycleRule,
} from "@aws-sdk/client-s3";
import { checkTags, errorName, type Verifier } from "./checks";
import { block, blocks } from "./stack";

const bucketOf = (intended: Record<string, unknown>): string => String(intended.bucket ?? "");

const bucket: Verifier = async (r, context) => {
  const name = String(r.state.bucket ?? r.state.id ?? "");
  const { s3 } = context.clients;
  await s3.send(new HeadBucketCommand({ Bucket: name }));
  if (r.intended.bucket !== undefined) context.check.equal(r.address, "bucket", r.intended.bucket, name);
  try {
    checkTags(r, context, (await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet);
  } catch (error) {
    if (errorName(error) !== "NoSuchTagSet") throw error;
    checkTags(r, context, []);
  }
};

const versioning: Verifier = async (r, context) => {
  const found = await context.clients.s3.send(
    new GetBucketVersioningCommand({ Bucket: bucketOf(r.intended) }),
  );
  const intended = block(r.intended.versioning_configuration);
  context.check.equal(r.address, "versioning_configuration.status", intended?.status, found.Status);
  if (intended?.mfa_delete !== undefined)
    context.check.equal(
      r.address,
      "versioning_configuration.mfa_delete",
      intended.mfa_delete,
      found.MFADelete,
    );
};

const encryption: Verifier = async (r, context) => {
  const found = await context.clients.s3.send(
    new GetBucketEncryptionCommand({ Bucket: bucketOf(r.intended) }),
  );
  const intended = blocks(r.intended.rule).map((rule) => {
    const byDefault = block(rule.apply_server_side_encryption_by_default);
    return {
      sse_algorithm: byDefault?.sse_algorithm,
      kms_master_key_id: byDefault?.kms_master_key_id,
      bucket_key_enabled: rule.bucket_key_enabled ?? false,
    };
  });
  const actual = (found.ServerSideEncryptionConfiguration?.Rules ?? []).map((rule) => ({
    sse_algorithm: rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    kms_master_key_id: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
    bucket_key_enabled: rule.BucketKeyEnabled ?? false,
  }));
  context.check.sameItems(r.address, "rule", intended, actual);
};

const publicAccessBlock: Verifier = async (r, context) => {
  const found = (
    await context.clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucketOf(r.intended) }))
  ).PublicAccessBlockConfiguration;
  const i = r.intended;
  context.check.equal(
    r.address,
    "flags",
    {
      block_public_acls: i.block_public_acls ?? false,
      block_public_policy: i.block_public_policy ?? false,
      ignore_public_acls: i.ignore_public_acls ?? false,
      restrict_public_buckets: i.restrict_public_buckets ?? false,
    },
    {
      block_public_acls: found?.BlockPublicAcls,
      block_public_policy: found?.BlockPublicPolicy,
      ignore_public_acls: found?.IgnorePublicAcls,
      restrict_public_buckets: found?.RestrictPublicBuckets,
    },
  );
};

const ownership: Verifier = async (r, context) => {
  const found = await context.clients.s3.send(
    new GetBucketOwnershipControlsCommand({ Bucket: bucketOf(r.intended) }),
  );
  context.check.equal(
    r.address,
    "rule.object_ownership",
    block(r.intended.rule)?.object_ownership,
    found.OwnershipControls?.Rules?.[0]?.ObjectOwnership,
  );
};

const policy: Verifier = async (r, context) => {
  const found = await context.clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucketOf(r.intended) }));
  context.check.samePolicy(r.address, "policy", r.intended.policy, found.Policy);
};

/** A lifecycle rule in one comparable shape, from the config or from the API. */
function intendedLifecycleRule(rule: Record<string, unknown>): unknown {
  const filter = block(rule.filter);
  return {
    id: rule.id,
    status: rule.status,
    prefix: filter?.prefix ?? rule.prefix ?? "",
    transitions: blocks(rule.transition).map((t) => ({ days: t.days, storage_class: t.storage_class })),
    expiration_days: block(rule.expiration)?.days,
    noncurrent_expiration_days: block(rule.noncurrent_version_expiration)?.noncurrent_days,
    noncurrent_transitions: blocks(rule.noncurrent_version_transition).map((t) => ({
      days: t.noncurrent_days,
      storage_class: t.storage_class,
    })),
    abort_incomplete_multipart_days: block(rule.abort_incomplete_multipart_upload)?.days_after_initiation,
  };
}

function foundLifecycleRule(rule: LifecycleRule): unknown {
  return {
    id: rule.ID,
    status: rule.Status,
    prefix: rule.Filter?.Prefix ?? rule.Prefix ?? "",
    transitions: (rule.Transitions ?? []).map((t) => ({ days: t.Days, storage_class: t.StorageClass })),
    expiration_days: rule.Expiration?.Days,
    noncurrent_expiration_days: rule.NoncurrentVersionExpiration?.NoncurrentDays,
    noncurrent_transitions: (rule.NoncurrentVersionTransitions ?? []).map((t) => ({
      days: t.NoncurrentDays,
      storage_class: t.StorageClass,
    })),
    abort_incomplete_multipart_days: rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
  };
}

const lifecycle: Verifier = async (r, context) => {
  const found = await context.clients.s3.send(
    new GetBucketLifecycleConfigurationCommand({ Bucket: bucketOf(r.intended) }),
  );
  context.check.sameItems(
    r.address,
    "rule",
    blocks(r.intended.rule).map(intendedLifecycleRule),
    (found.Rules ?? []).map(foundLifecycleRule),
  );
};

const logging: Verifier = async (r, context) => {
  const found = (await context.clients.s3.send(new GetBucketLoggingCommand({ Bucket: bucketOf(r.intended) })))
    .LoggingEnabled;
  context.check.equal(
    r.address,
    "target",
    { target_bucket: r.intended.target_bucket, target_prefix: r.intended.target_prefix ?? "" },
    { target_bucket: found?.TargetBucket, target_prefix: found?.TargetPrefix ?? "" },
  );
};

export const storageVerifiers: Readonly<Record<string, Verifier>> = {
  aws_s3_bucket: bucket,
  aws_s3_bucket_versioning: versioning,
  aws_s3_bucket_server_side_encryption_configuration: encryption,
  aws_s3_bucket_public_access_block: publicAccessBlock,
  aws_s3_bucket_ownership_controls: ownership,
  aws_s3_bucket_policy: policy,
  aws_s3_bucket_lifecycle_configuration: lifecycle,
  aws_s3_bucket_logging: logging,
};
