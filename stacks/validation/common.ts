import type { EnvironmentConfig } from "../config";
import type { Checker } from "./checker";

const REGION =
  /^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;

/** Identity, region, tags and state backend. */
export function validateCommon(c: Checker, config: EnvironmentConfig, expectedName?: string): void {
  c.pattern(
    "name",
    config.name,
    /^[a-z][a-z0-9-]{0,19}$/,
    "lowercase letters, digits and dashes, starting with a letter, at most 20 characters",
  );
  if (expectedName !== undefined) {
    c.check(config.name === expectedName, "name", config.name, `must equal the file name "${expectedName}"`);
  }
  c.check(typeof config.production === "boolean", "production", config.production, "must be true or false");
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
  for (const [key, value] of Object.entries(config.tags ?? {})) {
    c.check(
      key.length >= 1 && key.length <= 128 && !key.startsWith("aws:"),
      `tags.${key}`,
      key,
      "tag keys must be 1-128 characters and not start with aws:",
    );
    c.check(
      typeof value === "string" && value.length <= 256,
      `tags.${key}`,
      value,
      "tag values must be strings of at most 256 characters",
    );
  }
  const backend = config.backend;
  if (c.oneOf("backend.type", backend?.type, ["s3", "local"]) && backend.type === "s3") {
    c.pattern(
      "backend.bucket",
      backend.bucket,
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      "a valid S3 bucket name",
    );
  }
  if (config.production) {
    c.check(
      backend?.type === "s3",
      "backend.type",
      backend?.type,
      'must be "s3" (encrypted, locked remote state) in a production environment',
    );
  }
}
