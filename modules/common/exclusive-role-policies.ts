import { IamPolicyAttachment } from "@cdktf/provider-aws/lib/iam-policy-attachment";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePoliciesExclusive } from "@cdktf/provider-aws/lib/iam-role-policies-exclusive";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamRolePolicyAttachmentsExclusive } from "@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive";
import {
  Aspects,
  DefaultTokenResolver,
  type IAspect,
  StringConcat,
  TerraformStack,
  Token,
  Tokenization,
} from "cdktf";
import type { IConstruct } from "constructs";

/** Metadata type marking a role whose policies are deliberately managed outside the stack too. */
export const EXCLUSIVE_POLICIES_EXEMPT_METADATA = "msk-platform:exclusive-policies-exempt";

/** Construct ids of the two resources added under each role (they become Terraform addresses). */
export const POLICIES_EXCLUSIVE_ID = "policies-exclusive";
export const ATTACHMENTS_EXCLUSIVE_ID = "policy-attachments-exclusive";

/**
 * Lets others attach policies to `role` without the stack removing them (e.g. a role handed to another
 * team). Say why: the reason is kept with the role.
 */
export function exemptFromExclusivePolicies(role: IamRole, reason: string): void {
  role.node.addMetadata(EXCLUSIVE_POLICIES_EXEMPT_METADATA, reason);
}

/**
 * Drift Terraform cannot see: an inline policy or a managed-policy attachment added to a role by hand
 * (console, CLI, another tool) is invisible to `aws_iam_role_policy` and `aws_iam_role_policy_attachment`,
 * which only read what they created. This aspect gives every `IamRole` in the stack an
 * `aws_iam_role_policies_exclusive` and an `aws_iam_role_policy_attachments_exclusive` listing exactly the
 * stack's own policies of that role, so an extra one shows in the next plan and apply removes it.
 *
 * It runs when the stack is synthesized and finds the policies by what their `role` refers to, so roles
 * that modules add later are covered without any change to them. Roles must get their policies from
 * `IamRolePolicy`, `IamRolePolicyAttachment` or `IamPolicyAttachment` (the role's own `inline_policy` /
 * `managed_policy_arns` would fight the exclusive resources).
 */
export class ExclusiveRolePolicies implements IAspect {
  /** Adds the aspect to `stack`; add it before the guardrails so they evaluate the added resources. */
  static apply(stack: TerraformStack): void {
    Aspects.of(stack).add(new ExclusiveRolePolicies());
  }

  visit(node: IConstruct): void {
    // Everything is decided once, at the stack, before any other aspect reads its Terraform.
    if (!TerraformStack.isStack(node)) return;
    const stack = node;
    const all = stack.node.findAll();
    const policies = all.filter((c): c is IamRolePolicy => c instanceof IamRolePolicy);
    const attachments = all.filter((c): c is IamRolePolicyAttachment => c instanceof IamRolePolicyAttachment);
    const policyAttachments = all.filter((c): c is IamPolicyAttachment => c instanceof IamPolicyAttachment);
    for (const role of all.filter((c): c is IamRole => c instanceof IamRole)) {
      if (role.node.tryFindChild(POLICIES_EXCLUSIVE_ID)) continue; // synthesized before
      if (role.node.metadata.some((m) => m.type === EXCLUSIVE_POLICIES_EXEMPT_METADATA)) continue;
      if (role.inlinePolicyInput !== undefined || role.managedPolicyArnsInput !== undefined) {
        throw new Error(
          `ExclusiveRolePolicies: role ${role.node.path} sets inline_policy or managed_policy_arns; give it ` +
            "IamRolePolicy / IamRolePolicyAttachment resources instead (or exemptFromExclusivePolicies(role, reason))",
        );
      }
      const belongs = roleMatcher(stack, role);
      new IamRolePoliciesExclusive(role, POLICIES_EXCLUSIVE_ID, {
        roleName: role.name,
        // A reference to each policy's name also orders the exclusive resource after the policies.
        policyNames: policies.filter((p) => belongs(p.roleInput)).map((p) => p.name),
      });
      new IamRolePolicyAttachmentsExclusive(role, ATTACHMENTS_EXCLUSIVE_ID, {
        roleName: role.name,
        policyArns: [
          ...attachments.filter((a) => belongs(a.roleInput)).map((a) => a.policyArn),
          // aws_iam_policy_attachment attaches one policy to a list of roles (and users, groups)
          ...policyAttachments.filter((a) => (a.rolesInput ?? []).some(belongs)).map((a) => a.policyArn),
        ],
      });
    }
  }
}

/** Whether a policy's `role` argument names this role: a reference to its id or name, or its literal name. */
function roleMatcher(stack: TerraformStack, role: IamRole): (value: string | undefined) => boolean {
  const address = `${role.terraformResourceType}.${role.friendlyUniqueId}`;
  const references = new Set([`\${${address}.id}`, `\${${address}.name}`]);
  const literalName =
    role.nameInput !== undefined && !Token.isUnresolved(role.nameInput) ? role.nameInput : undefined;
  return (value) => {
    if (value === undefined) return false;
    const resolved: unknown = Token.isUnresolved(value)
      ? Tokenization.resolve(value, {
          scope: stack,
          preparing: false,
          resolver: new DefaultTokenResolver(new StringConcat()),
        })
      : value;
    return typeof resolved === "string" && (references.has(resolved) || resolved === literalName);
  };
}
