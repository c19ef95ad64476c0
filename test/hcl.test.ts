/**
 * `cdktf synth --hcl` (stacks/hcl.ts): the stack's Terraform JSON written in native syntax. What makes it
 * exact is proven here on strings and on real stacks; that Terraform reads it as the JSON (fmt, validate,
 * the same planned values) is proven in test/terraform.test.ts.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { TerraformHclModule } from "cdktf";
import { hclTemplate, templateParts } from "../modules/common/hcl-rendering";
import { policyDocument } from "../modules/common/iam";
import { synthesizeEnvironments } from "../stacks/app";
import { resolveEnvironment } from "../stacks/defaults";
import { PlatformStack } from "../stacks/platform-stack";
import { buildStack, ENVIRONMENTS, synthJson } from "./support/synth";

/** Runs `work` with SYNTH_HCL_OUTPUT set, as `cdktf synth --hcl` does for the app. */
function asHcl<T>(work: () => T): T {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = "true";
  try {
    return work();
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

const [name] = Object.keys(ENVIRONMENTS);
const config = ENVIRONMENTS[name];

describe("strings", () => {
  it("writes a lone reference bare and keeps references inside text as interpolations", () => {
    expect(hclTemplate("${aws_s3_bucket.b.arn}")).toBe("aws_s3_bucket.b.arn");
    expect(hclTemplate("${aws_s3_bucket.b.arn}/*")).toBe('"${aws_s3_bucket.b.arn}/*"');
  });

  it("escapes quotes, backslashes and newlines of literal text, and keeps an escaped ${ literal", () => {
    expect(hclTemplate('say "hi"\\now\nnext')).toBe('"say \\"hi\\"\\\\now\\nnext"');
    expect(hclTemplate("$${aws:username}")).toBe('"$${aws:username}"');
    expect(templateParts('a${lookup(x, "}")}b')).toEqual([
      { literal: "a" },
      { expression: 'lookup(x, "}")' },
      { literal: "b" },
    ]);
  });

  it("refuses what it cannot write exactly", () => {
    expect(() => hclTemplate("%{ if x }y%{ endif }")).toThrow("template directives are not supported");
    expect(() => hclTemplate("${unterminated")).toThrow("unterminated interpolation");
  });
});

describe(`the HCL of ${name}`, () => {
  const stack = asHcl(() => buildStack(config));
  const hcl = stack.toHclTerraform().hcl as string;

  it("writes every policy document as jsonencode(...), references bare or interpolated", () => {
    const json = synthJson(config);
    const documents = Object.values(json.resource).flatMap((byName) =>
      Object.values(byName).flatMap((r) =>
        ["policy", "assume_role_policy"].filter((k) => typeof r[k] === "string"),
      ),
    );
    expect(
      hcl.match(/^\s+(policy|assume_role_policy) = jsonencode\(\{\n\s+Version\s+= "2012-10-17"$/gm),
    ).toHaveLength(documents.length);
    expect(hcl).not.toMatch(/= "\{\\?"Version/);
  });

  it("keeps an explicitly empty list of blocks (the default security group holds no rules)", () => {
    const group = /resource "aws_default_security_group" "[^"]+" \{\n([\s\S]*?)\n\}/.exec(hcl)?.[1] ?? "";
    expect(group).toMatch(/^\s+egress\s+= \[\]$/m);
    expect(group).toMatch(/^\s+ingress\s+= \[\]$/m);
  });

  it("carries the backend and the account pin", () => {
    expect(hcl).toContain(`backend "${config.backend.type}" {`);
    expect(hcl).toMatch(new RegExp(`allowed_account_ids = \\["${config.accountId}"\\]`));
  });

  it("indents by two spaces and leaves no interpolation-only string behind (terraform fmt style)", () => {
    expect(hcl).not.toMatch(/= "\$\{[^"{}]*\}"$/m);
    for (const line of hcl.split("\n")) expect(line).toMatch(/^( {2})*\S|^$/);
  });

  it("leaves cdk.tf.json as it was: policy documents are plain JSON strings scanners read", () => {
    const json = synthJson(config);
    const policy = Object.values(json.resource.aws_iam_role ?? {})[0]?.assume_role_policy as string;
    expect(JSON.parse(policy).Version).toBe("2012-10-17");
  });
});

describe("a policy document with quotes and backslashes in its values", () => {
  it("is escaped for HCL inside jsonencode", () => {
    const stack = asHcl(() => buildStack(config));
    new IamPolicy(stack, "tricky", {
      name: "tricky",
      policy: policyDocument({
        Effect: "Deny",
        Action: "s3:GetObject",
        Resource: `${stack.sink.bucket.arn}/*`,
        Condition: { StringLike: { "s3:prefix": ['a"b', "c\\d"] } },
      }),
    });
    const hcl = stack.toHclTerraform().hcl as string;
    const line = hcl.split("\n").find((l) => l.includes('"s3:prefix"'));
    expect(line).toMatch(/"s3:prefix" = \["a\\"b", "c\\\\d"\]$/);
    expect(hcl).toMatch(/^\s+Resource\s+= "\$\{aws_s3_bucket\.sink_bucket_[0-9A-F]+\.arn\}\/\*"$/m);
  });
});

describe("a stack the renderer cannot write", () => {
  it("fails synth with the part it cannot write, and writes nothing", () => {
    const out = join(mkdtempSync(join(tmpdir(), "msk-hcl-")), "out");
    const lines: string[] = [];
    const code = asHcl(() =>
      synthesizeEnvironments(
        [resolveEnvironment(config)],
        out,
        (line) => lines.push(line),
        (app, env) => {
          const stack = new PlatformStack(app, env);
          new TerraformHclModule(stack, "vendored", {
            source: "terraform-aws-modules/vpc/aws",
            version: "5.0.0",
          });
          return stack;
        },
      ),
    );
    expect(code).toBe(1);
    expect(lines.join("\n")).toContain(
      'Cannot write this stack as HCL: module: top-level "module" is not supported',
    );
    expect(lines.join("\n")).toContain("Nothing was synthesized.");
    expect(existsSync(out)).toBe(false);
  });

  it("writes cdk.tf (and no cdk.tf.json) when it can", () => {
    const out = join(mkdtempSync(join(tmpdir(), "msk-hcl-")), "out");
    expect(asHcl(() => synthesizeEnvironments([resolveEnvironment(config)], out, () => {}))).toBe(0);
    expect(readFileSync(join(out, "stacks", name, "cdk.tf"), "utf8")).toContain('provider "aws" {');
    expect(existsSync(join(out, "stacks", name, "cdk.tf.json"))).toBe(false);
  });
});

describe("custom conditions (lifecycle precondition blocks)", () => {
  // Every environment: a shared cluster's policy checks sharing.clusterArn with a precondition.
  const withConditions = Object.values(ENVIRONMENTS).flatMap((c) => {
    const json = synthJson(c);
    const conditions = Object.values(json.resource).flatMap((byName) =>
      Object.values(byName).flatMap(
        (r) =>
          ((r.lifecycle as { precondition?: unknown[] } | undefined)?.precondition ?? []) as {
            error_message: string;
          }[],
      ),
    );
    return conditions.length > 0 ? [{ config: c, conditions }] : [];
  });

  it("are written as one block each, with the condition as an expression and the message as a string", () => {
    expect(withConditions.length).toBeGreaterThan(0);
    for (const { config: c, conditions } of withConditions) {
      const hcl = asHcl(() => buildStack(c).toHclTerraform().hcl as string);
      expect(hcl.match(/^\s+precondition \{$/gm)?.length).toBe(conditions.length);
      expect(hcl).toMatch(/^\s+condition\s+= \(?aws_msk_cluster\.\S+\.arn == "arn:aws:kafka:/m);
      for (const { error_message } of conditions) expect(hcl).toContain(JSON.stringify(error_message));
    }
  });
});
