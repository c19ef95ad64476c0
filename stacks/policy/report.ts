/**
 * The policy report contract: synth writes `cdktf.out/stacks/<env>/policy-report.json` with this shape,
 * and the plan review reads it. Keep it backwards compatible.
 */
export const POLICY_REPORT_FILE = "policy-report.json";

export interface PolicyFinding {
  /** Stable guardrail rule id, e.g. "MSKP-S3-001". */
  readonly ruleId: string;
  /** checkov / trivy ids the rule mirrors. */
  readonly mirrors: readonly string[];
  /** Terraform address, e.g. "aws_s3_bucket.sink_bucket_1A2B3C4D". */
  readonly address: string;
  /** Construct path, e.g. "prod/sink/bucket". */
  readonly constructPath: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** "violation" fails synth; "excepted" is a declared, reasoned exception. */
  readonly status: "violation" | "excepted";
  /** The declared reason when excepted. */
  readonly exceptionReason?: string;
}

export interface PolicyReport {
  readonly environment: string;
  /** Ids of every rule evaluated. */
  readonly rulesEvaluated: readonly string[];
  readonly findings: readonly PolicyFinding[];
}
