/**
 * Verifiers for the exclusive IAM resources (modules/common/exclusive-role-policies.ts): the role holds
 * exactly the inline policies and managed-policy attachments they list, nothing more.
 */
import { ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import type { Verifier } from "./checks";

const names = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

const rolePoliciesExclusive: Verifier = async (r, context) => {
  const found = await context.clients.iam.send(
    new ListRolePoliciesCommand({ RoleName: String(r.intended.role_name) }),
  );
  context.check.sameItems(
    r.address,
    "inline policies of the role",
    names(r.intended.policy_names),
    found.PolicyNames ?? [],
  );
};

const rolePolicyAttachmentsExclusive: Verifier = async (r, context) => {
  const found = await context.clients.iam.send(
    new ListAttachedRolePoliciesCommand({ RoleName: String(r.intended.role_name) }),
  );
  context.check.sameItems(
    r.address,
    "managed policies attached to the role",
    names(r.intended.policy_arns),
    (found.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ""),
  );
};

export const exclusiveVerifiers: Readonly<Record<string, Verifier>> = {
  aws_iam_role_policies_exclusive: rolePoliciesExclusive,
  aws_iam_role_policy_attachments_exclusive: rolePolicyAttachmentsExclusive,
};
