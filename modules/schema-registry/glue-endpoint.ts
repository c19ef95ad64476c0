import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

export interface GlueEndpointProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  readonly region: string;
  readonly vpcId: string;
  /** The private subnets, one endpoint network interface in each. */
  readonly subnetIds: readonly string[];
}

/**
 * An interface endpoint for AWS Glue (com.amazonaws.<region>.glue) in the private subnets, with private DNS,
 * so applications in the VPC reach the Schema Registry without NAT and without egress to the internet.
 * Its group admits HTTPS only from the groups `admit` names.
 */
export class GlueEndpoint extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly endpoint: VpcEndpoint;

  constructor(scope: Construct, id: string, props: GlueEndpointProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, "security-group", {
      namePrefix: `${props.prefix}-glue-endpoint-`,
      description: `Glue interface endpoint of ${props.prefix}: HTTPS from the applications that use the Schema Registry`,
      vpcId: props.vpcId,
      tags: { Name: `${props.prefix}-glue-endpoint` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.endpoint = new VpcEndpoint(this, "endpoint", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.glue`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: [...props.subnetIds],
      securityGroupIds: [this.securityGroup.id],
      tags: { Name: `${props.prefix}-glue` },
    });
  }

  /** HTTPS from `group` to the endpoint, and the matching egress on `group`. */
  admit(name: string, group: SecurityGroup, who: string): void {
    new VpcSecurityGroupIngressRule(this, `ingress-https-from-${name}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: group.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: `HTTPS to the Glue endpoint from ${who}`,
    });
    new VpcSecurityGroupEgressRule(this, `${name}-egress-https`, {
      securityGroupId: group.id,
      referencedSecurityGroupId: this.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS to the Glue interface endpoint (Schema Registry)",
    });
  }
}
