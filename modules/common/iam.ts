/** Typed IAM policy documents, rendered to JSON at synth so tests can read the exact statements. */

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
  return JSON.stringify(document);
}

/** Trust policy for an AWS service principal, pinned to this account against confused-deputy use. */
export function serviceTrustPolicy(service: string, accountId: string, sourceArnLike?: string): string {
  const condition: Record<string, Record<string, string>> = {
    StringEquals: { "aws:SourceAccount": accountId },
  };
  if (sourceArnLike) condition.ArnLike = { "aws:SourceArn": sourceArnLike };
  return policyDocument({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: condition,
  });
}
