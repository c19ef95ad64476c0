import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { declarePolicyException } from "../common/policy-exceptions";
import type { BrokerPort } from "../network/listeners";

/** One more VPC of a serverless cluster, in the cluster's own account. */
export interface ServerlessClientVpc {
  /** Stable name: it is part of the construct ids (and so of the cluster's vpc_config). */
  readonly name: string;
  readonly vpcId: string;
  /** At least two subnets; the cluster places endpoints there. */
  readonly subnetIds: readonly string[];
  /** Workloads' existing groups in that VPC admitted to the cluster. @default [] */
  readonly allowedSecurityGroupIds?: readonly string[];
}

export interface ServerlessClientVpcsProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  readonly vpcs: readonly ServerlessClientVpc[];
  /** The cluster's listener ports (serverless: 9098), from `brokerIngressPorts`. */
  readonly brokerPorts: readonly BrokerPort[];
}

/**
 * The client VPCs of an MSK Serverless cluster: per VPC, a broker-side group for the cluster's endpoints there
 * (ingress on the cluster's listener ports from that VPC's client group and listed workload groups) and the
 * client group (egress to it only). `vpcConfigs` are the cluster's extra vpc_config blocks.
 */
export class ServerlessClientVpcs extends Construct {
  readonly vpcConfigs: readonly {
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: string[];
  }[];
  /** Client group per client VPC name: attach to the Kafka clients there. */
  readonly clientSecurityGroups: Readonly<Record<string, SecurityGroup>>;

  constructor(scope: Construct, id: string, props: ServerlessClientVpcsProps) {
    super(scope, id);
    const clients: Record<string, SecurityGroup> = {};
    this.vpcConfigs = props.vpcs.map((vpc) => {
      const group = (groupId: string, name: string, description: string) =>
        new SecurityGroup(this, `${vpc.name}-${groupId}`, {
          namePrefix: `${props.prefix}-${vpc.name}-${name}-`,
          description,
          vpcId: vpc.vpcId,
          tags: { Name: `${props.prefix}-${vpc.name}-${name}` },
          lifecycle: { createBeforeDestroy: true },
        });
      const brokers = group(
        "broker",
        "msk-brokers",
        `MSK Serverless endpoints of ${props.prefix} in client VPC ${vpc.name}: listener ports from its Kafka clients`,
      );
      const client = group(
        "client",
        "msk-clients",
        `Kafka clients of ${props.prefix} in client VPC ${vpc.name}: attach to reach the serverless cluster`,
      );
      declarePolicyException(client, {
        checks: ["CKV2_AWS_5"],
        reason:
          "Exported for the Kafka clients of this client VPC to attach; nothing in this stack runs a client",
      });
      clients[vpc.name] = client;
      for (const p of props.brokerPorts) {
        const range = { ipProtocol: "tcp", fromPort: p.fromPort, toPort: p.toPort };
        if (p.sources.includes("clients")) {
          new VpcSecurityGroupIngressRule(this, `${vpc.name}-broker-ingress-${p.listener}-from-clients`, {
            securityGroupId: brokers.id,
            referencedSecurityGroupId: client.id,
            ...range,
            description: `${p.label} from the Kafka client security group of ${vpc.name}`,
          });
          new VpcSecurityGroupEgressRule(this, `${vpc.name}-clients-egress-${p.listener}-to-brokers`, {
            securityGroupId: client.id,
            referencedSecurityGroupId: brokers.id,
            ...range,
            description: `${p.label} on the MSK Serverless endpoints`,
          });
        }
        if (p.sources.includes("workloads")) {
          for (const workload of vpc.allowedSecurityGroupIds ?? []) {
            new VpcSecurityGroupIngressRule(
              this,
              `${vpc.name}-broker-ingress-${p.listener}-from-${workload}`,
              {
                securityGroupId: brokers.id,
                referencedSecurityGroupId: workload,
                ...range,
                description: `${p.label} from workload security group ${workload}`,
              },
            );
          }
        }
      }
      return { subnetIds: vpc.subnetIds, securityGroupIds: [brokers.id] };
    });
    this.clientSecurityGroups = clients;
  }
}
