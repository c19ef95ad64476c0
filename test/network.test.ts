/**
 * The network issue, proven on the synthesized JSON: subnet layout, NAT modes, flow logs, the S3 endpoint,
 * existing-VPC mode, and security groups whose broker ingress is exactly the enabled listeners' ports.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { policyExceptionsOf } from "../modules/common/policy-exceptions";
import {
  cidrContains,
  cidrSubnet,
  cidrsOverlap,
  formatCidr,
  parseCidr,
  subnetLayout,
} from "../modules/network/cidr";
import {
  brokerIngressPorts,
  isKraftVersion,
  LISTENERS,
  type ListenerFeatures,
  listenerFeaturesOf,
  portText,
} from "../modules/network/listeners";
import { Network, type NetworkProps } from "../modules/network/network";
import { KafkaSecurityGroups } from "../modules/network/security-groups";
import type {
  EnvironmentConfig,
  ExistingVpcConfig,
  NatGatewayMode,
  NewVpcConfig,
  ProvisionedClusterConfig,
} from "../stacks/config";
import { resolveEnvironment } from "../stacks/defaults";
import {
  buildStack,
  ENVIRONMENTS,
  onlyResource,
  resourcesOf,
  synthJson,
  type TerraformJson,
} from "./support/synth";

type Resource = Record<string, unknown>;

const provisioned = (config: EnvironmentConfig): ProvisionedClusterConfig => {
  if (config.cluster.type !== "provisioned") throw new Error(`${config.name} is not provisioned`);
  return config.cluster;
};
const created = (config: EnvironmentConfig): NewVpcConfig & { clientCidrs?: readonly string[] } => {
  if (config.network.mode !== "create") throw new Error(`${config.name} does not create its VPC`);
  return config.network;
};

/** A variant of an environment with some cluster settings changed. */
function withCluster(
  config: EnvironmentConfig,
  changes: Partial<ProvisionedClusterConfig>,
): EnvironmentConfig {
  return { ...config, cluster: { ...provisioned(config), ...changes } };
}

/** A variant of an environment with some network settings changed. */
function withNetwork(
  config: EnvironmentConfig,
  changes: Partial<NewVpcConfig> & { clientCidrs?: readonly string[] },
): EnvironmentConfig {
  return { ...config, network: { ...created(config), ...changes } };
}

/** `${aws_x.name.attr}` -> name. */
function refName(value: unknown, type: string, attribute = "id"): string {
  const match = new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.${attribute}\\}$`).exec(String(value));
  if (!match) throw new Error(`${JSON.stringify(value)} is not a reference to ${type}.*.${attribute}`);
  return match[1];
}

/** The three groups' Terraform names, found through the stack outputs (which proves the outputs too). */
function groupNames(json: TerraformJson): { broker: string; clients: string; connect: string } {
  const output = (name: string) => refName(json.output?.[name]?.value, "aws_security_group");
  return {
    broker: output("broker_security_group_id"),
    clients: output("client_security_group_id"),
    connect: output("connect_security_group_id"),
  };
}

/**
 * Broker ingress as sorted "port<-source" strings: source is clients, connect, a CIDR, a workload's own
 * group id, or "vpc" for the cluster VPC's CIDR (the multi-VPC rule); a range reads "14001-14100".
 */
function brokerIngress(json: TerraformJson): string[] {
  const groups = groupNames(json);
  const sourceOf = (name: string, rule: Resource): string => {
    if (name.includes("-from-vpc_")) return "vpc";
    if (rule.cidr_ipv4 !== undefined) return String(rule.cidr_ipv4);
    if (String(rule.referenced_security_group_id).startsWith("sg-"))
      return String(rule.referenced_security_group_id);
    const group = refName(rule.referenced_security_group_id, "aws_security_group");
    if (group === groups.clients) return "clients";
    if (group === groups.connect) return "connect";
    // Lambda's event pollers carry the broker group itself (only while a Lambda consumer exists).
    if (group === groups.broker) return "self";
    if (group?.startsWith("flink_")) return "flink";
    throw new Error(`unexpected source group ${group}`);
  };
  return Object.entries(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))
    .filter(([, rule]) => refName(rule.security_group_id, "aws_security_group") === groups.broker)
    .map(([name, rule]) => {
      expect(rule.ip_protocol).toBe("tcp");
      const ports =
        rule.from_port === rule.to_port ? `${rule.from_port}` : `${rule.from_port}-${rule.to_port}`;
      return `${ports}<-${sourceOf(name, rule)}`;
    })
    .sort();
}

/** Egress rules of one group as sorted "port->destination" strings. */
function egressOf(json: TerraformJson, group: string): string[] {
  const groups = groupNames(json);
  return Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"))
    .filter((rule) => refName(rule.security_group_id, "aws_security_group") === group)
    .map((rule) => {
      const destination =
        rule.cidr_ipv4 ??
        rule.prefix_list_id ??
        (refName(rule.referenced_security_group_id, "aws_security_group") === groups.broker
          ? "brokers"
          : "other-group");
      const ports =
        rule.from_port === rule.to_port ? `${rule.from_port}` : `${rule.from_port}-${rule.to_port}`;
      return `${ports}->${destination}`;
    })
    .sort();
}

const ports = (entries: string[]) => [...new Set(entries.map((e) => Number(e.split("<-")[0])))].sort();

/** Sorted "port<-source" for every source in the list. */
const expected = (spec: Record<string, readonly string[]>): string[] =>
  Object.entries(spec)
    .flatMap(([port, sources]) => sources.map((source) => `${port}<-${source}`))
    .sort();

const VPC_SOURCES = ["clients", "connect"] as const;

describe("cidr arithmetic (modules/network/cidr.ts)", () => {
  it("parses and formats IPv4 CIDRs, refusing host bits, bad octets and leading zeros", () => {
    expect(parseCidr("10.20.0.0/16")).toEqual({ base: 0x0a140000, prefix: 16 });
    expect(parseCidr("192.168.255.0/24")).toEqual({ base: 0xc0a8ff00, prefix: 24 });
    expect(formatCidr({ base: 0xc0a8ff00, prefix: 24 })).toBe("192.168.255.0/24");
    expect(parseCidr("0.0.0.0/0")).toEqual({ base: 0, prefix: 0 });
    for (const bad of ["10.20.0.1/16", "256.0.0.0/8", "10.0.0.0/33", "010.0.0.0/8", "10.0.0.0", "::/0", ""]) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });

  it("cuts subnets like Terraform's cidrsubnet()", () => {
    expect(cidrSubnet("10.0.0.0/16", 4, 0)).toBe("10.0.0.0/20");
    expect(cidrSubnet("10.0.0.0/16", 4, 3)).toBe("10.0.48.0/20");
    expect(cidrSubnet("10.0.0.0/16", 4, 15)).toBe("10.0.240.0/20");
    expect(cidrSubnet("172.16.8.0/24", 4, 9)).toBe("172.16.8.144/28");
    expect(() => cidrSubnet("10.0.0.0/16", 4, 16)).toThrow("cannot take subnet 16 of /20 from 10.0.0.0/16");
    expect(() => cidrSubnet("10.0.0.0/30", 4, 0)).toThrow("cannot take subnet 0 of /34");
    expect(() => cidrSubnet("nonsense", 4, 0)).toThrow("invalid CIDR nonsense");
  });

  it("tells overlap and containment apart", () => {
    expect(cidrsOverlap("10.0.0.0/20", "10.0.15.0/24")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/20", "10.0.16.0/20")).toBe(false);
    expect(cidrsOverlap("10.0.0.0/8", "10.200.0.0/16")).toBe(true);
    expect(cidrContains("10.0.0.0/16", "10.0.240.0/20")).toBe(true);
    expect(cidrContains("10.0.0.0/16", "10.1.0.0/20")).toBe(false);
    expect(cidrContains("10.0.0.0/20", "10.0.0.0/16")).toBe(false);
  });

  it("lays out private blocks 0..n-1 and public blocks 8..8+n-1, all disjoint inside the VPC", () => {
    expect(subnetLayout("10.30.0.0/16", 3)).toEqual({
      private: ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"],
      public: ["10.30.128.0/20", "10.30.144.0/20", "10.30.160.0/20"],
    });
    for (const vpc of ["10.30.0.0/16", "192.168.4.0/22", "172.16.8.0/24"]) {
      const layout = subnetLayout(vpc, 8);
      const all = [...layout.private, ...layout.public];
      for (const subnet of all) expect(cidrContains(vpc, subnet)).toBe(true);
      all.forEach((a, i) => {
        all.slice(i + 1).forEach((b) => {
          expect(cidrsOverlap(a, b)).toBe(false);
        });
      });
    }
    // Appending an AZ keeps the existing subnets' CIDRs (no renumbering, no replacement).
    expect(subnetLayout("10.30.0.0/16", 3).private).toEqual(
      subnetLayout("10.30.0.0/16", 2).private.concat("10.30.32.0/20"),
    );
    expect(() => subnetLayout("10.30.0.0/16", 9)).toThrow("azCount must be an integer from 1 to 8, got 9");
    expect(() => subnetLayout("10.30.0.0/16", 0)).toThrow("got 0");
  });
});

describe("listener port map (modules/network/listeners.ts)", () => {
  const base: ListenerFeatures = {
    clientBroker: "TLS",
    iam: true,
    scram: false,
    mutualTls: false,
    unauthenticated: false,
    publicAccess: false,
    zookeeper: false,
    jmxExporter: false,
    nodeExporter: false,
    multiVpc: false,
  };
  const portsOf = (changes: Partial<ListenerFeatures>) =>
    brokerIngressPorts({ ...base, ...changes }).map((p) => p.fromPort);

  it("recognises KRaft versions by their .kraft suffix", () => {
    expect(isKraftVersion("3.7.x.kraft")).toBe(true);
    expect(isKraftVersion("3.9.x.kraft")).toBe(true);
    expect(isKraftVersion("3.6.0")).toBe(false);
    expect(isKraftVersion("3.7.x")).toBe(false);
  });

  it("opens one port per enabled auth mode and nothing else", () => {
    expect(portsOf({})).toEqual([9098]);
    expect(portsOf({ scram: true })).toEqual([9096, 9098]);
    expect(portsOf({ iam: false, scram: true })).toEqual([9096]);
    expect(portsOf({ clientBroker: "TLS_PLAINTEXT", unauthenticated: true })).toEqual([9092, 9094, 9098]);
    expect(portsOf({ clientBroker: "PLAINTEXT", iam: false, unauthenticated: true })).toEqual([9092]);
  });

  it("keeps 9094 closed for IAM/SCRAM-only clusters: MSK has no TLS listener without mTLS or unauthenticated", () => {
    expect(portsOf({ scram: true })).not.toContain(9094);
    expect(portsOf({ mutualTls: true })).toEqual([9094, 9098]);
    expect(portsOf({ unauthenticated: true })).toEqual([9094, 9098]);
    // Without TLS to clients there is no TLS listener and SASL cannot run.
    expect(portsOf({ clientBroker: "PLAINTEXT", mutualTls: true, scram: true })).toEqual([9092]);
  });

  it("opens public ports only with public access, only for the listeners that exist", () => {
    expect(portsOf({ scram: true, publicAccess: true })).toEqual([9096, 9098, 9196, 9198]);
    expect(portsOf({ mutualTls: true, publicAccess: true })).toEqual([9094, 9098, 9194, 9198]);
    expect(portsOf({ scram: true, mutualTls: true })).toEqual([9094, 9096, 9098]);
  });

  it("opens ZooKeeper ports for ZooKeeper versions and exporter ports for open monitoring", () => {
    expect(portsOf({ zookeeper: true })).toEqual([9098, 2181, 2182]);
    expect(portsOf({ jmxExporter: true })).toEqual([9098, 11001]);
    expect(portsOf({ nodeExporter: true })).toEqual([9098, 11002]);
  });

  it("gives Connect only the listeners MSK Connect can use, and public ports only to listed CIDRs", () => {
    const all = brokerIngressPorts({
      clientBroker: "TLS_PLAINTEXT",
      iam: true,
      scram: true,
      mutualTls: true,
      unauthenticated: true,
      publicAccess: true,
      zookeeper: true,
      jmxExporter: true,
      nodeExporter: true,
      multiVpc: true,
    });
    const sources = Object.fromEntries(all.map((p) => [p.fromPort, [...p.sources].sort()]));
    expect(sources).toEqual({
      9092: ["cidrs", "clients", "connect", "workloads"],
      9094: ["cidrs", "clients", "connect", "workloads"],
      9096: ["cidrs", "clients", "workloads"],
      9098: ["cidrs", "clients", "connect", "flink", "workloads"],
      9194: ["cidrs"],
      9196: ["cidrs"],
      9198: ["cidrs"],
      2181: ["cidrs", "clients"],
      2182: ["cidrs", "clients"],
      11001: ["cidrs", "clients"],
      11002: ["cidrs", "clients"],
      14001: ["vpc"],
    });
    expect(all.find((p) => p.fromPort === 14001)?.toPort).toBe(14100);
    expect(new Set(LISTENERS.map((l) => l.listener)).size).toBe(LISTENERS.length);
  });

  it("derives features from a resolved cluster; serverless is TLS + IAM only", () => {
    const staging = resolveEnvironment(ENVIRONMENTS.staging);
    expect(listenerFeaturesOf(staging.cluster)).toMatchObject({
      clientBroker: "TLS",
      iam: true,
      scram: true,
      zookeeper: false,
    });
    const serverless = listenerFeaturesOf({
      type: "serverless",
      clientAccess: { topicPatterns: [], consumerGroupPatterns: [] },
    });
    expect(brokerIngressPorts(serverless).map((p) => p.fromPort)).toEqual([9098]);
  });

  it("is the port table the README documents", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8").split("\n");
    const names = {
      clients: "client SG",
      connect: "Connect SG",
      cidrs: "clientCidrs",
      workloads: "allowedSecurityGroupIds",
      vpc: "cluster VPC CIDR",
    } as const;
    for (const listener of LISTENERS) {
      const row = readme.find((line) => line.startsWith(`| ${portText(listener)} |`));
      expect(row).toBeDefined();
      expect(row).toContain(listener.when);
      for (const [source, label] of Object.entries(names)) {
        const listed = listener.sources.includes(source as keyof typeof names);
        expect([listener.port, label, row?.includes(label)]).toEqual([listener.port, label, listed]);
      }
    }
  });
});

describe.each(Object.keys(ENVIRONMENTS))("network of %s", (name) => {
  const config = ENVIRONMENTS[name];
  const network = created(config);
  const json = synthJson(config);
  const vpc = onlyResource(json, "aws_vpc");
  const vpcName = Object.keys(resourcesOf(json, "aws_vpc"))[0];
  const subnets = Object.values(resourcesOf(json, "aws_subnet"));
  const tier = (t: string) => subnets.filter((s) => (s.tags as Record<string, string>).tier === t);

  it("creates a VPC with DNS support and hostnames (MSK needs both)", () => {
    expect(vpc).toMatchObject({
      cidr_block: network.cidr,
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it("puts one private subnet in each configured AZ, distinct, inside the VPC, never mapping public IPs", () => {
    const privateSubnets = tier("private");
    const azs = privateSubnets.map((s) => s.availability_zone);
    expect(azs).toEqual([...network.availabilityZones]);
    expect(new Set(azs).size).toBe(azs.length);
    for (const subnet of subnets) {
      expect(cidrContains(network.cidr, String(subnet.cidr_block))).toBe(true);
      expect(subnet.map_public_ip_on_launch).toBe(false);
    }
    subnets.forEach((a, i) => {
      subnets.slice(i + 1).forEach((b) => {
        expect([
          a.cidr_block,
          b.cidr_block,
          cidrsOverlap(String(a.cidr_block), String(b.cidr_block)),
        ]).toEqual([a.cidr_block, b.cidr_block, false]);
      });
    });
  });

  it("runs the cluster in exactly the private subnets and exports them", () => {
    const privateRefs = Object.entries(resourcesOf(json, "aws_subnet"))
      .filter(([, s]) => (s.tags as Record<string, string>).tier === "private")
      .map(([id]) => `\${aws_subnet.${id}.id}`);
    const cluster = onlyResource(json, "aws_msk_cluster") as {
      broker_node_group_info: { client_subnets: string[]; security_groups: string[] };
    };
    expect(cluster.broker_node_group_info.client_subnets).toEqual(privateRefs);
    expect(json.output?.private_subnet_ids?.value).toEqual(privateRefs);
    expect(cluster.broker_node_group_info.security_groups).toEqual([
      json.output?.broker_security_group_id?.value,
    ]);
    expect(json.output?.vpc_id?.value).toBe(`\${aws_vpc.${vpcName}.id}`);
  });

  it("sends flow logs of all traffic to a KMS-encrypted log group with retention", () => {
    const flowLog = onlyResource(json, "aws_flow_log");
    expect(refName(flowLog.vpc_id, "aws_vpc")).toBe(vpcName);
    expect(flowLog.traffic_type).toBe("ALL");
    const group = resourcesOf(json, "aws_cloudwatch_log_group")[
      refName(flowLog.log_destination, "aws_cloudwatch_log_group", "arn")
    ];
    expect(group.retention_in_days).toBe(network.flowLogRetentionDays ?? 365);
    expect(group.retention_in_days as number).toBeGreaterThanOrEqual(365);
    const key = resourcesOf(json, "aws_kms_key")[refName(group.kms_key_id, "aws_kms_key", "arn")];
    expect(key.enable_key_rotation).toBe(true);
    expect((group.lifecycle as { prevent_destroy: boolean }).prevent_destroy).toBe(config.production);
    const role = resourcesOf(json, "aws_iam_role")[refName(flowLog.iam_role_arn, "aws_iam_role", "arn")];
    const trust = JSON.parse(String(role.assume_role_policy));
    expect(trust.Statement[0].Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    expect(trust.Statement[0].Condition.StringEquals).toEqual({ "aws:SourceAccount": config.accountId });
  });

  it("owns the default security group and leaves it without rules", () => {
    const sg = onlyResource(json, "aws_default_security_group");
    expect(refName(sg.vpc_id, "aws_vpc")).toBe(vpcName);
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([]);
  });

  it("routes S3 through a gateway endpoint on every private route table; Connect's S3 egress uses it", () => {
    // Interface endpoints (Lambda pollers, Glue) are tested in test/consumers-lambda.test.ts and test/consumers.test.ts.
    const gateways = Object.entries(resourcesOf(json, "aws_vpc_endpoint")).filter(
      ([, e]) => e.vpc_endpoint_type === "Gateway",
    );
    expect(gateways).toHaveLength(1);
    const [endpointName, endpoint] = gateways[0];
    expect(endpoint).toMatchObject({
      vpc_endpoint_type: "Gateway",
      service_name: `com.amazonaws.${config.region}.s3`,
    });
    const privateTables = Object.entries(resourcesOf(json, "aws_route_table"))
      .filter(([, t]) => (t.tags as Record<string, string>).tier === "private")
      .map(([id]) => `\${aws_route_table.${id}.id}`);
    expect(privateTables).toHaveLength(network.availabilityZones.length);
    expect(endpoint.route_table_ids).toEqual(privateTables);
    expect(egressOf(json, groupNames(json).connect)).toContain(
      `443->\${aws_vpc_endpoint.${endpointName}.prefix_list_id}`,
    );
  });

  it("restricts broker egress to the VPC CIDR and client egress to the brokers", () => {
    const groups = groupNames(json);
    // With a Lambda consumer the brokers may also reach themselves on 9098 (the event pollers carry their group).
    const pollers = (config.consumers?.lambda ?? []).length > 0 ? ["9098->brokers"] : [];
    expect(egressOf(json, groups.broker)).toEqual([`0-65535->${network.cidr}`, ...pollers]);
    expect(egressOf(json, groups.clients).every((e) => e.endsWith("->brokers"))).toBe(true);
    expect(ports(brokerIngress(json).filter((e) => e.endsWith("<-clients")))).toEqual(
      egressOf(json, groups.clients)
        .map((e) => Number(e.split("->")[0]))
        .sort(),
    );
  });
});

/** Guardrails every real environment must pass (checkov CKV_AWS_23/24/25/260/277/382, trivy 0099/0104/0124). */
describe.each(Object.keys(ENVIRONMENTS))("security groups of %s", (name) => {
  const json = synthJson(ENVIRONMENTS[name]);
  const groups = resourcesOf(json, "aws_security_group");
  const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
  const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
  // Characters AWS accepts in group and rule descriptions.
  const DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{10,255}$/;

  it("has three groups (plus the Lambda pollers' endpoint group, one per Flink application and the Glue endpoint's), all rules standalone", () => {
    const flink = ENVIRONMENTS[name].consumers?.flink ?? [];
    const glue = flink.some((app) => (app.schemas ?? []).length > 0) ? 1 : 0;
    // A Lambda consumer whose pollers use interface endpoints adds the endpoints' own group.
    const pollerEndpoints = Object.values(resourcesOf(json, "aws_security_group")).some((g) =>
      String(g.name_prefix ?? "").endsWith("-lambda-poller-endpoints-"),
    );
    expect(Object.keys(groups)).toHaveLength(3 + flink.length + glue + (pollerEndpoints ? 1 : 0));
    for (const group of Object.values(groups)) {
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
      expect(group.lifecycle).toEqual({ create_before_destroy: true });
      expect(group.name).toBeUndefined();
      expect(String(group.name_prefix)).toMatch(
        /^msk-platform-[a-z]+-(msk-(brokers|clients|connect)|lambda-poller-endpoints|flink-[a-z0-9-]+|glue-endpoint)-$/,
      );
    }
    expect(json.resource.aws_security_group_rule).toBeUndefined();
  });

  it("gives every group and rule a real description", () => {
    for (const resource of [...Object.values(groups), ...ingress, ...egress]) {
      expect(String(resource.description)).toMatch(DESCRIPTION);
      expect(resource.description).not.toBe("Managed by Terraform");
    }
  });

  it("never allows ingress from 0.0.0.0/0 or ::/0 and never egress to them", () => {
    for (const rule of [...ingress, ...egress]) {
      expect(rule.cidr_ipv4).not.toBe("0.0.0.0/0");
      expect(rule.cidr_ipv6).toBeUndefined();
      expect(rule.ip_protocol).toBe("tcp");
      if (rule.cidr_ipv4 !== undefined) {
        expect(parseCidr(String(rule.cidr_ipv4))?.prefix).toBeGreaterThanOrEqual(8);
      }
    }
  });

  it("keeps every rule on one of its own three groups", () => {
    const names = Object.keys(groups);
    for (const rule of [...ingress, ...egress]) {
      expect(names).toContain(refName(rule.security_group_id, "aws_security_group"));
      if (rule.referenced_security_group_id !== undefined) {
        expect(names).toContain(refName(rule.referenced_security_group_id, "aws_security_group"));
      }
    }
  });

  it("declares why the exported client and Connect groups are not attached here (CKV2_AWS_5)", () => {
    const stack = buildStack(ENVIRONMENTS[name]);
    for (const group of [
      stack.securityGroups.clientSecurityGroup,
      stack.securityGroups.connectSecurityGroup,
    ]) {
      expect(policyExceptionsOf(group).flatMap((e) => e.checks)).toEqual(["CKV2_AWS_5"]);
    }
    expect(policyExceptionsOf(stack.securityGroups.brokerSecurityGroup)).toEqual([]);
  });
});

describe("broker ingress: exactly the enabled listeners' ports, from the allowed sources", () => {
  const dev = ENVIRONMENTS.dev;
  const staging = ENVIRONMENTS.staging;
  const prod = ENVIRONMENTS.prod;

  it("IAM only (dev): 9098 from the client and Connect groups, nothing else", () => {
    expect(brokerIngress(synthJson(dev))).toEqual(expected({ 9098: VPC_SOURCES }));
  });

  it("IAM only with a listed client range: 9098 from that range too, and no other range", () => {
    const json = synthJson(withNetwork(dev, { clientCidrs: ["10.99.0.0/16"] }));
    expect(brokerIngress(json)).toEqual(expected({ 9098: [...VPC_SOURCES, "10.99.0.0/16"] }));
  });

  it("IAM + SCRAM (staging): 9096 for clients only (MSK Connect cannot use SCRAM), 9098 for both", () => {
    // staging has a Lambda consumer: its event pollers reach 9098 from the broker group itself.
    expect(brokerIngress(synthJson(staging))).toEqual(
      expected({ 9096: ["clients"], 9098: [...VPC_SOURCES, "self"] }),
    );
  });

  it("TLS with plaintext allowed (dev-like, TLS_PLAINTEXT + unauthenticated): 9092, 9094, 9098", () => {
    const devLike = withCluster(dev, {
      clientBroker: "TLS_PLAINTEXT",
      auth: { iam: true, unauthenticated: true },
    });
    const json = synthJson(devLike);
    expect(brokerIngress(json)).toEqual(
      expected({ 9092: VPC_SOURCES, 9094: VPC_SOURCES, 9098: VPC_SOURCES }),
    );
    expect(onlyResource(json, "aws_msk_cluster")).toMatchObject({
      encryption_info: { encryption_in_transit: { client_broker: "TLS_PLAINTEXT" } },
      client_authentication: { unauthenticated: true },
    });
  });

  it("KRaft versions open no ZooKeeper port; ZooKeeper versions open 2181/2182 to clients only", () => {
    expect(isKraftVersion(provisioned(dev).kafkaVersion)).toBe(true);
    expect(ports(brokerIngress(synthJson(dev)))).not.toEqual(expect.arrayContaining([2181]));
    expect(ports(brokerIngress(synthJson(dev)))).not.toEqual(expect.arrayContaining([2182]));
    const zookeeper = synthJson(withCluster(dev, { kafkaVersion: "3.9.x" }));
    expect(brokerIngress(zookeeper)).toEqual(
      expected({ 9098: VPC_SOURCES, 2181: ["clients"], 2182: ["clients"] }),
    );
  });

  it("open monitoring (prod) opens 11001/11002 to clients; each exporter only when enabled", () => {
    // prod also shares its cluster (multi-VPC connectivity on): the 14001-14100 range from its VPC; its Flink
    // application's group gets 9098 and nothing else.
    const iam = [...VPC_SOURCES, "flink"];
    expect(brokerIngress(synthJson(prod))).toEqual(
      expected({ 9098: [...iam, "self"], 11001: ["clients"], 11002: ["clients"], "14001-14100": ["vpc"] }),
    );
    const jmxOnly = withCluster(prod, { openMonitoring: { jmxExporter: true, nodeExporter: false } });
    expect(brokerIngress(synthJson(jmxOnly))).toEqual(
      expected({ 9098: [...iam, "self"], 11001: ["clients"], "14001-14100": ["vpc"] }),
    );
    const off = withCluster(prod, { openMonitoring: undefined });
    expect(brokerIngress(synthJson(off))).toEqual(
      expected({ 9098: [...iam, "self"], "14001-14100": ["vpc"] }),
    );
  });

  it("public access opens 9196/9198 (and 9194 with mTLS) only to listed ranges; never without it", () => {
    const range = "203.0.113.0/24";
    // Public access needs brokers in public subnets (an existing VPC) and Kafka ACLs enforced.
    const withRange: EnvironmentConfig = withCluster(
      {
        ...staging,
        network: {
          mode: "existing",
          vpcId: "vpc-0123456789abcdef0",
          cidr: "10.20.0.0/16",
          privateSubnets: [
            { id: "subnet-0a1a1a1a1a1a1a1a1", availabilityZone: "eu-west-1a" },
            { id: "subnet-0b2b2b2b2b2b2b2b2", availabilityZone: "eu-west-1b" },
            { id: "subnet-0c3c3c3c3c3c3c3c3", availabilityZone: "eu-west-1c" },
          ],
          clientCidrs: [range],
          // staging's Lambda consumer: this VPC is said to have the pollers' endpoints already.
          lambdaPollerAccess: "existing-endpoints",
        },
      },
      {
        kafka: {
          ...provisioned(staging).kafka,
          serverProperties: { "allow.everyone.if.no.acl.found": "false" },
        },
      },
    );
    const privateOnly = expected({ 9096: ["clients", range], 9098: [...VPC_SOURCES, range, "self"] });
    expect(brokerIngress(synthJson(withRange))).toEqual(privateOnly);
    const publicJson = synthJson(withCluster(withRange, { publicAccess: true }));
    expect(brokerIngress(publicJson)).toEqual(
      [...privateOnly, ...expected({ 9196: [range], 9198: [range] })].sort(),
    );
    const ca =
      "arn:aws:acm-pca:eu-west-1:222222222222:certificate-authority/0c1f5e9a-1111-2222-3333-444455556666";
    const mtls = withCluster(withRange, {
      publicAccess: true,
      auth: { iam: true, mutualTls: { certificateAuthorityArns: [ca] } },
    });
    expect(brokerIngress(synthJson(mtls))).toEqual(
      expected({
        9094: [...VPC_SOURCES, range],
        9098: [...VPC_SOURCES, range, "self"],
        9194: [range],
        9198: [range],
      }),
    );
  });

  it("MSK Serverless opens 9098 only", () => {
    const serverless: EnvironmentConfig = {
      ...dev,
      cluster: { type: "serverless", clientAccess: provisioned(dev).clientAccess },
    };
    expect(brokerIngress(synthJson(serverless))).toEqual(expected({ 9098: VPC_SOURCES }));
  });

  it("changing listeners never touches the groups (a new broker group would replace the cluster)", () => {
    const before = synthJson(dev);
    const after = synthJson(
      withNetwork(
        withCluster(dev, {
          kafkaVersion: "3.9.x",
          auth: { iam: true, scram: { users: ["etl"] } },
          openMonitoring: { jmxExporter: true, nodeExporter: true },
        }),
        { clientCidrs: ["10.99.0.0/16"] },
      ),
    );
    expect(resourcesOf(after, "aws_security_group")).toEqual(resourcesOf(before, "aws_security_group"));
    // Existing rules keep their addresses and settings: adding listeners only adds rules.
    for (const type of ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]) {
      const old = resourcesOf(before, type);
      expect(Object.keys(resourcesOf(after, type))).toEqual(expect.arrayContaining(Object.keys(old)));
      for (const [id, rule] of Object.entries(old)) expect(resourcesOf(after, type)[id]).toEqual(rule);
    }
  });

  it("refuses 0.0.0.0/0 as a client range with a clear error", () => {
    expect(() => synthJson(withNetwork(dev, { clientCidrs: ["0.0.0.0/0"] }))).toThrow(
      'network.clientCidrs[0]: got "0.0.0.0/0"; must never be the internet (0.0.0.0/0 or ::/0)',
    );
  });
});

describe("workloads' own security groups (network.allowedSecurityGroupIds)", () => {
  const { dev, staging, prod } = ENVIRONMENTS;
  const WORKLOAD = "sg-0a1b2c3d4e5f60718";
  const OTHER = "sg-0f0e0d0c0b0a09081";
  const admitted = (config: EnvironmentConfig) =>
    withNetwork(config, { allowedSecurityGroupIds: [WORKLOAD, OTHER] } as Partial<NewVpcConfig>);

  it("get broker ingress on exactly the enabled Kafka listener ports and nothing else", () => {
    const before = brokerIngress(synthJson(prod));
    const after = brokerIngress(synthJson(admitted(prod)));
    // prod: IAM (9098) is its only Kafka listener; the exporters and the multi-VPC range stay closed to them.
    expect(after.filter((e) => !before.includes(e))).toEqual([`9098<-${WORKLOAD}`, `9098<-${OTHER}`]);
    expect(before.every((e) => after.includes(e))).toBe(true);
    const scram = brokerIngress(synthJson(admitted(staging))).filter((e) => e.endsWith(WORKLOAD));
    expect(scram).toEqual([`9096<-${WORKLOAD}`, `9098<-${WORKLOAD}`]);
    const plaintext = withCluster(dev, {
      clientBroker: "TLS_PLAINTEXT",
      auth: { iam: true, unauthenticated: true },
      kafkaVersion: "3.9.x",
    });
    expect(brokerIngress(synthJson(admitted(plaintext))).filter((e) => e.endsWith(WORKLOAD))).toEqual([
      `9092<-${WORKLOAD}`,
      `9094<-${WORKLOAD}`,
      `9098<-${WORKLOAD}`,
    ]);
  });

  it("never change the cluster's own security groups, and add no rule to the workloads' groups", () => {
    const json = synthJson(admitted(prod));
    const cluster = onlyResource(json, "aws_msk_cluster") as {
      broker_node_group_info: { security_groups: string[] };
    };
    const plain = onlyResource(synthJson(prod), "aws_msk_cluster") as typeof cluster;
    expect(cluster.broker_node_group_info.security_groups).toEqual(
      plain.broker_node_group_info.security_groups,
    );
    const rules = [
      ...Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")),
      ...Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule")),
    ];
    expect(rules.filter((r) => String(r.security_group_id).startsWith("sg-"))).toEqual([]);
    expect(Object.keys(resourcesOf(json, "aws_security_group"))).toEqual(
      Object.keys(resourcesOf(synthJson(prod), "aws_security_group")),
    );
  });

  it("serverless: the workload group gets 9098 only", () => {
    const serverless: EnvironmentConfig = {
      ...dev,
      cluster: { type: "serverless", clientAccess: dev.cluster.clientAccess },
    };
    expect(brokerIngress(synthJson(admitted(serverless))).filter((e) => e.endsWith(WORKLOAD))).toEqual([
      `9098<-${WORKLOAD}`,
    ]);
  });
});

describe("the multi-VPC range 14001-14100 on the broker group", () => {
  const prod = ENVIRONMENTS.prod;
  const range = (config: EnvironmentConfig) =>
    brokerIngress(synthJson(config)).filter((e) => e.startsWith("14001-14100"));

  it("is open from the cluster VPC's CIDR only while multi-VPC connectivity is on (step 2)", () => {
    expect(range(prod)).toEqual(["14001-14100<-vpc"]);
    const rule = Object.entries(resourcesOf(synthJson(prod), "aws_vpc_security_group_ingress_rule")).find(
      ([name]) => name.includes("multi-vpc"),
    )?.[1];
    expect(rule).toMatchObject({ cidr_ipv4: "10.30.0.0/16", from_port: 14001, to_port: 14100 });
    const step1: EnvironmentConfig = { ...prod, sharing: { ...prod.sharing, clusterArn: undefined } };
    expect(range(step1)).toEqual([]);
    expect(range({ ...prod, sharing: undefined })).toEqual([]);
    expect(range(ENVIRONMENTS.dev)).toEqual([]);
  });
});

describe("NAT modes", () => {
  const base = ENVIRONMENTS.staging;
  const azs = created(base).availabilityZones;
  const variant = (mode: NatGatewayMode) => synthJson(withNetwork(base, { natGateways: mode }));

  /** AZ of the private subnet each private route table serves, by route-table Terraform name. */
  function routeTableAz(json: TerraformJson): Record<string, string> {
    const subnets = resourcesOf(json, "aws_subnet");
    return Object.fromEntries(
      Object.values(resourcesOf(json, "aws_route_table_association")).map((a) => [
        refName(a.route_table_id, "aws_route_table"),
        String(subnets[refName(a.subnet_id, "aws_subnet")].availability_zone),
      ]),
    );
  }

  /** Private route table name -> AZ of the NAT gateway its default route uses. */
  function natAzPerPrivateTable(json: TerraformJson): Record<string, string> {
    const subnets = resourcesOf(json, "aws_subnet");
    const nats = resourcesOf(json, "aws_nat_gateway");
    return Object.fromEntries(
      Object.values(resourcesOf(json, "aws_route"))
        .filter((r) => r.nat_gateway_id !== undefined)
        .map((r) => {
          expect(r.destination_cidr_block).toBe("0.0.0.0/0");
          const nat = nats[refName(r.nat_gateway_id, "aws_nat_gateway")];
          const subnet = subnets[refName(nat.subnet_id, "aws_subnet")];
          expect((subnet.tags as Record<string, string>).tier).toBe("public");
          return [refName(r.route_table_id, "aws_route_table"), String(subnet.availability_zone)];
        }),
    );
  }

  it("none: no internet gateway, NAT, EIP, public subnet or default route", () => {
    const json = variant("none");
    for (const type of ["aws_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_route"]) {
      expect([type, Object.keys(resourcesOf(json, type))]).toEqual([type, []]);
    }
    const tiers = Object.values(resourcesOf(json, "aws_subnet")).map(
      (s) => (s.tags as { tier: string }).tier,
    );
    expect(tiers).toEqual(azs.map(() => "private"));
  });

  it("single: one NAT gateway in the first AZ serves every private route table", () => {
    const json = variant("single");
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, "aws_eip"))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, "aws_internet_gateway"))).toHaveLength(1);
    const natAz = natAzPerPrivateTable(json);
    expect(Object.keys(natAz)).toHaveLength(azs.length);
    expect(new Set(Object.values(natAz))).toEqual(new Set([azs[0]]));
  });

  it("per-az: one NAT gateway per AZ, each private route table using its own AZ's", () => {
    const json = variant("per-az");
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(azs.length);
    expect(Object.keys(resourcesOf(json, "aws_eip"))).toHaveLength(azs.length);
    const natAz = natAzPerPrivateTable(json);
    const tableAz = routeTableAz(json);
    expect(Object.keys(natAz)).toHaveLength(azs.length);
    for (const [table, az] of Object.entries(natAz)) expect([table, az]).toEqual([table, tableAz[table]]);
    expect(new Set(Object.values(natAz))).toEqual(new Set(azs));
  });

  it("public subnets route to the internet gateway and still never map public IPs", () => {
    const json = variant("per-az");
    const publicSubnets = Object.values(resourcesOf(json, "aws_subnet")).filter(
      (s) => (s.tags as { tier: string }).tier === "public",
    );
    expect(publicSubnets.map((s) => s.availability_zone)).toEqual([...azs]);
    for (const s of publicSubnets) expect(s.map_public_ip_on_launch).toBe(false);
    const igwRoutes = Object.values(resourcesOf(json, "aws_route")).filter((r) => r.gateway_id !== undefined);
    expect(igwRoutes).toHaveLength(1);
    const table = resourcesOf(json, "aws_route_table")[
      refName(igwRoutes[0].route_table_id, "aws_route_table")
    ];
    expect((table.tags as { tier: string }).tier).toBe("public");
  });

  it("flow-log retention follows the environment", () => {
    const json = synthJson(withNetwork(base, { flowLogRetentionDays: 731 }));
    const flowLog = onlyResource(json, "aws_flow_log");
    const group = resourcesOf(json, "aws_cloudwatch_log_group")[
      refName(flowLog.log_destination, "aws_cloudwatch_log_group", "arn")
    ];
    expect(group.retention_in_days).toBe(731);
  });
});

describe("existing-VPC mode", () => {
  const subnets = [
    { id: "subnet-0a1a1a1a1a1a1a1a1", availabilityZone: "eu-west-1a" },
    { id: "subnet-0b2b2b2b2b2b2b2b2", availabilityZone: "eu-west-1b" },
    { id: "subnet-0c3c3c3c3c3c3c3c3", availabilityZone: "eu-west-1c" },
  ];
  const existing = (extra: Partial<ExistingVpcConfig> = {}): EnvironmentConfig => ({
    ...ENVIRONMENTS.prod,
    network: {
      mode: "existing",
      vpcId: "vpc-0123456789abcdef0",
      cidr: "10.40.0.0/16",
      privateSubnets: subnets,
      // prod's Lambda consumers: this VPC is said to have the pollers' endpoints already.
      lambdaPollerAccess: "existing-endpoints",
      ...extra,
    },
  });
  const json = synthJson(existing());
  const NETWORK_TYPES = [
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
    "aws_vpc_endpoint",
  ];

  it("creates nothing network-level", () => {
    for (const type of NETWORK_TYPES) expect([type, resourcesOf(json, type)]).toEqual([type, {}]);
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_log_group"))).not.toContainEqual(
      expect.stringContaining("flow-log"),
    );
  });

  it("runs the cluster in the given subnets, with the groups in the given VPC, and exports them", () => {
    const cluster = onlyResource(json, "aws_msk_cluster") as {
      broker_node_group_info: { client_subnets: string[] };
    };
    expect(cluster.broker_node_group_info.client_subnets).toEqual(subnets.map((s) => s.id));
    for (const group of Object.values(resourcesOf(json, "aws_security_group"))) {
      expect(group.vpc_id).toBe("vpc-0123456789abcdef0");
    }
    expect(json.output?.vpc_id?.value).toBe("vpc-0123456789abcdef0");
    expect(json.output?.private_subnet_ids?.value).toEqual(subnets.map((s) => s.id));
    // prod's Lambda consumers: the brokers may reach themselves on 9098 (the event pollers carry their group).
    expect(egressOf(json, groupNames(json).broker)).toEqual(["0-65535->10.40.0.0/16", "9098->brokers"]);
  });

  it("opens the same broker ports as the same cluster in a created VPC", () => {
    expect(brokerIngress(json)).toEqual(brokerIngress(synthJson(ENVIRONMENTS.prod)));
  });

  it("without route tables: no S3 endpoint and no S3 egress for Connect", () => {
    expect(egressOf(json, groupNames(json).connect).every((e) => e.endsWith("->brokers"))).toBe(true);
  });

  it("with route tables: one S3 gateway endpoint on exactly those tables, used by Connect's egress", () => {
    const tables = ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0bbbbbbbbbbbbbbb2"];
    const withTables = synthJson(existing({ privateRouteTableIds: tables }));
    const endpoint = onlyResource(withTables, "aws_vpc_endpoint");
    expect(endpoint).toMatchObject({
      vpc_id: "vpc-0123456789abcdef0",
      vpc_endpoint_type: "Gateway",
      service_name: "com.amazonaws.eu-west-1.s3",
      route_table_ids: tables,
    });
    const name = Object.keys(resourcesOf(withTables, "aws_vpc_endpoint"))[0];
    expect(egressOf(withTables, groupNames(withTables).connect)).toContain(
      `443->\${aws_vpc_endpoint.${name}.prefix_list_id}`,
    );
    for (const type of NETWORK_TYPES.filter((t) => t !== "aws_vpc_endpoint")) {
      expect([type, resourcesOf(withTables, type)]).toEqual([type, {}]);
    }
  });

  it("with the prefix list of an endpoint the VPC already has: Connect reaches S3 through it", () => {
    const withPrefixList = synthJson(existing({ s3PrefixListId: "pl-6ea54007" }));
    expect(resourcesOf(withPrefixList, "aws_vpc_endpoint")).toEqual({});
    expect(egressOf(withPrefixList, groupNames(withPrefixList).connect)).toContain("443->pl-6ea54007");
  });
});

describe("module input checks (before any resource exists)", () => {
  const stack = () => new TerraformStack(Testing.app(), "test");
  const common = {
    prefix: "msk-platform-test",
    region: "eu-west-1",
    accountId: "111111111111",
    partition: "aws",
  };
  const network = (props: Partial<NetworkProps> & Pick<NetworkProps, "mode">) =>
    new Network(stack(), "network", { ...common, ...props } as NetworkProps);
  const groups = (clientCidrs: readonly string[]) =>
    new KafkaSecurityGroups(stack(), "sg", {
      prefix: "msk-platform-test",
      vpcId: "vpc-0123456789abcdef0",
      vpcCidr: "10.0.0.0/16",
      brokerPorts: [],
      clientCidrs,
    });

  it("security groups refuse 0.0.0.0/0, ::/0, huge and duplicate ranges", () => {
    expect(() => groups(["0.0.0.0/0"])).toThrow(
      'clientCidrs[0] must be an IPv4 CIDR of /8 or narrower (never 0.0.0.0/0 or ::/0), got "0.0.0.0/0"',
    );
    expect(() => groups(["10.0.0.0/8", "::/0"])).toThrow("clientCidrs[1] must be an IPv4 CIDR");
    expect(() => groups(["0.0.0.0/1"])).toThrow('got "0.0.0.0/1"');
    expect(() => groups(["10.1.0.0/16", "10.1.0.0/16"])).toThrow(
      'clientCidrs must be distinct, got "10.1.0.0/16" twice',
    );
    expect(() => groups(["10.0.0.0/8", "192.168.1.0/24"])).not.toThrow();
  });

  it("a created network refuses unusable CIDRs and AZ lists", () => {
    const create = { mode: "create" as const, logsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/x" };
    expect(() => network({ ...create, cidr: "10.0.0.0/12", availabilityZones: ["eu-west-1a"] })).toThrow(
      'cidr must be a /16 to /24, got "10.0.0.0/12"',
    );
    expect(() => network({ ...create, cidr: "10.0.0.1/16", availabilityZones: ["eu-west-1a"] })).toThrow(
      'cidr must be an IPv4 CIDR without host bits, got "10.0.0.1/16"',
    );
    expect(() =>
      network({ ...create, cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1a"] }),
    ).toThrow('availabilityZones must be distinct, got "eu-west-1a" twice');
    expect(() => network({ ...create, cidr: "10.0.0.0/16", availabilityZones: [] })).toThrow(
      "availabilityZones must list 1 to 8 zones, got 0",
    );
  });

  it("an existing network refuses malformed ids and subnets sharing an AZ", () => {
    const existing = {
      mode: "existing" as const,
      vpcId: "vpc-0123456789abcdef0",
      cidr: "10.0.0.0/16",
      privateSubnets: [{ id: "subnet-0123456789abcdef0", availabilityZone: "eu-west-1a" }],
    };
    expect(() => network(existing)).not.toThrow();
    expect(() => network({ ...existing, vpcId: "my-vpc" })).toThrow(
      'vpcId must look like "vpc-0123456789abcdef0", got "my-vpc"',
    );
    expect(() => network({ ...existing, privateSubnets: [] })).toThrow(
      "privateSubnets must list at least one",
    );
    expect(() =>
      network({
        ...existing,
        privateSubnets: [
          { id: "subnet-0123456789abcdef0", availabilityZone: "eu-west-1a" },
          { id: "subnet-0123456789abcdef1", availabilityZone: "eu-west-1a" },
        ],
      }),
    ).toThrow('privateSubnets availability zones must be distinct, got "eu-west-1a" twice');
    expect(() => network({ ...existing, privateRouteTableIds: ["rt-1"] })).toThrow(
      'privateRouteTableIds[0] must look like "rtb-0123456789abcdef0"',
    );
    expect(() => network({ ...existing, s3PrefixListId: "s3" })).toThrow(
      's3PrefixListId must look like "pl-',
    );
  });
});
