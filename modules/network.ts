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
import { Construct } from "constructs";
import { subnetLayout } from "./cidr";
import { policyDocument, serviceTrustPolicy } from "./iam";

export type NetworkProps = {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
} & (
  | {
      readonly mode: "create";
      /** VPC CIDR. */
      readonly cidr: string;
      /** One private subnet per AZ, in this order. */
      readonly availabilityZones: readonly string[];
      /** NAT gateways: none, one shared, or one per AZ. */
      readonly natGateways: "none" | "single" | "per-az";
      /** KMS key ARN for the flow-log group. */
      readonly logsKmsKeyArn: string;
      /** Flow-log retention in days. */
      readonly flowLogRetentionDays: number;
    }
  | {
      readonly mode: "existing";
      readonly vpcId: string;
      readonly cidr: string;
      readonly privateSubnets: readonly { readonly id: string; readonly availabilityZone: string }[];
      /** Route tables for the S3 gateway endpoint; empty means no endpoint is created. */
      readonly privateRouteTableIds: readonly string[];
    }
);

/**
 * The VPC the cluster lives in: either created here (private subnets per AZ, optional NAT, flow logs,
 * an emptied default security group, an S3 gateway endpoint) or an existing one passed through.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Private subnet ids, in AZ order. */
  readonly privateSubnetIds: string[];
  readonly availabilityZones: string[];
  /** Prefix list of the S3 gateway endpoint, when one exists (for egress rules to S3). */
  readonly s3PrefixListId?: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    if (props.mode === "existing") {
      this.vpcId = props.vpcId;
      this.vpcCidr = props.cidr;
      this.privateSubnetIds = props.privateSubnets.map((s) => s.id);
      this.availabilityZones = props.privateSubnets.map((s) => s.availabilityZone);
      if (props.privateRouteTableIds.length > 0) {
        this.s3PrefixListId = this.s3Endpoint(props, props.vpcId, props.privateRouteTableIds).prefixListId;
      }
      return;
    }

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
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
        tags: { Name: `${props.prefix}-private-${az}` },
      });
      new RouteTableAssociation(this, `private-route-table-association-${az}`, {
        subnetId: privateSubnets[i].id,
        routeTableId: table.id,
      });
      return table;
    });

    if (props.natGateways !== "none") {
      const igw = new InternetGateway(this, "internet-gateway", {
        vpcId: vpc.id,
        tags: { Name: props.prefix },
      });
      const publicRouteTable = new RouteTable(this, "public-route-table", {
        vpcId: vpc.id,
        tags: { Name: `${props.prefix}-public` },
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
          cidrBlock: layout.public[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.prefix}-public-${az}`, tier: "public" },
        });
        new RouteTableAssociation(this, `public-route-table-association-${az}`, {
          subnetId: subnet.id,
          routeTableId: publicRouteTable.id,
        });
        return subnet;
      });
      const natAzs =
        props.natGateways === "single" ? props.availabilityZones.slice(0, 1) : props.availabilityZones;
      const natGateways = natAzs.map((az, i) => {
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
          natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id,
        });
      });
    }

    this.s3PrefixListId = this.s3Endpoint(
      props,
      vpc.id,
      privateRouteTables.map((t) => t.id),
    ).prefixListId;

    const flowLogGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      name: `/aws/vpc/${props.prefix}/flow-logs`,
      retentionInDays: props.flowLogRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
    });
    const flowLogRole = new IamRole(this, "flow-log-role", {
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
      role: flowLogRole.id,
      policy: policyDocument({
        Sid: "WriteFlowLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        Resource: [flowLogGroup.arn, `${flowLogGroup.arn}:*`],
      }),
    });
    new FlowLog(this, "flow-log", {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
    });
  }

  /** A gateway endpoint keeps Connect's traffic to the sink bucket inside AWS. */
  private s3Endpoint(
    props: NetworkProps,
    vpcId: string,
    routeTableIds: string[] | readonly string[],
  ): VpcEndpoint {
    return new VpcEndpoint(this, "s3-endpoint", {
      vpcId,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...routeTableIds],
      tags: { Name: `${props.prefix}-s3` },
    });
  }
}
