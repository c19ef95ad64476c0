import type { EnvironmentConfig } from "../config";
import { MAX_TAGS_PER_RESOURCE, PLATFORM_TAG_KEYS } from "./aws-limits";
import type { Checker } from "./checker";
import { bucketNameProblem, tagKeyProblem, tagValueProblem } from "./names";

/** Commercial, China and GovCloud region names, e.g. "eu-west-1", "cn-north-1", "us-gov-west-1". */
export const REGION =
  /^(us|eu|ap|sa|ca|me|af|il|mx|cn)(-gov)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;

export function isRegion(value: unknown): value is string {
  return typeof value === "string" && REGION.test(value);
}

/** A KMS key or alias ARN, e.g. "arn:aws:kms:eu-west-1:111111111111:key/<uuid>". */
export const KMS_ARN =
  /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})|alias\/[A-Za-z0-9/_-]+)$/;

/** Records a bucket-name problem as "must be a valid S3 bucket name: it <rule>". */
export function checkBucketName(c: Checker, path: string, value: unknown, allowDots: boolean): boolean {
  const problem = bucketNameProblem(value, allowDots);
  return c.problem(path, value, problem && `must be a valid S3 bucket name: it ${problem}`);
}

/** Identity, region, tags and state backend. */
export function validateCommon(c: Checker, config: EnvironmentConfig, expectedName?: string): void {
  const nameOk = c.pattern(
    "name",
    config.name,
    /^[a-z][a-z0-9-]{0,19}$/,
    "lowercase letters, digits and dashes, starting with a letter, at most 20 characters",
  );
  if (nameOk && expectedName !== undefined) {
    c.check(config.name === expectedName, "name", config.name, `must equal the file name "${expectedName}"`);
  }
  c.boolean("production", config.production);
  c.pattern("accountId", config.accountId, /^\d{12}$/, "a 12-digit AWS account id");
  c.pattern("region", config.region, REGION, 'an AWS region name such as "eu-west-1"');
  if (config.project !== undefined) {
    c.pattern(
      "project",
      config.project,
      /^[a-z][a-z0-9-]{1,19}$/,
      "lowercase letters, digits and dashes, 2-20 characters",
    );
  }
  validateTags(c, config);
  validateBackend(c, config);
}

function validateTags(c: Checker, config: EnvironmentConfig): void {
  if (config.tags === undefined) return;
  if (
    !c.check(
      typeof config.tags === "object" && config.tags !== null,
      "tags",
      config.tags,
      "must be an object of tag key -> value",
    )
  ) {
    return;
  }
  const entries = Object.entries(config.tags);
  c.check(
    entries.length + PLATFORM_TAG_KEYS.length <= MAX_TAGS_PER_RESOURCE,
    "tags",
    entries.length,
    `must hold at most ${MAX_TAGS_PER_RESOURCE - PLATFORM_TAG_KEYS.length} tags (AWS allows ${MAX_TAGS_PER_RESOURCE} per resource and the platform adds ${PLATFORM_TAG_KEYS.join(", ")})`,
  );
  for (const [key, value] of entries) {
    const path = `tags.${key}`;
    const keyOk = c.problem(path, key, tagKeyProblem(key));
    if (keyOk) {
      c.check(
        !PLATFORM_TAG_KEYS.includes(key),
        path,
        key,
        `is set by the platform on every resource (${PLATFORM_TAG_KEYS.join(", ")}): choose another key`,
      );
    }
    c.problem(path, value, tagValueProblem(value));
  }
}

function validateBackend(c: Checker, config: EnvironmentConfig): void {
  validateBackendAt(c, "backend", config.backend, config.production);
}

/** A state backend at `path` (an environment's `backend`, a client VPC's `sharing.clientVpcs[i].backend`). */
export function validateBackendAt(
  c: Checker,
  path: string,
  backend: EnvironmentConfig["backend"] | undefined,
  production: boolean,
): void {
  if (!c.oneOf(`${path}.type`, backend?.type, ["s3", "local"]) || backend === undefined) return;
  if (backend.type === "s3") {
    checkBucketName(c, `${path}.bucket`, backend.bucket, true);
    if (backend.key !== undefined) {
      c.check(
        typeof backend.key === "string" &&
          backend.key.length > 0 &&
          backend.key.length <= 1024 &&
          !backend.key.startsWith("/"),
        `${path}.key`,
        backend.key,
        'must be an object key of 1-1024 characters not starting with "/", e.g. "msk-platform/prod/terraform.tfstate"',
      );
    }
    if (backend.region !== undefined) {
      c.pattern(`${path}.region`, backend.region, REGION, 'an AWS region name such as "eu-west-1"');
    }
    if (backend.kmsKeyArn !== undefined) {
      c.pattern(
        `${path}.kmsKeyArn`,
        backend.kmsKeyArn,
        KMS_ARN,
        'a KMS key or alias ARN, e.g. "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
      );
    }
  } else if (backend.path !== undefined) {
    c.check(
      typeof backend.path === "string" && backend.path.trim().length > 0,
      `${path}.path`,
      backend.path,
      "must be a non-empty file path",
    );
  }
  if (production) {
    c.check(
      backend.type === "s3",
      `${path}.type`,
      backend.type,
      'must be "s3" (encrypted, locked remote state) in a production environment',
    );
  }
}
