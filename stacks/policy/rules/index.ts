import type { PolicyRule } from "../rule";
import { ENCRYPTION_RULES, LOGGING_RULES } from "./encryption";
import { IAM_RULES } from "./iam";
import { LAMBDA_RULES } from "./lambda";
import { NETWORK_RULES } from "./network";
import { PROTECTION_RULES, STATE_RULES } from "./protection";
import { RELIABILITY_RULES } from "./reliability";
import { S3_RULES } from "./s3";

/** Every guardrail rule, in the order the README lists them. */
export const POLICY_RULES: readonly PolicyRule[] = [
  ...ENCRYPTION_RULES,
  ...LOGGING_RULES,
  ...NETWORK_RULES,
  ...IAM_RULES,
  ...LAMBDA_RULES,
  ...S3_RULES,
  ...RELIABILITY_RULES,
  ...PROTECTION_RULES,
  ...STATE_RULES,
];
