import type { EnvironmentConfig } from "../config";
import { partitionOf } from "../defaults";
import type { Checker } from "./checker";
import { isRegion } from "./common";
import { SECURITY_GROUP_ID } from "./sharing";

/** A KMS key ARN (not an alias): arn:PARTITION:kms:REGION:ACCOUNT:key/ID, including multi-Region keys. */
const KMS_KEY_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** Workloads' own security groups and the cluster's own KMS key. */
export function validateBringYourOwn(c: Checker, config: EnvironmentConfig): void {
  const groups = config.network?.allowedSecurityGroupIds;
  if (groups !== undefined && c.list("network.allowedSecurityGroupIds", groups, "security group id", true)) {
    const ok = groups
      .map((id, i) =>
        c.pattern(
          `network.allowedSecurityGroupIds[${i}]`,
          id,
          SECURITY_GROUP_ID,
          'a security group id in the cluster\'s VPC, such as "sg-0123456789abcdef0"',
        ),
      )
      .every(Boolean);
    if (ok) c.unique("network.allowedSecurityGroupIds", groups);
  }

  const cluster = config.cluster;
  if (cluster?.type !== "provisioned" || cluster.kmsKeyArn === undefined) return;
  const arn = cluster.kmsKeyArn;
  const match = KMS_KEY_ARN.exec(typeof arn === "string" ? arn : "");
  if (
    !c.check(
      match !== null,
      "cluster.kmsKeyArn",
      arn,
      typeof arn === "string" && arn.includes(":alias/")
        ? "must be the key's ARN, not an alias: MSK records the key itself, so an alias would read back as a change that replaces the cluster"
        : 'must be a KMS key ARN such as "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
    ) ||
    match === null ||
    !isRegion(config.region)
  ) {
    return;
  }
  const partition = partitionOf(config.region);
  c.check(
    match[1] === partition && match[2] === config.region,
    "cluster.kmsKeyArn",
    arn,
    `must be a key in the environment's partition and region (${partition}, ${config.region}): MSK encrypts with a key of its own region`,
  );
}
