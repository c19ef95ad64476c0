import { type PolicyRule, unless } from "../rule";
import {
  asNumber,
  asString,
  asStrings,
  block,
  blocks,
  isTrue,
  type JsonObject,
  referencesIn,
  type TerraformModel,
  type TfResource,
} from "../terraform-model";

const INTERNET = ["0.0.0.0/0", "::/0"];
/** The provider's default description, which scanners treat as no description. */
const DEFAULT_DESCRIPTION = "Managed by Terraform";

/** One security-group rule, inline or standalone, in one shape. */
interface SgRule {
  readonly resource: TfResource;
  /** "ingress[0]" for inline blocks, "" for standalone rule resources. */
  readonly where: string;
  readonly direction: "ingress" | "egress";
  readonly cidrs: readonly string[];
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly description?: string;
}

function inlineRules(resource: TfResource): SgRule[] {
  return (["ingress", "egress"] as const).flatMap((direction) =>
    blocks(resource.config[direction]).map((r: JsonObject, i) => ({
      resource,
      where: `${direction}[${i}]`,
      direction,
      cidrs: [...asStrings(r.cidr_blocks), ...asStrings(r.ipv6_cidr_blocks)],
      protocol: asString(r.protocol) ?? "",
      fromPort: asNumber(r.from_port),
      toPort: asNumber(r.to_port),
      description: asString(r.description),
    })),
  );
}

/** Every security-group rule of the stack. */
function securityGroupRules(model: TerraformModel): SgRule[] {
  return [
    ...model.resources("aws_security_group", "aws_default_security_group").flatMap(inlineRules),
    ...model.resources("aws_security_group_rule").map((r) => ({
      resource: r,
      where: "",
      direction: r.config.type === "egress" ? ("egress" as const) : ("ingress" as const),
      cidrs: [...asStrings(r.config.cidr_blocks), ...asStrings(r.config.ipv6_cidr_blocks)],
      protocol: asString(r.config.protocol) ?? "",
      fromPort: asNumber(r.config.from_port),
      toPort: asNumber(r.config.to_port),
      description: asString(r.config.description),
    })),
    ...model
      .resources("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")
      .map((r) => ({
        resource: r,
        where: "",
        direction: r.type.endsWith("egress_rule") ? ("egress" as const) : ("ingress" as const),
        cidrs: [...asStrings(r.config.cidr_ipv4), ...asStrings(r.config.cidr_ipv6)],
        protocol: asString(r.config.ip_protocol) ?? "",
        fromPort: asNumber(r.config.from_port),
        toPort: asNumber(r.config.to_port),
        description: asString(r.config.description),
      })),
  ];
}

const allPorts = (rule: SgRule): boolean =>
  rule.protocol === "-1" ||
  rule.protocol === "all" ||
  ((rule.fromPort ?? 0) <= 0 && (rule.toPort ?? 65535) >= 65535);

const label = (rule: SgRule): string => (rule.where ? `${rule.where} ` : "");
const ports = (rule: SgRule): string =>
  allPorts(rule) ? "all ports" : `${rule.protocol} ${rule.fromPort}-${rule.toPort}`;

/** Route tables of a subnet, through its associations. */
function routeTablesOf(model: TerraformModel, subnet: TfResource): TfResource[] {
  return model
    .companions(subnet, "aws_route_table_association", "subnet_id")
    .flatMap((association) => model.referenced(association, "route_table_id"));
}

/** True when a route table sends traffic to an internet gateway (a public subnet). */
function routesToInternetGateway(model: TerraformModel, table: TfResource): boolean {
  const viaGateway = (gateway: unknown) =>
    referencesIn(gateway as string).some((a) => a.startsWith("aws_internet_gateway.")) ||
    (typeof gateway === "string" && gateway.startsWith("igw-"));
  return (
    blocks(table.config.route).some((r) => viaGateway(r.gateway_id)) ||
    model.companions(table, "aws_route", "route_table_id").some((r) => viaGateway(r.config.gateway_id))
  );
}

/** Subnets (by resource) that brokers and Connect workers are placed in. */
function kafkaSubnets(model: TerraformModel): { owner: TfResource; subnets: TfResource[] }[] {
  const resolve = (owner: TfResource, value: unknown) => ({
    owner,
    subnets: referencesIn(value as string[])
      .map((a) => model.resource(a))
      .filter((r): r is TfResource => r?.type === "aws_subnet"),
  });
  return [
    ...model
      .resources("aws_msk_cluster")
      .map((c) => resolve(c, block(c.config.broker_node_group_info)?.client_subnets)),
    ...model.resources("aws_msk_serverless_cluster").map((c) =>
      resolve(
        c,
        blocks(c.config.vpc_config).flatMap((v) => asStrings(v.subnet_ids)),
      ),
    ),
    ...model
      .resources("aws_mskconnect_connector")
      .map((c) => resolve(c, block(c.config.kafka_cluster, "apache_kafka_cluster", "vpc")?.subnets)),
    ...model
      .resources("aws_kinesisanalyticsv2_application")
      .map((a) => resolve(a, block(a.config.application_configuration, "vpc_configuration")?.subnet_ids)),
  ];
}

export const NETWORK_RULES: readonly PolicyRule[] = [
  {
    id: "MSKP-NET-001",
    mirrors: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107"],
    title: "No security group allows ingress from the internet (0.0.0.0/0 or ::/0)",
    fix: "allow the client security group or named client CIDRs (network.clientCidrs) instead",
    check: ({ model }) =>
      securityGroupRules(model)
        .filter((r) => r.direction === "ingress")
        .flatMap((r) =>
          unless(
            !r.cidrs.some((c) => INTERNET.includes(c)),
            r.resource,
            `${label(r)}allows ingress on ${ports(r)} from ${r.cidrs.filter((c) => INTERNET.includes(c)).join(", ")}`,
          ),
        ),
  },
  {
    id: "MSKP-NET-002",
    mirrors: ["CKV_AWS_382"],
    title: "No security group allows egress to the internet on all ports",
    fix: "restrict egress to the ports and destinations needed (the VPC CIDR, a prefix list or a security group)",
    check: ({ model }) =>
      securityGroupRules(model)
        .filter((r) => r.direction === "egress" && allPorts(r))
        .flatMap((r) =>
          unless(
            !r.cidrs.some((c) => INTERNET.includes(c)),
            r.resource,
            `${label(r)}allows egress on all ports to the internet`,
          ),
        ),
  },
  {
    id: "MSKP-NET-003",
    mirrors: ["AVD-AWS-0104"],
    title: "No security group allows egress to the internet (0.0.0.0/0 or ::/0) on any port",
    fix: "send egress to the VPC CIDR, a gateway-endpoint prefix list or a security group instead of the internet",
    check: ({ model }) =>
      securityGroupRules(model)
        .filter((r) => r.direction === "egress")
        .flatMap((r) =>
          unless(
            !r.cidrs.some((c) => INTERNET.includes(c)),
            r.resource,
            `${label(r)}allows egress on ${ports(r)} to ${r.cidrs.filter((c) => INTERNET.includes(c)).join(", ")}`,
          ),
        ),
  },
  {
    id: "MSKP-NET-004",
    mirrors: ["CKV_AWS_23", "AVD-AWS-0099"],
    title: 'Every security group has a real description (not empty, not "Managed by Terraform")',
    fix: "set description to what the group protects and who may reach it",
    check: ({ model }) =>
      model.resources("aws_security_group").flatMap((group) => {
        const description = asString(group.config.description)?.trim();
        return unless(
          description !== undefined && description.length > 0 && description !== DEFAULT_DESCRIPTION,
          group,
          description === undefined
            ? `description is not set (the provider writes "${DEFAULT_DESCRIPTION}")`
            : `description is "${description}"`,
        );
      }),
  },
  {
    id: "MSKP-NET-005",
    mirrors: ["CKV_AWS_23", "AVD-AWS-0124"],
    title: "Every security group rule has a description",
    fix: "set description on the rule: which listener or destination it opens, and for whom",
    check: ({ model }) =>
      securityGroupRules(model).flatMap((r) =>
        unless(
          (r.description?.trim().length ?? 0) > 0,
          r.resource,
          `${label(r)}${r.direction} rule on ${ports(r)} has no description`,
        ),
      ),
  },
  {
    id: "MSKP-NET-006",
    mirrors: ["CKV2_AWS_11", "AVD-AWS-0178"],
    title: "Every created VPC has flow logs",
    fix: `add an aws_flow_log with vpc_id = "\${aws_vpc.<name>.id}" (the network module creates one)`,
    check: ({ model }) =>
      model
        .resources("aws_vpc")
        .flatMap((vpc) =>
          unless(
            model.companions(vpc, "aws_flow_log", "vpc_id").length > 0,
            vpc,
            "no aws_flow_log references this VPC",
          ),
        ),
  },
  {
    id: "MSKP-NET-007",
    mirrors: ["CKV2_AWS_12", "AVD-AWS-0173"],
    title: "The default security group of every created VPC has no rules",
    fix: `manage it with aws_default_security_group { vpc_id = "\${aws_vpc.<name>.id}", ingress = [], egress = [] }`,
    check: ({ model }) =>
      model.resources("aws_vpc").flatMap((vpc) => {
        const defaults = model.companions(vpc, "aws_default_security_group", "vpc_id");
        if (defaults.length === 0) {
          return unless(
            false,
            vpc,
            "the default security group is not managed, so it keeps its allow-all rules",
          );
        }
        return defaults.flatMap((group) =>
          unless(
            blocks(group.config.ingress).length === 0 && blocks(group.config.egress).length === 0,
            group,
            "the default security group has rules",
          ),
        );
      }),
  },
  {
    id: "MSKP-NET-008",
    mirrors: ["CKV_AWS_130", "AVD-AWS-0164"],
    title: "Subnets do not assign public IPs on launch",
    fix: "set map_public_ip_on_launch = false (NAT gateways carry their own Elastic IPs)",
    check: ({ model }) =>
      model
        .resources("aws_subnet")
        .flatMap((subnet) =>
          unless(!isTrue(subnet.config.map_public_ip_on_launch), subnet, "map_public_ip_on_launch is true"),
        ),
  },
  {
    id: "MSKP-NET-009",
    mirrors: ["CKV_AWS_291"],
    title: "MSK brokers are not publicly accessible",
    fix: 'keep broker_node_group_info.connectivity_info.public_access.type "DISABLED" (cluster.publicAccess false)',
    check: ({ model }) =>
      model.resources("aws_msk_cluster").flatMap((cluster) => {
        const access = block(cluster.config.broker_node_group_info, "connectivity_info", "public_access");
        return unless(
          asString(access?.type) !== "SERVICE_PROVIDED_EIPS",
          cluster,
          "public_access.type is SERVICE_PROVIDED_EIPS: brokers get internet-facing addresses",
        );
      }),
  },
  {
    id: "MSKP-NET-010",
    mirrors: [],
    title:
      "Brokers, Connect workers and Flink applications sit in private subnets (no route to an internet gateway)",
    fix: "place them in the private subnets (network.privateSubnetIds), whose default route goes through NAT or nowhere",
    check: ({ model }) =>
      kafkaSubnets(model).flatMap(({ owner, subnets }) =>
        subnets.flatMap((subnet) =>
          unless(
            !isTrue(subnet.config.map_public_ip_on_launch) &&
              !routeTablesOf(model, subnet).some((table) => routesToInternetGateway(model, table)),
            owner,
            `uses ${subnet.address}, a public subnet (it routes to an internet gateway or maps public IPs)`,
          ),
        ),
      ),
  },
  {
    id: "MSKP-NET-011",
    mirrors: ["CKV2_AWS_5"],
    title: "Every security group is attached to a resource of the stack",
    fix: "attach the group (security_groups / vpc_config) or remove it; a group exported for resources outside the stack needs a declared exception",
    check: ({ model }) => {
      // Rules and the group's own companions do not count as an attachment.
      const ruleTypes = new Set([
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
      ]);
      const attached = new Set(
        Object.keys(model.document.resource ?? {})
          .filter((type) => !ruleTypes.has(type))
          .flatMap((type) => model.resources(type).flatMap((r) => model.references(r))),
      );
      return model
        .resources("aws_security_group")
        .flatMap((group) =>
          unless(attached.has(group.address), group, "is not attached to any resource of this stack"),
        );
    },
  },
];
