/**
 * An interrupted deploy recovers with one command and leaves no orphan; drift Terraform cannot see is
 * caught. Against the local emulator, with the emulatable part of one environment's stack (the smallest
 * one in environments/): an apply stopped gracefully (one SIGINT) while creates are in flight, recover,
 * an apply killed (SIGKILL) while others are in flight, its state then emptied as a kill during the write
 * leaves it, restored from the backup as the error says, recover, apply: exit 0, an empty next plan,
 * nothing duplicated or orphaned. Then the two drifts a plain plan misses: an inline policy added to the
 * Connect role (the plan shows it, the apply removes it) and 0.0.0.0/0 on 9098 in the broker group (the
 * plan stays empty, the audit reports it).
 *
 * The fast variant for `npm test`: it leaves out the S3 lifecycle configurations (the provider waits about
 * a minute for each to settle, and they have nothing to recover). `npm run test:recovery` runs every
 * environment at every interruption point with everything applied (test/recovery-long.test.ts).
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { resolveEnvironment } from "../stacks/defaults";
import type { AuditResult } from "../tools/audit/security-groups";
import type { Drift } from "../tools/rehearsal/drift";
import { motoAvailable } from "../tools/rehearsal/emulator";
import { type StackJson, selectTargets, stackResources } from "../tools/rehearsal/stack";
import { checkLocalState, describeStateProblem } from "../tools/state-safety";
import { terraformVersion, writeCliConfig } from "../tools/terraform";
import {
  type ApplyOutcome,
  CREATED_BY,
  EmulatedDeploy,
  HAND_MADE_POLICY,
  INTERRUPTION_POINTS,
  pointsFor,
  withClusterStandIn,
  within,
} from "./support/interrupted-deploy";
import { ENVIRONMENTS, synthJson } from "./support/synth";

/** The environment with the fewest emulatable resources: the cheapest full run. */
const name = Object.keys(ENVIRONMENTS)
  .map((n) => ({
    n,
    size: selectTargets(stackResources(synthJson(ENVIRONMENTS[n]) as unknown as StackJson)).targets.length,
  }))
  .sort((a, b) => a.size - b.size)[0].n;
const env = resolveEnvironment(ENVIRONMENTS[name]);
const buildDir = join(__dirname, "..", ".build", "recovery-test");
/**
 * Left out to keep `npm test` short (test:recovery applies them): the bucket configurations (an interrupted
 * PUT is simply sent again; lifecycle waits about a minute to settle), the alarm topic and the flow log.
 */
const LEFT_OUT = /^(aws_s3_bucket_[a-z_]+|aws_sns_topic[a-z_]*|aws_flow_log)\./;

interface Run {
  graceful?: ApplyOutcome;
  firstRecovery?: Awaited<ReturnType<EmulatedDeploy["recover"]>>;
  killed?: ApplyOutcome;
  damagedState?: string;
  secondRecovery?: Awaited<ReturnType<EmulatedDeploy["recover"]>>;
  final?: ApplyOutcome;
  replan?: Drift[];
  untracked?: string[];
  finalRecovery?: Awaited<ReturnType<EmulatedDeploy["recover"]>>;
  /** The plan after both drifts were made by hand. */
  drift?: Drift[];
  audit?: AuditResult;
  cleanAudit?: AuditResult;
  error?: Error;
}
const run: Run = {};
let deploy: EmulatedDeploy | undefined;
/** The interruption point whose name starts so, with the holds this stack can reach. */
function point(prefix: string) {
  const found = pointsFor(deploy?.targets ?? []).find((p) => p.name.startsWith(prefix));
  if (!found) throw new Error(`no interruption point "${prefix}" applies to ${name}`);
  return found;
}

beforeAll(async () => {
  terraformVersion();
  motoAvailable();
  const stack = withClusterStandIn(synthJson(ENVIRONMENTS[name]) as unknown as StackJson, env);
  deploy = await within(
    120,
    "starting the emulator",
    EmulatedDeploy.start(env, stack, join(buildDir, name), writeCliConfig(buildDir), (address) =>
      LEFT_OUT.test(address),
    ),
  );
  const d = deploy;
  try {
    run.graceful = await d.apply({ point: point("first creates"), mode: "graceful" }, 300);
    run.firstRecovery = await within(120, "recover", d.recover());
    run.killed = await d.apply({ point: point("inside the VPC"), mode: "kill" }, 300);
    // The kill landed while Terraform wrote its state: what 2 of 20 targeted kills did in the issue.
    d.truncateState();
    const problem = checkLocalState(d.workDir, d.workDir);
    run.damagedState = problem ? describeStateProblem(problem) : undefined;
    // The error's own command, run as it is written.
    const restore = problem?.restore.match(/^cp (\S+) (\S+)$/);
    if (restore) copyFileSync(join(d.workDir, restore[1]), join(d.workDir, restore[2]));
    run.secondRecovery = await within(300, "recover --delete-orphans", d.recover(true));
    run.final = await d.apply(undefined, 600);
    // Two read-only checks at once, then recover (which rewrites the import file the plan reads).
    [run.replan, run.untracked] = await Promise.all([
      within(300, "re-plan", d.replan()),
      within(120, "inventory", d.untracked()),
    ]);
    run.finalRecovery = await within(300, "recover", d.recover());

    // The two drifts a plain plan misses, made by hand; the long suite also applies the repair.
    run.cleanAudit = await d.audit();
    await d.addInvisibleDrift();
    run.drift = await within(300, "re-plan", d.replan());
    run.audit = await d.audit();
  } catch (error) {
    run.error = error as Error;
  }
}, 30 * 60_000);

afterAll(async () => {
  await deploy?.stop();
});

const heldTypes = (outcome?: ApplyOutcome) =>
  [...new Set((outcome?.held ?? []).map((h) => CREATED_BY[h]))].sort();
const recoveredTypes = (r?: Awaited<ReturnType<EmulatedDeploy["recover"]>>) =>
  [
    ...new Set([
      ...(r?.reconciliation.imports ?? []).map((i) => i.object.type),
      ...(r?.reconciliation.orphans ?? []).map((o) => o.object.type),
    ]),
  ].sort();

describe(`an interrupted deploy of ${name}, recovered`, () => {
  it("ran every step", () => {
    expect(run.error).toBeUndefined();
  });

  it("stopped the first apply gracefully while role, bucket and key creates were in flight", () => {
    expect(point("first creates")).toEqual(INTERRUPTION_POINTS[0]);
    expect(run.graceful?.stopped).toBe("graceful");
    expect(run.graceful?.ok).toBe(false);
    expect(run.graceful?.output).toContain("context canceled");
    expect(run.graceful?.held.length).toBeGreaterThan(0);
  });

  it("found every create the graceful stop lost and wrote import blocks for them", () => {
    expect(recoveredTypes(run.firstRecovery)).toEqual(expect.arrayContaining(heldTypes(run.graceful)));
    expect(run.firstRecovery?.importsFile).toBeDefined();
    expect(run.firstRecovery?.reconciliation.orphans).toEqual([]);
    expect(run.firstRecovery?.report).toContain("No AWS resource was changed.");
  });

  it("killed the second apply while creates inside the VPC were in flight", () => {
    expect(run.killed?.stopped).toBe("kill");
    expect(run.killed?.output).toMatch(/SIGKILL/);
    expect(run.killed?.held.length).toBeGreaterThan(0);
  });

  it("caught the emptied state before any plan, naming the backup and the exact restore command", () => {
    expect(run.damagedState).toContain("The local state terraform.tfstate is empty");
    expect(run.damagedState).toContain("  cp terraform.tfstate.backup terraform.tfstate");
  });

  it("after the restore, found what the kill lost (the backup predates the killed apply)", () => {
    expect(recoveredTypes(run.secondRecovery)).toEqual(expect.arrayContaining(heldTypes(run.killed)));
    expect(run.secondRecovery?.reconciliation.unlisted).toEqual([]);
    // --delete-orphans deleted what nothing adopts (e.g. the default egress rule of a group whose create was cut)
    expect((run.secondRecovery?.removals ?? []).filter((r) => r.outcome !== "removed")).toEqual([]);
  });

  it("then applies with exit 0, no hand-written import, and plans no change", () => {
    expect(run.final?.ok).toBe(true);
    expect(run.final?.output).toMatch(/Apply complete! Resources: \d+ imported/);
    expect(run.replan).toEqual([]);
  });

  it("leaves nothing duplicated or orphaned in the emulator, and recover then finds nothing", () => {
    expect(run.untracked).toEqual([]);
    expect(run.finalRecovery?.reconciliation.imports).toEqual([]);
    expect(run.finalRecovery?.reconciliation.orphans).toEqual([]);
    expect(run.finalRecovery?.exitCode).toBe(0);
  });
});

describe(`drift a plain plan cannot see, in ${name}`, () => {
  it("an inline policy added to the Connect role shows in the next plan (test:recovery applies the repair)", () => {
    expect(run.drift?.map((d) => [d.address.replace(/_[0-9A-F]{8}$/, ""), d.attributes])).toEqual([
      ["aws_iam_role_policies_exclusive.connect_execution-role_policies-exclusive", ["policy_names"]],
    ]);
    expect(run.drift?.[0].details.join()).toContain(HAND_MADE_POLICY);
  });

  it("0.0.0.0/0 on 9098 in the broker group: the plan shows nothing for it, the audit reports it", () => {
    expect(run.cleanAudit?.findings).toEqual([]);
    // the plan saw only the IAM drift (above): nothing about the group
    expect(run.drift?.filter((d) => d.address.includes("security")) ?? ["no plan"]).toEqual([]);
    expect(
      run.audit?.findings.map((f) => [f.address.replace(/_[0-9A-F]{8}$/, ""), f.rule, f.internet]),
    ).toEqual([["aws_security_group.security-groups_broker", "ingress tcp 9098 from 0.0.0.0/0", true]]);
  });
});
