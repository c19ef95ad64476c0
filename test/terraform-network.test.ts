/**
 * Existing-VPC mode through real Terraform, offline: one synth and one init in beforeAll, then validate and
 * plan. The real environments (created VPCs) are planned by test/terraform.test.ts.
 */
import type { EnvironmentConfig } from "../stacks/config";
import { type PlanJson, type PlannedResource, plannedResources } from "../tools/terraform";
import { planEnvironmentsOffline } from "./support/offline-plans";
import { asNewEnvironment, ENVIRONMENTS } from "./support/synth";

const VPC_ID = "vpc-0123456789abcdef0";
const VPC_CIDR = "10.40.0.0/16";
const SUBNETS = [
  { id: "subnet-0a1a1a1a1a1a1a1a1", availabilityZone: "eu-west-1a" },
  { id: "subnet-0b2b2b2b2b2b2b2b2", availabilityZone: "eu-west-1b" },
  { id: "subnet-0c3c3c3c3c3c3c3c3", availabilityZone: "eu-west-1c" },
];
const ROUTE_TABLES = ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0bbbbbbbbbbbbbbb2", "rtb-0ccccccccccccccc3"];
const PEERED_RANGE = "10.99.0.0/16";

/** Prod's cluster in a VPC that already exists, reachable from one peered range. */
const byo: EnvironmentConfig = {
  ...asNewEnvironment(ENVIRONMENTS.prod, "byo"),
  network: {
    mode: "existing",
    vpcId: VPC_ID,
    cidr: VPC_CIDR,
    privateSubnets: SUBNETS,
    privateRouteTableIds: ROUTE_TABLES,
    clientCidrs: [PEERED_RANGE],
    // prod's Lambda consumers: this VPC is said to have the pollers' endpoints already.
    lambdaPollerAccess: "existing-endpoints",
  },
};

let plan: PlanJson;

beforeAll(async () => {
  plan = (await planEnvironmentsOffline([byo], "terraform-network-test"))[byo.name];
}, 300_000);

const of = (type: string): PlannedResource[] => plannedResources(plan).filter((r) => r.type === type);

describe("terraform plan of an existing-VPC environment (offline)", () => {
  it("validates and plans only creations", () => {
    expect(plan.errored).toBe(false);
    const actions = new Set((plan.resource_changes ?? []).flatMap((c) => c.change.actions));
    expect([...actions]).toEqual(["create"]);
  });

  it("creates nothing network-level except the S3 endpoint on the given route tables", () => {
    for (const type of [
      "aws_vpc",
      "aws_subnet",
      "aws_route_table",
      "aws_route_table_association",
      "aws_route",
      "aws_internet_gateway",
      "aws_nat_gateway",
      "aws_eip",
      "aws_flow_log",
      "aws_default_security_group",
    ]) {
      expect([type, of(type).length]).toEqual([type, 0]);
    }
    const [endpoint, ...others] = of("aws_vpc_endpoint");
    expect(others).toEqual([]);
    expect(endpoint.values).toMatchObject({
      vpc_id: VPC_ID,
      vpc_endpoint_type: "Gateway",
      service_name: "com.amazonaws.eu-west-1.s3",
    });
    expect([...(endpoint.values.route_table_ids as string[])].sort()).toEqual([...ROUTE_TABLES].sort());
  });

  it("plans the cluster in the given subnets and the three groups (and prod's Flink application's) in the given VPC", () => {
    const [cluster] = of("aws_msk_cluster");
    const info = (cluster.values.broker_node_group_info as { client_subnets: string[] }[])[0];
    expect([...info.client_subnets].sort()).toEqual(SUBNETS.map((s) => s.id).sort());
    const groups = of("aws_security_group");
    // No Glue endpoint group in a VPC that already exists: its owner's path to Glue is used.
    expect(groups.map((g) => String(g.values.name_prefix)).sort()).toEqual([
      "msk-platform-byo-flink-balances-",
      "msk-platform-byo-msk-brokers-",
      "msk-platform-byo-msk-clients-",
      "msk-platform-byo-msk-connect-",
    ]);
    for (const group of groups) {
      expect(group.values.vpc_id).toBe(VPC_ID);
      expect(String(group.values.description).length).toBeGreaterThan(20);
    }
  });

  it("plans broker ingress on exactly prod's listener ports, the peered range on the Kafka and exporter ports", () => {
    const ingress = of("aws_vpc_security_group_ingress_rule");
    expect([...new Set(ingress.map((r) => r.values.from_port))].sort()).toEqual([11001, 11002, 9098]);
    const fromRange = ingress.filter((r) => r.values.cidr_ipv4 != null);
    expect(fromRange.map((r) => r.values.cidr_ipv4)).toEqual(fromRange.map(() => PEERED_RANGE));
    expect(fromRange.map((r) => r.values.from_port).sort()).toEqual([11001, 11002, 9098]);
    for (const rule of ingress) expect(String(rule.values.description)).not.toBe("");
  });

  it("limits broker egress to the given VPC CIDR and exports the given ids", () => {
    const cidrEgress = of("aws_vpc_security_group_egress_rule").filter((r) => r.values.cidr_ipv4 != null);
    expect(cidrEgress.map((r) => r.values.cidr_ipv4)).toEqual([VPC_CIDR]);
    const outputs = plan.planned_values?.outputs ?? {};
    expect(outputs.vpc_id?.value).toBe(VPC_ID);
    expect(outputs.private_subnet_ids?.value).toEqual(SUBNETS.map((s) => s.id));
  });
});
