/**
 * Real Terraform, offline: every environment is synthesized once as JSON and once as HCL (`cdktf synth
 * --hcl`), then init-ed from the provider mirror, validated and planned in parallel. Assertions read
 * `terraform show -json`, not the exit code alone.
 */
import { join } from "node:path";
import { type PlanJson, plannedResources, terraform, terraformEnv } from "../tools/terraform";
import { offlineStackDir, planEnvironmentsOffline } from "./support/offline-plans";
import { ENVIRONMENTS } from "./support/synth";

const names = Object.keys(ENVIRONMENTS);
let plans: Record<string, PlanJson> = {};
let hclPlans: Record<string, PlanJson> = {};

beforeAll(async () => {
  [plans, hclPlans] = await Promise.all([
    planEnvironmentsOffline(Object.values(ENVIRONMENTS), "terraform-test"),
    planEnvironmentsOffline(Object.values(ENVIRONMENTS), "terraform-hcl-test", { hcl: true }),
  ]);
}, 600_000);

describe.each(names)("cdktf synth --hcl of %s", (name) => {
  const dir = () => offlineStackDir("terraform-hcl-test", name);

  it("is formatted as terraform fmt writes it", async () => {
    await expect(
      terraform(dir(), ["fmt", "-check", "-diff", "-no-color", join(dir(), "cdk.tf")], terraformEnv()),
    ).resolves.toBeDefined();
  });

  it("validates and plans offline exactly what the JSON plans (every planned value, every output)", () => {
    expect(hclPlans[name].errored).toBe(false);
    expect(hclPlans[name].planned_values).toEqual(plans[name].planned_values);
    expect(hclPlans[name].resource_changes?.map((c) => [c.address, c.change.actions])).toEqual(
      plans[name].resource_changes?.map((c) => [c.address, c.change.actions]),
    );
  });
});

describe.each(names)("terraform plan of %s (offline)", (name) => {
  const config = ENVIRONMENTS[name];
  const plan = () => plans[name];
  const of = (type: string) => plannedResources(plan()).filter((r) => r.type === type);

  it("is a complete, error-free creation plan", () => {
    expect(plan().errored).toBe(false);
    const actions = new Set((plan().resource_changes ?? []).flatMap((c) => c.change.actions));
    expect([...actions]).toEqual(["create"]);
  });

  it("plans the MSK cluster with encryption, IAM auth and the configured sizing", () => {
    const [cluster] = of("aws_msk_cluster");
    const values = cluster.values as {
      cluster_name: string;
      number_of_broker_nodes: number;
      broker_node_group_info: {
        instance_type: string;
        storage_info: { ebs_storage_info: { volume_size: number }[] }[];
      }[];
      encryption_info: { encryption_in_transit: { client_broker: string; in_cluster: boolean }[] }[];
      client_authentication: { sasl: { iam: boolean }[] }[];
    };
    const c = config.cluster.type === "provisioned" ? config.cluster : undefined;
    const azCount =
      config.network.mode === "create"
        ? config.network.availabilityZones.length
        : config.network.privateSubnets.length;
    expect(values.cluster_name).toBe(`msk-platform-${name}`);
    expect(values.number_of_broker_nodes).toBe((c?.brokersPerAz ?? 0) * azCount);
    expect(values.broker_node_group_info[0].instance_type).toBe(c?.instanceType);
    expect(values.broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size).toBe(
      c?.volumeSizeGiB,
    );
    expect(values.encryption_info[0].encryption_in_transit[0]).toEqual({
      client_broker: "TLS",
      in_cluster: true,
    });
    expect(values.client_authentication[0].sasl[0].iam).toBe(true);
  });

  it("plans one private subnet per AZ with the computed CIDRs", () => {
    const subnets = of("aws_subnet").filter(
      (s) => (s.values.tags as Record<string, string>).tier === "private",
    );
    if (config.network.mode !== "create") return;
    expect(subnets.map((s) => s.values.availability_zone).sort()).toEqual(
      [...config.network.availabilityZones].sort(),
    );
    for (const subnet of subnets) expect(subnet.values.map_public_ip_on_launch).toBe(false);
  });

  it("plans a hardened sink bucket", () => {
    expect(of("aws_s3_bucket").map((b) => b.values.force_destroy)).not.toContain(true);
    expect(of("aws_s3_bucket_public_access_block")[0].values).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("tags every taggable resource with the environment through default_tags", () => {
    const tagged = plannedResources(plan()).filter((r) => r.values.tags_all !== undefined);
    expect(tagged.length).toBeGreaterThan(10);
    for (const r of tagged)
      expect(r.values.tags_all).toMatchObject({ environment: name, "managed-by": "cdktf" });
  });
});

describe("prod shares its cluster: prod and its client stack plan offline together", () => {
  const of = (stack: string, type: string) => plannedResources(plans[stack]).filter((r) => r.type === type);

  it("prod plans the cluster policy, the connectivity setting and the multi-VPC port", () => {
    // Its document names the cluster's ARN, known only after apply in a creation plan.
    expect(of("prod", "aws_msk_cluster_policy")).toHaveLength(1);
    const [cluster] = of("prod", "aws_msk_cluster");
    expect(cluster.values.broker_node_group_info).toEqual([
      expect.objectContaining({
        connectivity_info: [
          expect.objectContaining({
            vpc_connectivity: [
              { client_authentication: [{ sasl: [{ iam: true, scram: false }], tls: false }] },
            ],
          }),
        ],
      }),
    ]);
    expect(
      of("prod", "aws_vpc_security_group_ingress_rule").filter((r) => r.values.from_port === 14001),
    ).toEqual([
      expect.objectContaining({
        values: expect.objectContaining({ to_port: 14100, cidr_ipv4: "10.30.0.0/16" }),
      }),
    ]);
  });

  it("prod-client-analytics is an error-free creation plan of the VPC connection and its groups", () => {
    const plan = plans["prod-client-analytics"];
    expect(plan.errored).toBe(false);
    expect((plan.resource_changes ?? []).map((c) => c.type).sort()).toEqual([
      "aws_iam_policy",
      "aws_msk_vpc_connection",
      "aws_security_group",
      "aws_security_group",
      "aws_vpc_security_group_egress_rule",
      "aws_vpc_security_group_ingress_rule",
    ]);
    const [connection] = of("prod-client-analytics", "aws_msk_vpc_connection");
    expect(connection.values).toMatchObject({
      authentication: "SASL_IAM",
      target_cluster_arn: ENVIRONMENTS.prod.sharing?.clusterArn,
      vpc_id: "vpc-044444444444444aa",
    });
    for (const r of plannedResources(plan).filter((x) => x.values.tags_all !== undefined)) {
      expect(r.values.tags_all).toMatchObject({ environment: "prod", "client-vpc": "analytics" });
    }
  });
});
