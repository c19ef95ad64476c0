/**
 * Drift Terraform cannot see, for IAM: every role of every stack gets aws_iam_role_policies_exclusive and
 * aws_iam_role_policy_attachments_exclusive listing exactly its own policies, including roles that modules
 * added later create. (The emulator test in test/recovery.test.ts shows an added policy in the plan.)
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamPolicyAttachment } from "@cdktf/provider-aws/lib/iam-policy-attachment";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Testing } from "cdktf";
import { exemptFromExclusivePolicies } from "../modules/common/exclusive-role-policies";
import { policyDocument, serviceTrustPolicy } from "../modules/common/iam";
import { buildStack, ENVIRONMENTS, resourcesOf, synthJson, type TerraformJson } from "./support/synth";

/** Per role address: the names/ARNs its exclusive resources list. */
function exclusives(json: TerraformJson) {
  const byRole = (type: string, key: string) =>
    Object.fromEntries(
      Object.values(resourcesOf(json, type)).map((r) => [
        String(r.role_name).replace(/^\$\{(.*)\.name\}$/, "$1"),
        [...(r[key] as string[])].sort(),
      ]),
    );
  return {
    policies: byRole("aws_iam_role_policies_exclusive", "policy_names"),
    attachments: byRole("aws_iam_role_policy_attachments_exclusive", "policy_arns"),
  };
}

/** What each role really has in the stack: inline policies and attachments that refer to it. */
function owned(json: TerraformJson, type: string, value: (name: string) => string) {
  const roles = Object.keys(resourcesOf(json, "aws_iam_role")).map((n) => `aws_iam_role.${n}`);
  return Object.fromEntries(
    roles.map((role) => [
      role,
      Object.entries(resourcesOf(json, type))
        .filter(([, r]) => [`\${${role}.id}`, `\${${role}.name}`].includes(String(r.role)))
        .map(([name]) => value(name))
        .sort(),
    ]),
  );
}

describe.each(Object.keys(ENVIRONMENTS))("exclusive role policies in %s", (name) => {
  const json = synthJson(ENVIRONMENTS[name]);
  const { policies, attachments } = exclusives(json);

  it("gives every role one of each, listing exactly the stack's own inline policies and attachments", () => {
    const roles = Object.keys(resourcesOf(json, "aws_iam_role")).map((n) => `aws_iam_role.${n}`);
    expect(roles.length).toBeGreaterThan(0);
    expect(Object.keys(policies).sort()).toEqual(roles.sort());
    expect(Object.keys(attachments).sort()).toEqual(roles.sort());
    expect(policies).toEqual(owned(json, "aws_iam_role_policy", (n) => `\${aws_iam_role_policy.${n}.name}`));
    expect(attachments).toEqual(
      owned(
        json,
        "aws_iam_role_policy_attachment",
        (n) => `\${aws_iam_role_policy_attachment.${n}.policy_arn}`,
      ),
    );
  });

  it("names the Connect role's inline policy by reference, so the exclusive resource follows it", () => {
    const connect = Object.entries(policies).find(([role]) => role.includes("connect_execution-role"));
    expect(connect?.[1]).toEqual(["${aws_iam_role_policy.connect_execution-policy_E20C8B40.name}"]);
  });
});

describe("roles that later modules add", () => {
  function stackWithExtraRole(configure: (role: IamRole) => void) {
    const stack = buildStack(ENVIRONMENTS.dev, Testing.app());
    const role = new IamRole(stack, "consumer-role", {
      name: "msk-platform-dev-consumer",
      assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", ENVIRONMENTS.dev.accountId),
    });
    new IamRolePolicy(stack, "consumer-inline", {
      role: role.name,
      name: "read-topics",
      policy: policyDocument({
        Effect: "Allow",
        Action: "kafka-cluster:Connect",
        Resource: "arn:aws:kafka:eu-west-1:111111111111:cluster/x/y",
      }),
    });
    const managed = new IamPolicy(stack, "consumer-managed", {
      name: "msk-platform-dev-consumer-extra",
      policy: policyDocument({
        Effect: "Allow",
        Action: "logs:PutLogEvents",
        Resource: "arn:aws:logs:eu-west-1:111111111111:log-group:x:*",
      }),
    });
    new IamRolePolicyAttachment(stack, "consumer-attachment", {
      role: "msk-platform-dev-consumer",
      policyArn: managed.arn,
    });
    new IamPolicyAttachment(stack, "shared-attachment", {
      name: "shared",
      roles: [role.name, "someone-else"],
      policyArn: "arn:aws:iam::aws:policy/AWSLambdaMSKExecutionRole",
    });
    configure(role);
    return stack;
  }

  it("get them too, whether policies name the role by reference or literally, or attach through a shared attachment", () => {
    const json = JSON.parse(Testing.synth(stackWithExtraRole(() => {}))) as TerraformJson;
    const { policies, attachments } = exclusives(json);
    expect(policies["aws_iam_role.consumer-role"]).toEqual(["${aws_iam_role_policy.consumer-inline.name}"]);
    expect(attachments["aws_iam_role.consumer-role"]).toEqual([
      "${aws_iam_policy_attachment.shared-attachment.policy_arn}",
      "${aws_iam_role_policy_attachment.consumer-attachment.policy_arn}",
    ]);
  });

  it("can be exempted, with a reason, when others must attach their own policies", () => {
    const json = JSON.parse(
      Testing.synth(
        stackWithExtraRole((role) => exemptFromExclusivePolicies(role, "handed to the analytics team")),
      ),
    ) as TerraformJson;
    expect(exclusives(json).policies["aws_iam_role.consumer-role"]).toBeUndefined();
  });

  it("refuse the role's own inline_policy / managed_policy_arns, which would fight the exclusive resources", () => {
    const stack = stackWithExtraRole((role) => {
      role.managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"];
    });
    expect(() => Testing.synth(stack)).toThrow(
      /role dev\/consumer-role sets inline_policy or managed_policy_arns; give it IamRolePolicy/,
    );
  });
});
