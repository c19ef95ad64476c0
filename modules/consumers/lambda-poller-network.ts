import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { declarePolicyException } from "../common/policy-exceptions";

/** AWS APIs Lambda's MSK event pollers call from the cluster's subnets. */
export type PollerEndpointService = "lambda" | "sts" | "sqs" | "sns";

/** How the pollers reach those APIs (network.lambdaPollerAccess). */
export type PollerAccess = "endpoints" | "nat" | "existing-endpoints";

/** What the pollers of the environment's consumers need, derived from the consumers. */
export interface PollerNeeds {
  /** Some consumer polls in on-demand mode: its pollers invoke the function through the VPC (Lambda, STS). */
  readonly onDemand: boolean;
  /** Kinds of the consumers' on-failure destinations. */
  readonly destinations: readonly ("sqs" | "sns" | "s3")[];
}

export interface LambdaPollerNetworkProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  /** AWS region, for the endpoint service names. */
  readonly region: string;
  readonly vpcId: string;
  /** IPv4 CIDR of the VPC: the endpoints admit HTTPS from it (private DNS answers for the whole VPC). */
  readonly vpcCidr: string;
  /** The cluster's private subnets, one per AZ: the endpoints get an interface in each. */
  readonly subnetIds: readonly string[];
  /** The brokers' group, which the pollers' network interfaces carry. */
  readonly brokerSecurityGroupId: string;
  /** Prefix list of the S3 gateway endpoint, for S3 destinations. @default none */
  readonly s3PrefixListId?: string;
  readonly access: PollerAccess;
  readonly needs: PollerNeeds;
}

/**
 * The network path of Lambda's MSK event pollers beyond the brokers (the brokers' self-referencing rule is in
 * modules/network/security-groups.ts). The pollers' interfaces sit in the cluster's subnets with the brokers'
 * group (Lambda Developer Guide, "Configuring your Amazon MSK cluster and Amazon VPC network for Lambda"):
 * - on-demand mode invokes the function through the VPC: interface endpoints for Lambda and STS ("endpoints"),
 *   or NAT with HTTPS egress from the brokers' group ("nat"); provisioned mode needs neither;
 * - the on-failure destination needs a VPC endpoint in the cluster's VPC ("Capturing discarded batches for an
 *   Amazon MSK event source"): interface endpoints for SQS and SNS, the S3 gateway endpoint's prefix list for S3.
 * With "existing-endpoints" the VPC already has them and nothing is created here.
 */
export class LambdaPollerNetwork extends Construct {
  /** The endpoints' group, when endpoints are created. */
  readonly endpointSecurityGroup?: SecurityGroup;
  /** Interface endpoints by service. */
  readonly endpoints: Readonly<Partial<Record<PollerEndpointService, VpcEndpoint>>>;
  /** What a mapping must wait for: its pollers start connecting as soon as it exists. */
  readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: LambdaPollerNetworkProps) {
    super(scope, id);
    const services = endpointServicesFor(props.access, props.needs);
    const dependables: ITerraformDependable[] = [];
    const endpoints: Partial<Record<PollerEndpointService, VpcEndpoint>> = {};

    if (services.length > 0) {
      const group = new SecurityGroup(this, "endpoint-security-group", {
        namePrefix: `${props.prefix}-lambda-poller-endpoints-`,
        description: `Interface endpoints of ${props.prefix} for Lambda event pollers: HTTPS from inside the VPC`,
        vpcId: props.vpcId,
        tags: { Name: `${props.prefix}-lambda-poller-endpoints` },
        lifecycle: { createBeforeDestroy: true },
      });
      this.endpointSecurityGroup = group;
      // Private DNS answers for the whole VPC: admitting only the pollers would cut every other caller off.
      new VpcSecurityGroupIngressRule(this, "endpoint-ingress-https-from-vpc", {
        securityGroupId: group.id,
        cidrIpv4: props.vpcCidr,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: `HTTPS to the ${services.join(", ")} endpoints from inside the VPC ${props.vpcCidr}`,
      });
      for (const service of services) {
        const endpoint = new VpcEndpoint(this, `${service}-endpoint`, {
          vpcId: props.vpcId,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: "Interface",
          subnetIds: [...props.subnetIds],
          securityGroupIds: [group.id],
          privateDnsEnabled: true,
          tags: { Name: `${props.prefix}-${service}` },
        });
        endpoints[service] = endpoint;
        dependables.push(endpoint);
      }
    }
    this.endpoints = endpoints;

    const internet = props.access === "nat" && props.needs.onDemand;
    if (internet) {
      const rule = new VpcSecurityGroupEgressRule(this, "broker-egress-https-internet", {
        securityGroupId: props.brokerSecurityGroupId,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description:
          "HTTPS from Lambda event pollers (broker security group) to the Lambda and STS APIs through NAT",
      });
      declarePolicyException(rule, {
        checks: ["MSKP-NET-003", "AVD-AWS-0104"],
        reason:
          'network.lambdaPollerAccess "nat": on-demand event pollers call the Lambda and STS APIs through NAT from the broker security group; "endpoints" avoids this egress',
      });
      dependables.push(rule);
    }
    if (props.needs.destinations.includes("s3") && !internet && props.s3PrefixListId !== undefined) {
      dependables.push(
        new VpcSecurityGroupEgressRule(this, "broker-egress-https-s3", {
          securityGroupId: props.brokerSecurityGroupId,
          prefixListId: props.s3PrefixListId,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          description:
            "HTTPS from Lambda event pollers to S3 on-failure destinations through the S3 gateway endpoint",
        }),
      );
    }
    this.dependables = dependables;
  }
}

/** Interface endpoints to create for an access mode and what the pollers need, in a fixed order. */
export function endpointServicesFor(access: PollerAccess, needs: PollerNeeds): PollerEndpointService[] {
  if (access === "existing-endpoints") return [];
  const services: PollerEndpointService[] = [];
  if (access === "endpoints" && needs.onDemand) services.push("lambda", "sts");
  if (needs.destinations.includes("sqs")) services.push("sqs");
  if (needs.destinations.includes("sns")) services.push("sns");
  return services;
}
