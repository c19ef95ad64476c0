/**
 * Real Terraform, offline: the two-apply sequence of sharing and the traps around it, planned against a state
 * built from a creation plan (tools/review/prior-state.ts), and reviewed. One `terraform init`; every other
 * plan reuses its provider installation.
 *
 * - prod at step 1 (no sharing.clusterArn) is created; step 2 (the ARN set) is an in-place update of the
 *   cluster plus the cluster policy and the multi-VPC port, nothing else;
 * - a kafka.t3.small cluster that changes its broker type and turns connectivity on in one plan is flagged;
 * - a serverless cluster that gains a client VPC is replaced (vpc_config is ForceNew), and the review says so.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentConfig, ProvisionedClusterConfig, SharingConfig } from "../stacks/config";
import {
  emptyState,
  planAgainstState,
  providerSchemas,
  type RawConfig,
  type StateV4,
  stateFromPlan,
} from "../tools/review/prior-state";
import { type EnvironmentReview, loadPlanFile, reviewPlan } from "../tools/review/review";
import { type PlanJson, planOffline, terraformVersion, writeCliConfig } from "../tools/terraform";
import { ENVIRONMENTS, synthToDisk } from "./support/synth";

const BUILD = join(__dirname, "..", ".build", "terraform-sharing-test");
const { dev, prod } = ENVIRONMENTS;
const prodSharing = prod.sharing as SharingConfig;
const step1: EnvironmentConfig = { ...prod, sharing: { ...prodSharing, clusterArn: undefined } };
const devServerless: EnvironmentConfig = {
  ...dev,
  cluster: { type: "serverless", clientAccess: dev.cluster.clientAccess },
};
const teamVpc = {
  name: "team-a",
  accountId: dev.accountId,
  vpcId: "vpc-0a11111111111111a",
  subnetIds: ["subnet-0a1111111111111a1", "subnet-0a1111111111111b2"],
  auth: "iam" as const,
};

const plans: Record<string, PlanJson> = {};
const reviews: Record<string, EnvironmentReview> = {};
let step2Arn = "";
let wrongArnPlan: Promise<PlanJson> | undefined;

/** Synthesizes one config into its own folder; returns the stack folder. */
function synth(folder: string, config: EnvironmentConfig): string {
  return join(synthToDisk([config], join(BUILD, folder)), "stacks", config.name);
}

const raw = (dir: string) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as RawConfig;
const clusterArnIn = (state: StateV4, type = "aws_msk_cluster") =>
  String(state.resources.find((r) => r.type === type)?.instances[0].attributes.arn);

beforeAll(async () => {
  terraformVersion();
  const cliConfig = writeCliConfig(BUILD);
  const step1Dir = synth("step1", step1);
  plans.step1 = await planOffline(step1Dir, cliConfig);
  const options = { cliConfigFile: cliConfig, initialisedStackDir: step1Dir };
  const schemas = await providerSchemas(step1Dir, cliConfig);
  const prodState = stateFromPlan(plans.step1, raw(step1Dir), schemas);
  step2Arn = clusterArnIn(prodState);

  const devDir = synth("dev", dev);
  const serverlessDir = synth("serverless", devServerless);
  const [devPlan, serverlessPlan] = await Promise.all([
    planAgainstState(devDir, emptyState(terraformVersion()), options),
    planAgainstState(serverlessDir, emptyState(terraformVersion()), options),
  ]);
  const devState = stateFromPlan(devPlan, raw(devDir), schemas);
  const serverlessState = stateFromPlan(serverlessPlan, raw(serverlessDir), schemas);

  const step2Dir = synth("step2", { ...prod, sharing: { ...prodSharing, clusterArn: step2Arn } });
  // An ARN of the right shape and name whose cluster is not this one (e.g. copied before a replacement).
  const otherArn = step2Arn.replace(/[0-9a-f]{12}$/, "000000000000");
  const wrongDir = synth("step2-wrong-arn", { ...prod, sharing: { ...prodSharing, clusterArn: otherArn } });
  wrongArnPlan = planAgainstState(wrongDir, prodState, options);
  wrongArnPlan.catch(() => undefined);
  // dev grows out of kafka.t3.small and shares its cluster with a VPC of its account, in one change.
  const devShared: EnvironmentConfig = {
    ...dev,
    cluster: { ...(dev.cluster as ProvisionedClusterConfig), instanceType: "kafka.m5.large" },
    sharing: { clusterArn: clusterArnIn(devState), clientVpcs: [teamVpc] },
  };
  const devSharedDir = synth("dev-shared", devShared);
  const serverlessSharedDir = synth("serverless-shared", {
    ...devServerless,
    sharing: { clientVpcs: [teamVpc] },
  });
  [plans.step2, plans.devShared, plans.serverlessShared] = await Promise.all([
    planAgainstState(step2Dir, prodState, options),
    planAgainstState(devSharedDir, devState, options),
    planAgainstState(serverlessSharedDir, serverlessState, options),
  ]);
  for (const [name, dir] of [
    ["step1", step1Dir],
    ["step2", step2Dir],
    ["devShared", devSharedDir],
    ["serverlessShared", serverlessSharedDir],
  ]) {
    reviews[name] = reviewPlan(loadPlanFile(join(dir, "plan.json")));
  }
}, 600_000);

/** "address: actions" of every change that is not a no-op. */
const changes = (plan: PlanJson) =>
  (plan.resource_changes ?? [])
    .filter((c) => !c.change.actions.every((a) => a === "no-op"))
    .map((c) => `${c.address.replace(/_[0-9A-F]{8}$/, "")}: ${c.change.actions.join("+")}`)
    .sort();

describe("the two-apply sequence of prod", () => {
  it("step 1 creates the cluster without connectivity, cluster policy or the multi-VPC port, and the review has no blocker", () => {
    expect(plans.step1.errored).toBe(false);
    const types = (plans.step1.resource_changes ?? []).map((c) => c.type);
    expect(types).toContain("aws_msk_cluster");
    expect(types).not.toContain("aws_msk_cluster_policy");
    expect(reviews.step1.applyFailures).toEqual([]);
  });

  it("step 2 updates the cluster in place and adds only the cluster policy and the multi-VPC port", () => {
    expect(changes(plans.step2)).toEqual([
      "aws_msk_cluster.msk_cluster: update",
      "aws_msk_cluster_policy.cluster-policy: create",
      "aws_vpc_security_group_ingress_rule.security-groups_broker-ingress-multi-vpc-from-vpc: create",
    ]);
    const cluster = (plans.step2.resource_changes ?? []).find((c) => c.type === "aws_msk_cluster");
    const connectivity = (after: unknown) =>
      (after as { broker_node_group_info: { connectivity_info: { vpc_connectivity: unknown }[] }[] })
        .broker_node_group_info[0].connectivity_info[0].vpc_connectivity;
    expect(connectivity(cluster?.change.before)).toEqual([]);
    expect(connectivity(cluster?.change.after)).toEqual([
      { client_authentication: [{ sasl: [{ iam: true, scram: false }], tls: false }] },
    ]);
  });

  it("step 2 is neither destructive nor refused at apply", () => {
    expect(reviews.step2.destructive).toEqual([]);
    expect(reviews.step2.applyFailures).toEqual([]);
    expect(reviews.step2.counts).toEqual({ create: 2, update: 1, replace: 0, delete: 0 });
  });

  it("the cluster policy's precondition holds for the ARN copied from the cluster_arn output", () => {
    const policy = (plans.step2.resource_changes ?? []).find((c) => c.type === "aws_msk_cluster_policy");
    expect(policy?.change.after?.cluster_arn).toBe(step2Arn);
  });

  it("and stops the plan when sharing.clusterArn names another cluster", async () => {
    await expect(wrongArnPlan).rejects.toThrow(
      /Resource precondition failed[\s\S]*is not this stack's cluster/,
    );
  });
});

describe("traps the plan review flags", () => {
  it("a kafka.t3.small cluster that changes broker type and turns on connectivity in one apply", () => {
    expect(changes(plans.devShared)).toContain("aws_msk_cluster.msk_cluster: update");
    expect(reviews.devShared.applyFailures).toEqual([
      expect.objectContaining({
        address: expect.stringMatching(/^aws_msk_cluster\.msk_cluster_/),
        change: expect.stringContaining(
          "changes the broker type from kafka.t3.small and turns on multi-VPC connectivity (IAM)",
        ),
        instead: "apply the new broker type first, then sharing.clusterArn in a second apply",
      }),
    ]);
  });

  it("a serverless cluster gaining a client VPC is replaced: destructive, named first", () => {
    const replaced = reviews.serverlessShared.destructive.map((d) => `${d.type} ${d.action}`);
    expect(replaced).toEqual(["aws_msk_serverless_cluster replace"]);
    expect(reviews.serverlessShared.destructive[0].forcedBy.map((f) => f.path)).toContain("vpc_config");
  });
});
