import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, serviceTrustPolicy } from "../common/iam";
import { PUBLIC_SUBNET_OFFSET, parseCidr, SUBNET_NEWBITS, subnetLayout } from "./cidr";

/** NAT for private-subnet egress: none, one shared gateway, or one gateway per AZ. */
export type NatMode = "none" | "single" | "per-az";

/** A VPC created and owned by this module. */
export interface NewVpcProps {
  readonly mode: "create";
  /** IPv4 CIDR of the VPC, /16 to /24 (cut into 16 subnet blocks). */
  readonly cidr: string;
  /** One private subnet per AZ, in this order (append, never reorder: CIDRs follow the position). */
  readonly availabilityZones: readonly string[];
  /** NAT gateways with public subnets for private-subnet egress. @default "none" */
  readonly natGateways?: NatMode;
  /** KMS key ARN encrypting the flow-log group. */
  readonly logsKmsKeyArn: string;
  /** Flow-log retention in days (a CloudWatch-accepted value). @default 365 */
  readonly flowLogRetentionDays?: number;
  /** prevent_destroy on the flow-log group (production). @default false */
  readonly protect?: boolean;
}

/** A VPC that already exists: nothing network-level is created except, optionally, an S3 endpoint. */
export interface ExistingVpcProps {
  readonly mode: "existing";
  /** VPC id, e.g. "vpc-0123456789abcdef0". */
  readonly vpcId: string;
  /** IPv4 CIDR of the VPC (the brokers' egress is limited to it). */
  readonly cidr: string;
  /** Private subnets for the brokers, one per AZ. */
  readonly privateSubnets: readonly { readonly id: string; readonly availabilityZone: string }[];
  /** Private route tables that get an S3 gateway endpoint. @default [] (no endpoint is created) */
  readonly privateRouteTableIds?: readonly string[];
  /** Prefix list of an S3 gateway endpoint the VPC already has. @default the created endpoint's, if any */
  readonly s3PrefixListId?: string;
}

export type NetworkProps = {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  /** AWS region, for the S3 endpoint's service name and the flow-log role's ARN condition. */
  readonly region: string;
  /** AWS account id, for the flow-log role's confused-deputy condition. */
  readonly accountId: string;
  /** AWS partition ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
} & (NewVpcProps | ExistingVpcProps);

const DEFAULT_FLOW_LOG_RETENTION_DAYS = 365;

/**
 * The VPC the cluster lives in: either created here (one private subnet per AZ that never maps public IPs,
 * optional public subnets with NAT, flow logs to an encrypted log group, an emptied default security group,
 * an S3 gateway endpoint on the private route tables) or an existing one passed through.
 */
export class Network extends Construct {
  /** "create" or "existing". */
  readonly mode: "create" | "existing";
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Private subnet ids, in AZ order. */
  readonly privateSubnetIds: string[];
  /** AZ of each private subnet, same order. */
  readonly availabilityZones: string[];
  /** Private route tables (created ones, or the given ones in existing mode). */
  readonly privateRouteTableIds: string[];
  /** NAT gateway ids, empty without NAT or in existing mode. */
  readonly natGatewayIds: string[];
  /** S3 prefix list for egress rules to S3, when an endpoint exists or one was given. */
  readonly s3PrefixListId?: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    validateNetworkProps(props);
    this.mode = props.mode;

    if (props.mode === "existing") {
      this.vpcId = props.vpcId;
      this.vpcCidr = props.cidr;
      this.privateSubnetIds = props.privateSubnets.map((s) => s.id);
      this.availabilityZones = props.privateSubnets.map((s) => s.availabilityZone);
      this.privateRouteTableIds = [...(props.privateRouteTableIds ?? [])];
      this.natGatewayIds = [];
      // A route table can hold only one route to the S3 prefix list: the endpoint is opt-in here.
      const endpoint =
        this.privateRouteTableIds.length > 0
          ? this.s3Endpoint(props, props.vpcId, this.privateRouteTableIds)
          : undefined;
      this.s3PrefixListId = props.s3PrefixListId ?? endpoint?.prefixListId;
      return;
    }

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      // MSK needs both for its broker DNS names.
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.prefix },
    });
    this.vpcId = vpc.id;
    this.vpcCidr = props.cidr;
    this.availabilityZones = [...props.availabilityZones];

    // Owning the default security group with no rules removes its allow-all behaviour (CKV2_AWS_12).
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${props.prefix}-default-unused` },
    });

    const layout = subnetLayout(props.cidr, props.availabilityZones.length);
    const privateSubnets = props.availabilityZones.map(
      (az, i) =>
        new Subnet(this, `private-subnet-${az}`, {
          vpcId: vpc.id,
          availabilityZone: az,
          cidrBlock: layout.private[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.prefix}-private-${az}`, tier: "private" },
        }),
    );
    this.privateSubnetIds = privateSubnets.map((s) => s.id);

    const privateRouteTables = props.availabilityZones.map((az, i) => {
      const table = new RouteTable(this, `private-route-table-${az}`, {
        vpcId: vpc.id,
        tags: { Name: `${props.prefix}-private-${az}`, tier: "private" },
      });
      new RouteTableAssociation(this, `private-route-table-association-${az}`, {
        subnetId: privateSubnets[i].id,
        routeTableId: table.id,
      });
      return table;
    });
    this.privateRouteTableIds = privateRouteTables.map((t) => t.id);
    this.natGatewayIds = this.natGateways(props, vpc, layout.public, privateRouteTables);
    this.s3PrefixListId = this.s3Endpoint(props, vpc.id, this.privateRouteTableIds).prefixListId;
    this.flowLogs(props, vpc);
  }

  /** Public subnets, an internet gateway and NAT gateways; each private route table uses its AZ's NAT. */
  private natGateways(
    props: NetworkProps & NewVpcProps,
    vpc: Vpc,
    publicCidrs: readonly string[],
    privateRouteTables: readonly RouteTable[],
  ): string[] {
    const mode = props.natGateways ?? "none";
    if (mode === "none") return [];
    const igw = new InternetGateway(this, "internet-gateway", {
      vpcId: vpc.id,
      tags: { Name: props.prefix },
    });
    const publicRouteTable = new RouteTable(this, "public-route-table", {
      vpcId: vpc.id,
      tags: { Name: `${props.prefix}-public`, tier: "public" },
    });
    new Route(this, "public-default-route", {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    // NAT gateways carry their own EIPs, so even public subnets never map public IPs (CKV_AWS_130).
    const publicSubnets = props.availabilityZones.map((az, i) => {
      const subnet = new Subnet(this, `public-subnet-${az}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: publicCidrs[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.prefix}-public-${az}`, tier: "public" },
      });
      new RouteTableAssociation(this, `public-route-table-association-${az}`, {
        subnetId: subnet.id,
        routeTableId: publicRouteTable.id,
      });
      return subnet;
    });
    // "single" keeps one gateway in the first AZ: cheaper, but that AZ's outage cuts every AZ's egress.
    const natAzs = mode === "single" ? props.availabilityZones.slice(0, 1) : props.availabilityZones;
    const gateways = natAzs.map((az, i) => {
      const eip = new Eip(this, `nat-eip-${az}`, {
        domain: "vpc",
        tags: { Name: `${props.prefix}-nat-${az}` },
      });
      return new NatGateway(this, `nat-gateway-${az}`, {
        allocationId: eip.id,
        subnetId: publicSubnets[i].id,
        tags: { Name: `${props.prefix}-${az}` },
        dependsOn: [igw],
      });
    });
    props.availabilityZones.forEach((az, i) => {
      new Route(this, `private-default-route-${az}`, {
        routeTableId: privateRouteTables[i].id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: gateways[mode === "single" ? 0 : i].id,
      });
    });
    return gateways.map((g) => g.id);
  }

  /** A gateway endpoint keeps Connect's traffic to the sink bucket inside AWS, off the NAT and internet. */
  private s3Endpoint(props: NetworkProps, vpcId: string, routeTableIds: readonly string[]): VpcEndpoint {
    return new VpcEndpoint(this, "s3-endpoint", {
      vpcId,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...routeTableIds],
      tags: { Name: `${props.prefix}-s3` },
    });
  }

  /** Flow logs of all traffic to a KMS-encrypted log group with retention (CKV2_AWS_11, CKV_AWS_158). */
  private flowLogs(props: NetworkProps & NewVpcProps, vpc: Vpc): void {
    const logGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      name: `/aws/vpc/${props.prefix}/flow-logs`,
      retentionInDays: props.flowLogRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS,
      kmsKeyId: props.logsKmsKeyArn,
      lifecycle: { preventDestroy: props.protect ?? false },
    });
    const role = new IamRole(this, "flow-log-role", {
      name: `${props.prefix}-vpc-flow-logs`,
      description: `Delivers VPC flow logs of ${props.prefix} to CloudWatch Logs`,
      assumeRolePolicy: serviceTrustPolicy(
        "vpc-flow-logs.amazonaws.com",
        props.accountId,
        `arn:${props.partition}:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`,
      ),
    });
    new IamRolePolicy(this, "flow-log-role-policy", {
      name: "deliver-flow-logs",
      role: role.id,
      policy: policyDocument({
        Sid: "WriteFlowLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        Resource: [logGroup.arn, `${logGroup.arn}:*`],
      }),
    });
    new FlowLog(this, "flow-log", {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${props.prefix}-flow-logs` },
    });
  }
}

/** Literal ids are checked; Terraform references (tokens) are passed through unchecked. */
function checkId(path: string, value: string, pattern: RegExp, example: string): void {
  if (Token.isUnresolved(value) || pattern.test(value)) return;
  throw new Error(`Network: ${path} must look like "${example}", got ${JSON.stringify(value)}`);
}

function checkDistinct(path: string, values: readonly string[]): void {
  const duplicate = values.find((v, i) => values.indexOf(v) !== i);
  if (duplicate !== undefined) {
    throw new Error(`Network: ${path} must be distinct, got ${JSON.stringify(duplicate)} twice`);
  }
}

/** Refuses props that would synthesize a broken network, before any resource exists. */
function validateNetworkProps(props: NetworkProps): void {
  const cidr = Token.isUnresolved(props.cidr) ? undefined : parseCidr(props.cidr);
  if (!Token.isUnresolved(props.cidr) && !cidr) {
    throw new Error(
      `Network: cidr must be an IPv4 CIDR without host bits, got ${JSON.stringify(props.cidr)}`,
    );
  }
  if (props.mode === "create") {
    // Subnets are VPC/16 blocks and AWS's smallest subnet is a /28.
    const maxPrefix = 28 - SUBNET_NEWBITS;
    if (!cidr || cidr.prefix < 16 || cidr.prefix > maxPrefix) {
      throw new Error(`Network: cidr must be a /16 to /${maxPrefix}, got ${JSON.stringify(props.cidr)}`);
    }
    const azs = props.availabilityZones;
    if (azs.length < 1 || azs.length > PUBLIC_SUBNET_OFFSET) {
      throw new Error(
        `Network: availabilityZones must list 1 to ${PUBLIC_SUBNET_OFFSET} zones, got ${azs.length}`,
      );
    }
    checkDistinct("availabilityZones", azs);
    return;
  }
  checkId("vpcId", props.vpcId, /^vpc-[0-9a-f]{8,17}$/, "vpc-0123456789abcdef0");
  if (props.privateSubnets.length < 1) {
    throw new Error("Network: privateSubnets must list at least one subnet, got none");
  }
  props.privateSubnets.forEach((s, i) => {
    checkId(`privateSubnets[${i}].id`, s.id, /^subnet-[0-9a-f]{8,17}$/, "subnet-0123456789abcdef0");
  });
  checkDistinct(
    "privateSubnets ids",
    props.privateSubnets.map((s) => s.id),
  );
  checkDistinct(
    "privateSubnets availability zones",
    props.privateSubnets.map((s) => s.availabilityZone),
  );
  (props.privateRouteTableIds ?? []).forEach((t, i) => {
    checkId(`privateRouteTableIds[${i}]`, t, /^rtb-[0-9a-f]{8,17}$/, "rtb-0123456789abcdef0");
  });
  checkDistinct("privateRouteTableIds", props.privateRouteTableIds ?? []);
  if (props.s3PrefixListId !== undefined) {
    checkId("s3PrefixListId", props.s3PrefixListId, /^pl-[0-9a-f]{8,17}$/, "pl-6ea54007");
  }
}
