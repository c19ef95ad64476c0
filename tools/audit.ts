/**
 * `npm run audit -- <env> [--out FILE] [--no-synth]`: read-only drift check of what a plan cannot see:
 * rules in the stack's security groups that no resource of the stack manages (tools/audit/
 * security-groups.ts). Reads the deployed state through the stack's real backend and the groups with the
 * caller's AWS credentials (ec2:DescribeSecurityGroups and DescribeSecurityGroupRules); changes nothing.
 * The pull-request plan workflow runs it and appends the Markdown to the review.
 *
 * Exit codes: 0 no unmanaged rule; 1 failed; 2 usage, unknown environment, wrong account or a damaged
 * local state; 4 unmanaged rules found.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { auditMarkdown, auditSecurityGroups } from "./audit/security-groups";
import { showState } from "./deployed-state";
import { exitWith, runEnvironmentCommand } from "./environment-command";
import type { StackJson } from "./rehearsal/stack";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export const AUDIT_EXIT = { clean: 0, failed: 1, usage: 2, findings: 4 } as const;

const USAGE = `usage: npm run audit -- <env> [--out FILE] [--no-synth]

Lists rules in this stack's security groups that the stack does not manage (added outside Terraform,
invisible to every plan). Read-only. Markdown on stdout (and in FILE with --out).

exit 0 none found; 1 failed; 2 usage or refused; 4 unmanaged rules found`;

export function parseAuditArgs(
  args: readonly string[],
): { environment: string; out?: string; synth: boolean } | string {
  let out: string | undefined;
  let synth = true;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--out") {
      out = args[++i];
      if (!out) return "--out needs a file name";
    } else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else if (arg === "--no-synth") synth = false;
    else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  if (positional.length !== 1) return "name exactly one environment";
  return { environment: positional[0], out, synth };
}

async function main(args: readonly string[]): Promise<number> {
  return runEnvironmentCommand("audit", USAGE, args, parseAuditArgs, async (parsed, context) => {
    const { env, stackDir, clients, terraformEnv, signal } = context;
    const state = await showState(stackDir, terraformEnv, signal);
    const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as StackJson;
    const result = await auditSecurityGroups({ environment: env.name, state, stack, ec2: clients.ec2 });
    const markdown = auditMarkdown(result);
    process.stdout.write(markdown);
    if (parsed.out) writeFileSync(parsed.out, markdown);
    console.error(
      `audit: ${env.name}: ${result.findings.length} unmanaged rule(s) in ${result.groups} security group(s)`,
    );
    return result.findings.length > 0 ? AUDIT_EXIT.findings : AUDIT_EXIT.clean;
  });
}

if (require.main === module) exitWith(main(process.argv.slice(2)));
