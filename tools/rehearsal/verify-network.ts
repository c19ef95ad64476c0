/** Verifiers for EC2/VPC resources: VPC, subnets, routing, gateways, endpoints, flow logs, security groups. */
import {
  DescribeAddressesCommand,
  DescribeFlowLogsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type Route,
  type RouteTable,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { type Applied, checkTags, type Verifier, type VerifyContext } from "./checks";
import { blocks } from "./stack";

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** Protocol as EC2 reports it ("6" -> "tcp", "all" -> "-1"). */
function protocol(value: unknown): string {
  const p = String(value ?? "").toLowerCase();
  return { "6": "tcp", "17": "udp", "1": "icmp", all: "-1" }[p] ?? p;
}

/** One security-group rule, as a comparable line. */
function ruleLine(
  egress: boolean,
  ipProtocol: unknown,
  fromPort: unknown,
  toPort: unknown,
  peer: unknown,
  description: unknown,
): string {
  const p = protocol(ipProtocol);
  const ports = p === "-1" ? "all ports" : `${fromPort}-${toPort}`;
  return `${egress ? "egress to" : "ingress from"} ${peer} ${p} ${ports} "${description ?? ""}"`;
}

/** The rules a group must have: its inline blocks plus every standalone rule that names it. */
function intendedRules(group: Applied, applied: readonly Applied[]): string[] {
  const groupId = str(group.state.id);
  const lines: string[] = [];
  const inline = (direction: "ingress" | "egress", rule: Record<string, unknown>, self: boolean) => {
    const peers = [
      ...list(rule.cidr_blocks),
      ...list(rule.ipv6_cidr_blocks),
      ...list(rule.prefix_list_ids),
      ...list(rule.security_groups),
      ...(typeof rule.source_security_group_id === "string" ? [rule.source_security_group_id] : []),
      ...(self ? [groupId] : []),
    ];
    for (const peer of peers)
      lines.push(
        ruleLine(direction === "egress", rule.protocol, rule.from_port, rule.to_port, peer, rule.description),
      );
  };
  for (const direction of ["ingress", "egress"] as const)
    for (const rule of blocks(group.intended[direction])) inline(direction, rule, rule.self === true);
  for (const r of applied) {
    if (r.intended.security_group_id !== groupId) continue;
    const i = r.intended;
    if (r.type === "aws_vpc_security_group_ingress_rule" || r.type === "aws_vpc_security_group_egress_rule") {
      const peer = i.cidr_ipv4 ?? i.cidr_ipv6 ?? i.referenced_security_group_id ?? i.prefix_list_id;
      lines.push(
        ruleLine(r.type.endsWith("egress_rule"), i.ip_protocol, i.from_port, i.to_port, peer, i.description),
      );
    } else if (r.type === "aws_security_group_rule") {
      inline(i.type === "egress" ? "egress" : "ingress", i, i.self === true);
    }
  }
  return lines;
}

function foundRule(rule: SecurityGroupRule): string {
  const peer = rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.ReferencedGroupInfo?.GroupId ?? rule.PrefixListId;
  return ruleLine(
    rule.IsEgress === true,
    rule.IpProtocol,
    rule.FromPort,
    rule.ToPort,
    peer,
    rule.Description,
  );
}

async function groupRules(context: VerifyContext, groupId: string): Promise<SecurityGroupRule[]> {
  const response = await context.clients.ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [groupId] }] }),
  );
  return response.SecurityGroupRules ?? [];
}

/** A security group (also the VPC's default one): identity, and exactly the intended rules, no more. */
const securityGroup: Verifier = async (r, context) => {
  const id = str(r.state.id) ?? "";
  const group = (await context.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] })))
    .SecurityGroups?.[0];
  if (!group) return context.check.fail(r.address, `security group ${id} not found`);
  const { check } = context;
  check.equal(r.address, "vpc_id", r.intended.vpc_id, group.VpcId);
  if (r.type === "aws_default_security_group") {
    check.equal(r.address, "name", "default", group.GroupName);
  } else {
    if (r.intended.name !== undefined) check.equal(r.address, "name", r.intended.name, group.GroupName);
    check.equal(
      r.address,
      "description",
      r.intended.description ?? "Managed by Terraform",
      group.Description,
    );
  }
  check.sameItems(
    r.address,
    "rules",
    intendedRules(r, context.applied),
    (await groupRules(context, id)).map(foundRule),
  );
  checkTags(r, context, group.Tags);
};

/** A standalone rule: it exists, on its group, exactly as configured. */
const standaloneRule: Verifier = async (r, context) => {
  const id = str(r.state.id) ?? "";
  const rule = (
    await context.clients.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }))
  ).SecurityGroupRules?.[0];
  if (!rule) return context.check.fail(r.address, `security group rule ${id} not found`);
  const i = r.intended;
  context.check.equal(r.address, "security_group_id", i.security_group_id, rule.GroupId);
  context.check.equal(
    r.address,
    "rule",
    ruleLine(
      r.type.endsWith("egress_rule"),
      i.ip_protocol,
      i.from_port,
      i.to_port,
      i.cidr_ipv4 ?? i.cidr_ipv6 ?? i.referenced_security_group_id ?? i.prefix_list_id,
      i.description,
    ),
    foundRule(rule),
  );
  checkTags(r, context, rule.Tags);
};

const vpc: Verifier = async (r, context) => {
  const { ec2 } = context.clients;
  const id = str(r.state.id) ?? "";
  const found = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [id] }))).Vpcs?.[0];
  if (!found) return context.check.fail(r.address, `VPC ${id} not found`);
  context.check.equal(r.address, "cidr_block", r.intended.cidr_block, found.CidrBlock);
  const hostnames = await ec2.send(
    new DescribeVpcAttributeCommand({ VpcId: id, Attribute: "enableDnsHostnames" }),
  );
  context.check.equal(
    r.address,
    "enable_dns_hostnames",
    r.intended.enable_dns_hostnames ?? false,
    hostnames.EnableDnsHostnames?.Value,
  );
  const support = await ec2.send(
    new DescribeVpcAttributeCommand({ VpcId: id, Attribute: "enableDnsSupport" }),
  );
  context.check.equal(
    r.address,
    "enable_dns_support",
    r.intended.enable_dns_support ?? true,
    support.EnableDnsSupport?.Value,
  );
  checkTags(r, context, found.Tags);
};

const subnet: Verifier = async (r, context) => {
  const id = str(r.state.id) ?? "";
  const found = (await context.clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [id] })))
    .Subnets?.[0];
  if (!found) return context.check.fail(r.address, `subnet ${id} not found`);
  const { check } = context;
  check.equal(r.address, "vpc_id", r.intended.vpc_id, found.VpcId);
  check.equal(r.address, "availability_zone", r.intended.availability_zone, found.AvailabilityZone);
  check.equal(r.address, "cidr_block", r.intended.cidr_block, found.CidrBlock);
  check.equal(
    r.address,
    "map_public_ip_on_launch",
    r.intended.map_public_ip_on_launch ?? false,
    found.MapPublicIpOnLaunch,
  );
  checkTags(r, context, found.Tags);
};

/** A route as a comparable line: destination -> target. */
function routeLine(destination: unknown, target: unknown): string {
  return `${destination} -> ${target}`;
}

function intendedRoute(i: Record<string, unknown>): string {
  const destination =
    i.destination_cidr_block ??
    i.destination_ipv6_cidr_block ??
    i.destination_prefix_list_id ??
    i.cidr_block ??
    i.ipv6_cidr_block;
  const target =
    i.gateway_id ??
    i.nat_gateway_id ??
    i.transit_gateway_id ??
    i.vpc_peering_connection_id ??
    i.network_interface_id ??
    i.vpc_endpoint_id ??
    i.egress_only_gateway_id;
  return routeLine(destination, target);
}

function foundRoute(route: Route): string {
  const destination =
    route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock ?? route.DestinationPrefixListId;
  const target =
    route.GatewayId ??
    route.NatGatewayId ??
    route.TransitGatewayId ??
    route.VpcPeeringConnectionId ??
    route.NetworkInterfaceId ??
    route.EgressOnlyInternetGatewayId;
  return routeLine(destination, target);
}

async function routeTable(context: VerifyContext, id: string): Promise<RouteTable | undefined> {
  return (await context.clients.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] })))
    .RouteTables?.[0];
}

/** A route table: its VPC, exactly the intended routes (local and endpoint routes aside) and subnets. */
const routeTableVerifier: Verifier = async (r, context) => {
  const id = str(r.state.id) ?? "";
  const table = await routeTable(context, id);
  if (!table) return context.check.fail(r.address, `route table ${id} not found`);
  const { check, applied } = context;
  check.equal(r.address, "vpc_id", r.intended.vpc_id, table.VpcId);
  const routes = [
    ...blocks(r.intended.route).map(intendedRoute),
    ...applied
      .filter((a) => a.type === "aws_route" && a.intended.route_table_id === id)
      .map((a) => intendedRoute(a.intended)),
  ];
  const found = (table.Routes ?? [])
    .filter((route) => route.GatewayId !== "local" && !route.GatewayId?.startsWith("vpce-"))
    .map(foundRoute);
  check.sameItems(r.address, "routes", routes, found);
  const subnets = applied
    .filter((a) => a.type === "aws_route_table_association" && a.intended.route_table_id === id)
    .map((a) => a.intended.subnet_id ?? a.intended.gateway_id);
  const associated = (table.Associations ?? []).filter((a) => !a.Main).map((a) => a.SubnetId ?? a.GatewayId);
  check.sameItems(r.address, "associations", subnets, associated);
  checkTags(r, context, table.Tags);
};

const route: Verifier = async (r, context) => {
  const tableId = str(r.intended.route_table_id) ?? "";
  const table = await routeTable(context, tableId);
  const found = (table?.Routes ?? []).map(foundRoute);
  context.check.equal(r.address, `route in ${tableId}`, true, found.includes(intendedRoute(r.intended)));
};

const routeTableAssociation: Verifier = async (r, context) => {
  const tableId = str(r.intended.route_table_id) ?? "";
  const table = await routeTable(context, tableId);
  const association = table?.Associations?.find((a) => a.RouteTableAssociationId === r.state.id);
  context.check.equal(
    r.address,
    `association with ${tableId}`,
    r.intended.subnet_id ?? r.intended.gateway_id,
    association?.SubnetId ?? association?.GatewayId,
  );
};

const internetGateway: Verifier = async (r, context) => {
  const id = str(r.state.id) ?? "";
  const found = (
    await context.clients.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] }))
  ).InternetGateways?.[0];
  if (!found) return context.check.fail(r.address, `internet gateway ${id} not found`);
  if (r.intended.vpc_id !== undefined)
    context.check.equal(r.address, "vpc_id", r.intended.vpc_id, found.Attachments?.[0]?.VpcId);
  checkTags(r, context, found.Tags);
};

const eip: Verifier = async (r, context) => {
  const id = str(r.state.id) ?? "";
  const found = (await context.clients.ec2.send(new DescribeAddressesCommand({ AllocationIds: [id] })))
    .Addresses?.[0];
  if (!found) return context.check.fail(r.address, `elastic IP ${id} not found`);
  context.check.equal(r.address, "domain", r.intended.domain ?? "vpc", found.Domain);
  checkTags(r, context, found.Tags);
};

const natGateway: Verifier = async (r, context) => {
  const id = str(r.state.id) ?? "";
  const found = (await context.clients.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] })))
    .NatGateways?.[0];
  if (!found) return context.check.fail(r.address, `NAT gateway ${id} not found`);
  const { check } = context;
  check.equal(r.address, "state", "available", found.State);
  check.equal(r.address, "subnet_id", r.intended.subnet_id, found.SubnetId);
  check.equal(
    r.address,
    "connectivity_type",
    r.intended.connectivity_type ?? "public",
    found.ConnectivityType,
  );
  if (r.intended.allocation_id !== undefined)
    check.equal(
      r.address,
      "allocation_id",
      r.intended.allocation_id,
      found.NatGatewayAddresses?.[0]?.AllocationId,
    );
  checkTags(r, context, found.Tags);
};

/** A gateway endpoint: service, VPC, route tables, and its prefix-list route in each of those tables. */
const vpcEndpoint: Verifier = async (r, context) => {
  const id = str(r.state.id) ?? "";
  const found = (await context.clients.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] })))
    .VpcEndpoints?.[0];
  if (!found) return context.check.fail(r.address, `VPC endpoint ${id} not found`);
  const { check } = context;
  check.equal(r.address, "vpc_id", r.intended.vpc_id, found.VpcId);
  check.equal(r.address, "service_name", r.intended.service_name, found.ServiceName);
  check.equal(
    r.address,
    "vpc_endpoint_type",
    r.intended.vpc_endpoint_type ?? "Gateway",
    found.VpcEndpointType,
  );
  check.sameItems(r.address, "route_table_ids", list(r.intended.route_table_ids), found.RouteTableIds ?? []);
  if (found.VpcEndpointType === "Gateway") {
    for (const tableId of list(r.intended.route_table_ids)) {
      const routes = (await routeTable(context, tableId))?.Routes ?? [];
      const prefixList = routes.find((route) => route.GatewayId === id)?.DestinationPrefixListId;
      check.equal(r.address, `prefix-list route in ${tableId}`, r.state.prefix_list_id, prefixList);
    }
  }
  checkTags(r, context, found.Tags);
};

const flowLog: Verifier = async (r, context) => {
  const id = str(r.state.id) ?? "";
  const found = (await context.clients.ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: [id] })))
    .FlowLogs?.[0];
  if (!found) return context.check.fail(r.address, `flow log ${id} not found`);
  const { check } = context;
  const i = r.intended;
  check.equal(
    r.address,
    "resource",
    i.vpc_id ?? i.subnet_id ?? i.eni_id ?? i.transit_gateway_id,
    found.ResourceId,
  );
  check.equal(r.address, "traffic_type", i.traffic_type, found.TrafficType);
  check.equal(
    r.address,
    "log_destination_type",
    i.log_destination_type ?? "cloud-watch-logs",
    found.LogDestinationType,
  );
  check.equal(r.address, "log_destination", i.log_destination, found.LogDestination);
  check.equal(r.address, "iam_role_arn", i.iam_role_arn, found.DeliverLogsPermissionArn);
  check.equal(
    r.address,
    "max_aggregation_interval",
    i.max_aggregation_interval ?? 600,
    found.MaxAggregationInterval,
  );
  checkTags(r, context, found.Tags);
};

export const networkVerifiers: Readonly<Record<string, Verifier>> = {
  aws_vpc: vpc,
  aws_subnet: subnet,
  aws_security_group: securityGroup,
  aws_default_security_group: securityGroup,
  aws_vpc_security_group_ingress_rule: standaloneRule,
  aws_vpc_security_group_egress_rule: standaloneRule,
  aws_route_table: routeTableVerifier,
  aws_route: route,
  aws_route_table_association: routeTableAssociation,
  aws_internet_gateway: internetGateway,
  aws_eip: eip,
  aws_nat_gateway: natGateway,
  aws_vpc_endpoint: vpcEndpoint,
  aws_flow_log: flowLog,
};
