/**
 * Typed IAM policy documents. In cdk.tf.json they are plain JSON strings (references inside as `${...}`),
 * which the policy pack, checkov and trivy read; in `cdktf synth --hcl` output they are `jsonencode({...})`
 * (see hcl-rendering.ts: cdktf cannot write such a JSON string as valid HCL).
 */
import { jsonDocument } from "./hcl-rendering";

export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): string {
  const document: PolicyDocument = { Version: "2012-10-17", Statement: statements };
  return jsonDocument(document);
}

/** Trust policy for an AWS service principal, pinned to this account against confused-deputy use. */
export function serviceTrustPolicy(service: string, accountId: string, sourceArnLike?: string): string {
  return jsonDocument(serviceTrustDocument(service, accountId, sourceArnLike));
}

/** The document of serviceTrustPolicy(), as an object (e.g. for an AWS SDK call in a test). */
export function serviceTrustDocument(
  service: string,
  accountId: string,
  sourceArnLike?: string,
): PolicyDocument {
  const condition: Record<string, Record<string, string>> = {
    StringEquals: { "aws:SourceAccount": accountId },
  };
  if (sourceArnLike) condition.ArnLike = { "aws:SourceArn": sourceArnLike };
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: condition },
    ],
  };
}
