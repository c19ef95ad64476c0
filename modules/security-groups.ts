import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import type { BrokerPort } from "./listeners";

export interface KafkaSecurityGroupsProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Broker listener ports, from `brokerIngressPorts`. */
  readonly brokerPorts: readonly BrokerPort[];
  /** Extra CIDRs allowed to the broker ports (never 0.0.0.0/0; validated before this runs). */
  readonly clientCidrs: readonly string[];
  /** Prefix list of the S3 gateway endpoint, for Connect workers' HTTPS egress to S3. @default none */
  readonly s3PrefixListId?: string;
}

/**
 * Three security groups, every rule standalone (no inline blocks, so later edits never fight):
 * - brokers: ingress on exactly the enabled listener ports from clients, Connect workers and listed CIDRs;
 * - clients: attach to producers/consumers; egress to the brokers' ports only;
 * - connect: MSK Connect workers; egress to the brokers' ports and to S3 through the gateway endpoint.
 */
export class KafkaSecurityGroups extends Construct {
  readonly brokerSecurityGroup: SecurityGroup;
  readonly clientSecurityGroup: SecurityGroup;
  readonly connectSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: KafkaSecurityGroupsProps) {
    super(scope, id);
    this.brokerSecurityGroup = new SecurityGroup(this, "broker", {
      name: `${props.prefix}-msk-brokers`,
      description: `MSK brokers of ${props.prefix}: listener ports from clients and Connect only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.prefix}-msk-brokers` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.clientSecurityGroup = new SecurityGroup(this, "client", {
      name: `${props.prefix}-msk-clients`,
      description: `Kafka producers and consumers of ${props.prefix}: reach the MSK brokers`,
      vpcId: props.vpcId,
      tags: { Name: `${props.prefix}-msk-clients` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.connectSecurityGroup = new SecurityGroup(this, "connect", {
      name: `${props.prefix}-msk-connect`,
      description: `MSK Connect workers of ${props.prefix}: reach the brokers and S3`,
      vpcId: props.vpcId,
      tags: { Name: `${props.prefix}-msk-connect` },
      lifecycle: { createBeforeDestroy: true },
    });

    const sources = [
      { name: "clients", securityGroup: this.clientSecurityGroup },
      { name: "connect", securityGroup: this.connectSecurityGroup },
    ];
    for (const p of props.brokerPorts) {
      for (const source of sources) {
        new VpcSecurityGroupIngressRule(this, `broker-ingress-${p.listener}-from-${source.name}`, {
          securityGroupId: this.brokerSecurityGroup.id,
          referencedSecurityGroupId: source.securityGroup.id,
          ipProtocol: "tcp",
          fromPort: p.fromPort,
          toPort: p.toPort,
          description: `Kafka ${p.listener} listener from the ${source.name} security group`,
        });
        new VpcSecurityGroupEgressRule(this, `${source.name}-egress-${p.listener}-to-brokers`, {
          securityGroupId: source.securityGroup.id,
          referencedSecurityGroupId: this.brokerSecurityGroup.id,
          ipProtocol: "tcp",
          fromPort: p.fromPort,
          toPort: p.toPort,
          description: `Kafka ${p.listener} listener on the MSK brokers`,
        });
      }
      for (const cidr of props.clientCidrs) {
        new VpcSecurityGroupIngressRule(
          this,
          `broker-ingress-${p.listener}-from-${cidr.replace(/[./]/g, "-")}`,
          {
            securityGroupId: this.brokerSecurityGroup.id,
            cidrIpv4: cidr,
            ipProtocol: "tcp",
            fromPort: p.fromPort,
            toPort: p.toPort,
            description: `Kafka ${p.listener} listener from listed client range ${cidr}`,
          },
        );
      }
    }

    // Brokers initiate nothing outside the VPC; keep their egress inside it (CKV_AWS_382).
    new VpcSecurityGroupEgressRule(this, "broker-egress-vpc", {
      securityGroupId: this.brokerSecurityGroup.id,
      cidrIpv4: props.vpcCidr,
      ipProtocol: "tcp",
      fromPort: 0,
      toPort: 65535,
      description: "Broker traffic stays inside the VPC",
    });

    if (props.s3PrefixListId) {
      new VpcSecurityGroupEgressRule(this, "connect-egress-s3", {
        securityGroupId: this.connectSecurityGroup.id,
        prefixListId: props.s3PrefixListId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to the sink bucket through the S3 gateway endpoint",
      });
    }
  }
}
