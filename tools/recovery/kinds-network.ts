/**
 * Network objects (EC2): found by this environment's tags, which the provider sets when it creates them
 * (so an object whose create was interrupted carries them too); route-table associations and routes,
 * which cannot carry tags, are read from the environment's route tables.
 */
import {
  DeleteFlowLogsCommand,
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DeleteVpcEndpointsCommand,
  DescribeAddressesCommand,
  DescribeFlowLogsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateAddressCommand,
  DisassociateRouteTableCommand,
  type EC2Client,
  type Filter,
  ReleaseAddressCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type RouteTable,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { PRICE_TABLE, PRICES } from "../review/prices";
import {
  type ConfigView,
  type EnvironmentIdentity,
  type ListContext,
  pages,
  type ResourceKind,
  tagMap,
  waitFor,
} from "./live";

const monthly = (hourly: number) => hourly * PRICE_TABLE.hoursPerMonth;

/** Server-side filter on the three environment tags. */
export function environmentFilters(env: EnvironmentIdentity): Filter[] {
  return [
    { Name: "tag:environment", Values: [env.name] },
    { Name: "tag:project", Values: [env.project] },
    { Name: "tag:managed-by", Values: ["cdktf"] },
  ];
}

const nameOf = (tags: Readonly<Record<string, string>>) => (tags.Name ? ` "${tags.Name}"` : "");

/** Equal when the configuration sets the value; a value the configuration leaves unset matches anything. */
function sameIfSet(config: ConfigView, path: string, actual: unknown): boolean {
  const intended = config.maybe(path);
  return intended === undefined || intended === null || String(intended) === String(actual ?? "");
}

const vpc: ResourceKind = {
  type: "aws_vpc",
  what: "VPC",
  async list({ clients, env }) {
    const vpcs = await pages(async (NextToken) => {
      const r = await clients.ec2.send(
        new DescribeVpcsCommand({ Filters: environmentFilters(env), NextToken }),
      );
      return { items: r.Vpcs ?? [], next: r.NextToken };
    });
    return vpcs.map((v) => {
      const tags = tagMap(v.Tags);
      const id = v.VpcId ?? "";
      return {
        type: "aws_vpc",
        id,
        importId: id,
        label: `VPC ${id} ${v.CidrBlock}${nameOf(tags)}`,
        tags,
        attributes: {
          id,
          cidr_block: v.CidrBlock,
          arn: `arn:aws:ec2:${env.region}:${env.accountId}:vpc/${id}`,
        },
        uses: [],
      };
    });
  },
  identity: (config, o) =>
    config.get("cidr_block") === o.attributes.cidr_block && sameIfSet(config, "tags.Name", o.tags.Name),
  remove: async (clients, o) => {
    await clients.ec2.send(new DeleteVpcCommand({ VpcId: o.id }));
    return "deleted";
  },
  removeOrder: 90,
};

const subnet: ResourceKind = {
  type: "aws_subnet",
  what: "subnet",
  async list({ clients, env }) {
    const subnets = await pages(async (NextToken) => {
      const r = await clients.ec2.send(
        new DescribeSubnetsCommand({ Filters: environmentFilters(env), NextToken }),
      );
      return { items: r.Subnets ?? [], next: r.NextToken };
    });
    return subnets.map((s) => {
      const tags = tagMap(s.Tags);
      const id = s.SubnetId ?? "";
      return {
        type: "aws_subnet",
        id,
        importId: id,
        label: `subnet ${id} ${s.CidrBlock} ${s.AvailabilityZone}${nameOf(tags)}`,
        tags,
        attributes: {
          id,
          arn: s.SubnetArn,
          vpc_id: s.VpcId,
          cidr_block: s.CidrBlock,
          availability_zone: s.AvailabilityZone,
        },
        uses: [s.VpcId ?? ""],
      };
    });
  },
  // A CIDR is unique inside a VPC: the subnet holding it is the one the configuration wants.
  identity: (config, o) =>
    config.get("vpc_id") === o.attributes.vpc_id && config.get("cidr_block") === o.attributes.cidr_block,
  remove: async (clients, o) => {
    await clients.ec2.send(new DeleteSubnetCommand({ SubnetId: o.id }));
    return "deleted (its CIDR is free again)";
  },
  removeOrder: 70,
};

/** The environment's route tables, read once for tables, associations and routes. */
async function routeTables({ clients, env }: ListContext): Promise<RouteTable[]> {
  return pages(async (NextToken) => {
    const r = await clients.ec2.send(
      new DescribeRouteTablesCommand({ Filters: environmentFilters(env), NextToken }),
    );
    return { items: r.RouteTables ?? [], next: r.NextToken };
  });
}

const routeTable: ResourceKind = {
  type: "aws_route_table",
  what: "route table",
  async list(context) {
    return (await routeTables(context)).map((t) => {
      const tags = tagMap(t.Tags);
      const id = t.RouteTableId ?? "";
      return {
        type: "aws_route_table",
        id,
        importId: id,
        label: `route table ${id}${nameOf(tags)}`,
        tags,
        attributes: { id, vpc_id: t.VpcId },
        uses: [t.VpcId ?? ""],
      };
    });
  },
  identity: (config, o) =>
    config.get("vpc_id") === o.attributes.vpc_id && sameIfSet(config, "tags.Name", o.tags.Name),
  remove: async (clients, o) => {
    const tables = await clients.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [o.id] }));
    for (const association of tables.RouteTables?.[0]?.Associations ?? []) {
      if (!association.Main && association.RouteTableAssociationId)
        await clients.ec2.send(
          new DisassociateRouteTableCommand({ AssociationId: association.RouteTableAssociationId }),
        );
    }
    await clients.ec2.send(new DeleteRouteTableCommand({ RouteTableId: o.id }));
    return "disassociated and deleted";
  },
  removeOrder: 60,
};

const routeTableAssociation: ResourceKind = {
  type: "aws_route_table_association",
  what: "route table association",
  async list(context) {
    return (await routeTables(context)).flatMap((t) =>
      (t.Associations ?? [])
        .filter((a) => a.SubnetId && !a.Main)
        .map((a) => ({
          type: "aws_route_table_association",
          id: a.RouteTableAssociationId ?? "",
          importId: `${a.SubnetId}/${t.RouteTableId}`,
          label: `association of subnet ${a.SubnetId} with ${t.RouteTableId}`,
          tags: {},
          attributes: {
            id: a.RouteTableAssociationId,
            subnet_id: a.SubnetId,
            route_table_id: t.RouteTableId,
          },
          uses: [a.SubnetId ?? "", t.RouteTableId ?? ""],
        })),
    );
  },
  // A subnet has one association: the apply moves it to the intended table if it is on another one.
  identity: (config, o) => config.get("subnet_id") === o.attributes.subnet_id,
};

const route: ResourceKind = {
  type: "aws_route",
  what: "route",
  async list(context) {
    return (await routeTables(context)).flatMap((t) =>
      (t.Routes ?? [])
        // The VPC's local route and the routes a gateway endpoint adds are nobody's aws_route.
        .filter((r) => r.DestinationCidrBlock && r.GatewayId !== "local" && r.Origin !== "CreateRouteTable")
        .map((r) => ({
          type: "aws_route",
          id: `${t.RouteTableId}_${r.DestinationCidrBlock}`,
          importId: `${t.RouteTableId}_${r.DestinationCidrBlock}`,
          label: `route ${r.DestinationCidrBlock} in ${t.RouteTableId} via ${r.NatGatewayId ?? r.GatewayId ?? "?"}`,
          tags: {},
          attributes: { route_table_id: t.RouteTableId, destination_cidr_block: r.DestinationCidrBlock },
          uses: [t.RouteTableId ?? "", r.NatGatewayId ?? r.GatewayId ?? ""],
        })),
    );
  },
  identity: (config, o) =>
    config.get("route_table_id") === o.attributes.route_table_id &&
    config.get("destination_cidr_block") === o.attributes.destination_cidr_block,
  managedBy: (values, o) =>
    values.route_table_id === o.attributes.route_table_id &&
    values.destination_cidr_block === o.attributes.destination_cidr_block,
};

const internetGateway: ResourceKind = {
  type: "aws_internet_gateway",
  what: "internet gateway",
  async list({ clients, env }) {
    const gateways = await pages(async (NextToken) => {
      const r = await clients.ec2.send(
        new DescribeInternetGatewaysCommand({ Filters: environmentFilters(env), NextToken }),
      );
      return { items: r.InternetGateways ?? [], next: r.NextToken };
    });
    return gateways.map((g) => {
      const tags = tagMap(g.Tags);
      const id = g.InternetGatewayId ?? "";
      const vpcId = g.Attachments?.[0]?.VpcId;
      return {
        type: "aws_internet_gateway",
        id,
        importId: id,
        label: `internet gateway ${id}${vpcId ? ` on ${vpcId}` : " (detached)"}${nameOf(tags)}`,
        tags,
        attributes: { id, vpc_id: vpcId },
        uses: vpcId ? [vpcId] : [],
      };
    });
  },
  // A gateway whose attach was interrupted is still detached: the apply attaches it.
  identity: (config, o) =>
    sameIfSet(config, "tags.Name", o.tags.Name) &&
    (o.attributes.vpc_id === undefined || config.get("vpc_id") === o.attributes.vpc_id),
  remove: async (clients, o) => {
    if (typeof o.attributes.vpc_id === "string")
      await clients.ec2.send(
        new DetachInternetGatewayCommand({ InternetGatewayId: o.id, VpcId: o.attributes.vpc_id }),
      );
    await clients.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: o.id }));
    return "detached and deleted";
  },
  removeOrder: 80,
};

const eip: ResourceKind = {
  type: "aws_eip",
  what: "Elastic IP",
  async list({ clients, env }) {
    const r = await clients.ec2.send(new DescribeAddressesCommand({ Filters: environmentFilters(env) }));
    return (r.Addresses ?? []).map((a) => {
      const tags = tagMap(a.Tags);
      const id = a.AllocationId ?? "";
      return {
        type: "aws_eip",
        id,
        importId: id,
        label: `Elastic IP ${id} ${a.PublicIp}${a.AssociationId ? " (associated)" : ""}${nameOf(tags)}`,
        tags,
        attributes: { id, allocation_id: id, public_ip: a.PublicIp, association_id: a.AssociationId },
        uses: [],
        monthlyUsd: monthly(PRICES.publicIpv4Hour.usd),
      };
    });
  },
  identity: (config, o) => sameIfSet(config, "tags.Name", o.tags.Name),
  remove: async (clients, o) => {
    // Its NAT gateway, deleted first, releases the association; anything else still holding it is let go.
    const current = await clients.ec2.send(new DescribeAddressesCommand({ AllocationIds: [o.id] }));
    const associationId = current.Addresses?.[0]?.AssociationId;
    if (associationId)
      await clients.ec2.send(new DisassociateAddressCommand({ AssociationId: associationId }));
    await clients.ec2.send(new ReleaseAddressCommand({ AllocationId: o.id }));
    return associationId ? "disassociated and released" : "released";
  },
  removeOrder: 30,
};

const natGateway: ResourceKind = {
  type: "aws_nat_gateway",
  what: "NAT gateway",
  async list({ clients, env }) {
    const gateways = await pages(async (NextToken) => {
      const r = await clients.ec2.send(
        new DescribeNatGatewaysCommand({ Filter: environmentFilters(env), NextToken }),
      );
      return { items: r.NatGateways ?? [], next: r.NextToken };
    });
    return gateways
      .filter((n) => n.State !== "deleted" && n.State !== "deleting")
      .map((n) => {
        const tags = tagMap(n.Tags);
        const id = n.NatGatewayId ?? "";
        const allocation = n.NatGatewayAddresses?.[0]?.AllocationId;
        return {
          type: "aws_nat_gateway",
          id,
          importId: id,
          label: `NAT gateway ${id} in ${n.SubnetId}${allocation ? ` holding ${allocation}` : ""}${nameOf(tags)}`,
          tags,
          attributes: { id, subnet_id: n.SubnetId, allocation_id: allocation, vpc_id: n.VpcId },
          uses: [n.SubnetId ?? "", allocation ?? ""].filter(Boolean),
          createdAt: n.CreateTime,
          monthlyUsd: monthly(PRICES.natGatewayHour.usd),
        };
      });
  },
  identity: (config, o) =>
    config.get("subnet_id") === o.attributes.subnet_id && sameIfSet(config, "tags.Name", o.tags.Name),
  remove: async (clients, o, log) => {
    await clients.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: o.id }));
    log(`  waiting for ${o.id} to be deleted (it releases its Elastic IP and network interface)`);
    const gone = await waitFor(async () => {
      const r = await clients.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [o.id] }));
      const state = r.NatGateways?.[0]?.State;
      return state === undefined || state === "deleted";
    });
    return gone ? "deleted" : "deletion started; not finished after 10 minutes";
  },
  removeOrder: 10,
};

const vpcEndpoint: ResourceKind = {
  type: "aws_vpc_endpoint",
  what: "VPC endpoint",
  async list({ clients, env }) {
    const endpoints = await pages(async (NextToken) => {
      const r = await clients.ec2.send(
        new DescribeVpcEndpointsCommand({ Filters: environmentFilters(env), NextToken }),
      );
      return { items: r.VpcEndpoints ?? [], next: r.NextToken };
    });
    const live = endpoints.filter((e) => !["deleted", "deleting"].includes(String(e.State).toLowerCase()));
    // A gateway endpoint's prefix list, which rules of the stack reference.
    const prefixLists = new Map<string, string>();
    for (const service of new Set(live.map((e) => e.ServiceName ?? ""))) {
      try {
        const r = await clients.ec2.send(
          new DescribePrefixListsCommand({ Filters: [{ Name: "prefix-list-name", Values: [service] }] }),
        );
        const id = r.PrefixLists?.[0]?.PrefixListId;
        if (id) prefixLists.set(service, id);
      } catch {
        // not every endpoint type has one
      }
    }
    return live.map((e) => {
      const tags = tagMap(e.Tags);
      const id = e.VpcEndpointId ?? "";
      const interfaceEndpoint = e.VpcEndpointType === "Interface";
      return {
        type: "aws_vpc_endpoint",
        id,
        importId: id,
        label: `VPC endpoint ${id} ${e.ServiceName} in ${e.VpcId}${nameOf(tags)}`,
        tags,
        attributes: {
          id,
          vpc_id: e.VpcId,
          service_name: e.ServiceName,
          prefix_list_id: prefixLists.get(e.ServiceName ?? ""),
        },
        uses: [e.VpcId ?? "", ...(e.RouteTableIds ?? [])],
        createdAt: e.CreationTimestamp,
        ...(interfaceEndpoint
          ? { monthlyUsd: monthly(PRICES.interfaceEndpointHour.usd) * Math.max(1, e.SubnetIds?.length ?? 1) }
          : {}),
      };
    });
  },
  identity: (config, o) =>
    config.get("vpc_id") === o.attributes.vpc_id && config.get("service_name") === o.attributes.service_name,
  remove: async (clients, o) => {
    await clients.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [o.id] }));
    await waitFor(async () => {
      const r = await clients.ec2.send(
        new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-endpoint-id", Values: [o.id] }] }),
      );
      const state = String(r.VpcEndpoints?.[0]?.State ?? "deleted").toLowerCase();
      return state === "deleted";
    }, 60);
    return "deleted";
  },
  removeOrder: 15,
};

const securityGroup: ResourceKind = {
  type: "aws_security_group",
  what: "security group",
  async list({ clients, env }) {
    const groups = await pages(async (NextToken) => {
      const r = await clients.ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: environmentFilters(env), NextToken }),
      );
      return { items: r.SecurityGroups ?? [], next: r.NextToken };
    });
    // A VPC's default group comes and goes with the VPC (aws_default_security_group only adopts it).
    return groups
      .filter((g) => g.GroupName !== "default")
      .map((g) => {
        const tags = tagMap(g.Tags);
        const id = g.GroupId ?? "";
        return {
          type: "aws_security_group",
          id,
          importId: id,
          label: `security group ${id} ${g.GroupName} in ${g.VpcId}`,
          tags,
          attributes: {
            id,
            arn: g.SecurityGroupArn,
            vpc_id: g.VpcId,
            name: g.GroupName,
            description: g.Description,
          },
          uses: [g.VpcId ?? ""],
        };
      });
  },
  // name_prefix groups get a generated suffix: the prefix, VPC and description identify them.
  identity: (config, o) => {
    const name = String(o.attributes.name ?? "");
    const exact = config.maybe("name");
    const prefix = config.maybe("name_prefix");
    const named =
      typeof exact === "string" ? name === exact : typeof prefix === "string" && name.startsWith(prefix);
    return (
      named &&
      config.get("vpc_id") === o.attributes.vpc_id &&
      sameIfSet(config, "description", o.attributes.description)
    );
  },
  remove: async (clients, o) => {
    await clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: o.id }));
    return "deleted";
  },
  removeOrder: 50,
};

/** The source of a rule as the standalone rule resources name it. */
function ruleAttributes(r: SecurityGroupRule): Record<string, unknown> {
  return {
    id: r.SecurityGroupRuleId,
    security_group_id: r.GroupId,
    ip_protocol: r.IpProtocol,
    from_port: r.FromPort,
    to_port: r.ToPort,
    cidr_ipv4: r.CidrIpv4,
    cidr_ipv6: r.CidrIpv6,
    prefix_list_id: r.PrefixListId,
    referenced_security_group_id: r.ReferencedGroupInfo?.GroupId,
    description: r.Description,
  };
}

/** Every rule of these groups, tagged or not (the audit needs all of them). */
export async function rulesOfGroupsIn(
  ec2: EC2Client,
  groupIds: readonly string[],
): Promise<SecurityGroupRule[]> {
  if (groupIds.length === 0) return [];
  return pages(async (NextToken) => {
    const r = await ec2.send(
      new DescribeSecurityGroupRulesCommand({
        Filters: [{ Name: "group-id", Values: [...groupIds] }],
        NextToken,
      }),
    );
    return { items: r.SecurityGroupRules ?? [], next: r.NextToken };
  });
}

/** One rule for people: `ingress tcp 9098 from 0.0.0.0/0`. */
export function describeRule(r: SecurityGroupRule): string {
  const ports =
    r.IpProtocol === "-1"
      ? "all traffic"
      : r.FromPort === r.ToPort
        ? `${r.IpProtocol} ${r.FromPort}`
        : `${r.IpProtocol} ${r.FromPort}-${r.ToPort}`;
  const peer = r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId ?? "?";
  return `${r.IsEgress ? "egress" : "ingress"} ${ports} ${r.IsEgress ? "to" : "from"} ${peer}`;
}

/**
 * The allow-all egress rule AWS gives every new group. The provider revokes it right after creating a
 * group without inline rules; a create interrupted in between leaves it, untagged and undescribed.
 */
function isDefaultEgress(r: SecurityGroupRule): boolean {
  return (
    Boolean(r.IsEgress) &&
    r.IpProtocol === "-1" &&
    r.CidrIpv4 === "0.0.0.0/0" &&
    !r.Description &&
    (r.Tags ?? []).length === 0
  );
}

function ruleKind(type: string, egress: boolean): ResourceKind {
  return {
    type,
    what: egress ? "security group egress rule" : "security group ingress rule",
    async list(context) {
      const groups = await securityGroup.list(context);
      return (
        await rulesOfGroupsIn(
          context.clients.ec2,
          groups.map((g) => g.id),
        )
      )
        .filter((r) => Boolean(r.IsEgress) === egress)
        .map((r) => {
          const leftByCreate = isDefaultEgress(r);
          return {
            type,
            id: r.SecurityGroupRuleId ?? "",
            importId: r.SecurityGroupRuleId ?? "",
            label: leftByCreate
              ? `AWS's default allow-all egress rule ${r.SecurityGroupRuleId} of ${r.GroupId}, which the interrupted create did not remove`
              : `rule ${r.SecurityGroupRuleId} of ${r.GroupId}: ${describeRule(r)}`,
            // It came with the group, which carries this environment's tags; it can carry none itself.
            tags: leftByCreate ? (groups.find((g) => g.id === r.GroupId)?.tags ?? {}) : tagMap(r.Tags),
            attributes: ruleAttributes(r),
            uses: [r.GroupId ?? ""],
          };
        });
    },
    identity: (config, o) =>
      config.get("security_group_id") === o.attributes.security_group_id &&
      String(config.get("ip_protocol")).toLowerCase() === String(o.attributes.ip_protocol).toLowerCase() &&
      (
        [
          "from_port",
          "to_port",
          "cidr_ipv4",
          "cidr_ipv6",
          "prefix_list_id",
          "referenced_security_group_id",
        ] as const
      ).every((key) => String(config.maybe(key) ?? "") === String(o.attributes[key] ?? "")),
    remove: async (clients, o) => {
      const request = { GroupId: String(o.attributes.security_group_id), SecurityGroupRuleIds: [o.id] };
      if (egress) await clients.ec2.send(new RevokeSecurityGroupEgressCommand(request));
      else await clients.ec2.send(new RevokeSecurityGroupIngressCommand(request));
      return "revoked";
    },
    removeOrder: 40,
  };
}

const flowLog: ResourceKind = {
  type: "aws_flow_log",
  what: "flow log",
  async list({ clients, env }) {
    const logs = await pages(async (NextToken) => {
      const r = await clients.ec2.send(
        new DescribeFlowLogsCommand({ Filter: environmentFilters(env), NextToken }),
      );
      return { items: r.FlowLogs ?? [], next: r.NextToken };
    });
    return logs.map((f) => {
      const tags = tagMap(f.Tags);
      const id = f.FlowLogId ?? "";
      return {
        type: "aws_flow_log",
        id,
        importId: id,
        label: `flow log ${id} of ${f.ResourceId} to ${f.LogDestination ?? f.LogGroupName}`,
        tags,
        attributes: {
          id,
          vpc_id: f.ResourceId,
          traffic_type: f.TrafficType,
          log_destination: stripWildcard(f.LogDestination),
        },
        uses: [f.ResourceId ?? ""],
        createdAt: f.CreationTime,
      };
    });
  },
  identity: (config, o) =>
    config.get("vpc_id") === o.attributes.vpc_id &&
    sameIfSet(config, "traffic_type", o.attributes.traffic_type) &&
    stripWildcard(String(config.get("log_destination"))) === o.attributes.log_destination,
  remove: async (clients, o) => {
    await clients.ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [o.id] }));
    return "deleted";
  },
  removeOrder: 20,
};

/** Log-group ARNs come with and without the trailing ":*". */
export function stripWildcard(arn: string | undefined): string | undefined {
  return arn?.replace(/:\*$/, "");
}

export const networkKinds: readonly ResourceKind[] = [
  vpc,
  subnet,
  routeTable,
  routeTableAssociation,
  route,
  internetGateway,
  eip,
  natGateway,
  vpcEndpoint,
  securityGroup,
  ruleKind("aws_vpc_security_group_ingress_rule", false),
  ruleKind("aws_vpc_security_group_egress_rule", true),
  flowLog,
];
