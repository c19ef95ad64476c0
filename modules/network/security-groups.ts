import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { declarePolicyException } from "../common/policy-exceptions";
import { parseCidr } from "./cidr";
import type { BrokerPort, PortSource } from "./listeners";

export interface KafkaSecurityGroupsProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  /** VPC the three groups belong to. */
  readonly vpcId: string;
  /** IPv4 CIDR of the VPC: the brokers' only egress destination. */
  readonly vpcCidr: string;
  /** Broker listener ports with their allowed sources, from `brokerIngressPorts`. */
  readonly brokerPorts: readonly BrokerPort[];
  /** IPv4 CIDRs outside the client group allowed to the broker ports (/8 or narrower, never 0.0.0.0/0). @default [] */
  readonly clientCidrs?: readonly string[];
  /** Prefix list of the S3 gateway endpoint, for the Connect workers' HTTPS egress to S3. @default no S3 egress */
  readonly s3PrefixListId?: string;
  /**
   * Workloads' existing groups in this VPC ("sg-..."), admitted on the ports whose sources include
   * `workloads`. Only rules on the broker group are added; the workloads' own groups are not touched.
   * @default []
   */
  readonly allowedSecurityGroupIds?: readonly string[];
}

/** The widest client range accepted: anything wider is effectively the internet. */
export const WIDEST_CLIENT_CIDR_PREFIX = 8;

/**
 * Three security groups, every rule standalone (no inline blocks, so rules added later here or by users
 * on the exported groups never fight over the same attribute):
 * - brokers: ingress on exactly the enabled listener ports, each from the sources the port map allows
 *   (client group, Connect group, listed CIDRs); egress only inside the VPC;
 * - clients: attach to producers/consumers; egress to the brokers' ports only;
 * - connect: MSK Connect workers; egress to the brokers' Connect ports and to S3 through the endpoint.
 * With Lambda consumers the broker group also admits itself (and may reach itself) on the pollers' listener:
 * Lambda's MSK event pollers use the cluster's own security groups.
 * Group names and descriptions never depend on the enabled features: both force a new group, and a new
 * broker group forces a new MSK cluster.
 */
export class KafkaSecurityGroups extends Construct {
  readonly brokerSecurityGroup: SecurityGroup;
  readonly clientSecurityGroup: SecurityGroup;
  readonly connectSecurityGroup: SecurityGroup;
  /** The broker group's rules admitting itself (Lambda event pollers); empty without a Lambda consumer. */
  readonly selfRules: readonly (VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule)[];
  private readonly brokerPorts: readonly BrokerPort[];

  constructor(scope: Construct, id: string, props: KafkaSecurityGroupsProps) {
    super(scope, id);
    this.brokerPorts = props.brokerPorts;
    const clientCidrs = props.clientCidrs ?? [];
    validateClientCidrs(clientCidrs);
    const workloads = props.allowedSecurityGroupIds ?? [];
    validateWorkloadGroups(workloads);
    const selfRules: (VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule)[] = [];

    // name_prefix + create_before_destroy: a replacement can be created while the old group is in use.
    const group = (groupId: string, name: string, description: string) =>
      new SecurityGroup(this, groupId, {
        namePrefix: `${props.prefix}-${name}-`,
        description,
        vpcId: props.vpcId,
        tags: { Name: `${props.prefix}-${name}` },
        lifecycle: { createBeforeDestroy: true },
      });
    this.brokerSecurityGroup = group(
      "broker",
      "msk-brokers",
      `MSK brokers of ${props.prefix}: enabled listener ports from Kafka clients, Connect and listed ranges`,
    );
    this.clientSecurityGroup = group(
      "client",
      "msk-clients",
      `Kafka producers and consumers of ${props.prefix}: attach to reach the MSK brokers`,
    );
    this.connectSecurityGroup = group(
      "connect",
      "msk-connect",
      `MSK Connect workers of ${props.prefix}: reach the MSK brokers and S3 through the endpoint`,
    );
    declarePolicyException(this.clientSecurityGroup, {
      checks: ["CKV2_AWS_5"],
      reason: "Exported for producers and consumers outside this stack to attach; nothing here uses it",
    });
    declarePolicyException(this.connectSecurityGroup, {
      checks: ["CKV2_AWS_5"],
      reason: "Attached by MSK Connect connectors, which may be deployed outside this stack",
    });

    const groups: Record<"clients" | "connect", { group: SecurityGroup; who: string }> = {
      clients: { group: this.clientSecurityGroup, who: "the Kafka client security group" },
      connect: { group: this.connectSecurityGroup, who: "the MSK Connect security group" },
    };
    for (const p of props.brokerPorts) {
      for (const source of p.sources) {
        if (source !== "clients" && source !== "connect") continue;
        const { group: sourceGroup, who } = groups[source];
        new VpcSecurityGroupIngressRule(this, `broker-ingress-${p.listener}-from-${source}`, {
          securityGroupId: this.brokerSecurityGroup.id,
          referencedSecurityGroupId: sourceGroup.id,
          ipProtocol: "tcp",
          fromPort: p.fromPort,
          toPort: p.toPort,
          description: `${p.label} from ${who}`,
        });
        new VpcSecurityGroupEgressRule(this, `${source}-egress-${p.listener}-to-brokers`, {
          securityGroupId: sourceGroup.id,
          referencedSecurityGroupId: this.brokerSecurityGroup.id,
          ipProtocol: "tcp",
          fromPort: p.fromPort,
          toPort: p.toPort,
          description: `${p.label} on the MSK brokers`,
        });
      }
      if (p.sources.includes("workloads")) {
        for (const workload of workloads) {
          new VpcSecurityGroupIngressRule(this, `broker-ingress-${p.listener}-from-${workload}`, {
            securityGroupId: this.brokerSecurityGroup.id,
            referencedSecurityGroupId: workload,
            ipProtocol: "tcp",
            fromPort: p.fromPort,
            toPort: p.toPort,
            description: `${p.label} from workload security group ${workload}`,
          });
        }
      }
      if (p.sources.includes("self")) {
        // Lambda's MSK event pollers carry the brokers' own group: it admits itself, and may reach itself.
        const ingress = new VpcSecurityGroupIngressRule(this, `broker-ingress-${p.listener}-from-self`, {
          securityGroupId: this.brokerSecurityGroup.id,
          referencedSecurityGroupId: this.brokerSecurityGroup.id,
          ipProtocol: "tcp",
          fromPort: p.fromPort,
          toPort: p.toPort,
          description: `${p.label} from Lambda event pollers, which use the broker security group itself`,
        });
        const egress = new VpcSecurityGroupEgressRule(this, `broker-egress-${p.listener}-to-self`, {
          securityGroupId: this.brokerSecurityGroup.id,
          referencedSecurityGroupId: this.brokerSecurityGroup.id,
          ipProtocol: "tcp",
          fromPort: p.fromPort,
          toPort: p.toPort,
          description: `${p.label} from Lambda event pollers to the MSK brokers (same security group)`,
        });
        selfRules.push(ingress, egress);
      }
      if (p.sources.includes("vpc")) {
        new VpcSecurityGroupIngressRule(this, `broker-ingress-${p.listener}-from-vpc`, {
          securityGroupId: this.brokerSecurityGroup.id,
          cidrIpv4: props.vpcCidr,
          ipProtocol: "tcp",
          fromPort: p.fromPort,
          toPort: p.toPort,
          description: `${p.label} from inside the cluster VPC ${props.vpcCidr}`,
        });
      }
      if (!p.sources.includes("cidrs")) continue;
      for (const cidr of clientCidrs) {
        new VpcSecurityGroupIngressRule(
          this,
          `broker-ingress-${p.listener}-from-${cidr.replace(/[./]/g, "-")}`,
          {
            securityGroupId: this.brokerSecurityGroup.id,
            cidrIpv4: cidr,
            ipProtocol: "tcp",
            fromPort: p.fromPort,
            toPort: p.toPort,
            description: `${p.label} from listed client range ${cidr}`,
          },
        );
      }
    }

    this.selfRules = selfRules;

    // Brokers initiate nothing outside the VPC (replies to clients are allowed by connection tracking).
    new VpcSecurityGroupEgressRule(this, "broker-egress-vpc", {
      securityGroupId: this.brokerSecurityGroup.id,
      cidrIpv4: props.vpcCidr,
      ipProtocol: "tcp",
      fromPort: 0,
      toPort: 65535,
      description: `MSK brokers reach only addresses inside the VPC ${props.vpcCidr}`,
    });

    if (props.s3PrefixListId) {
      new VpcSecurityGroupEgressRule(this, "connect-egress-s3", {
        securityGroupId: this.connectSecurityGroup.id,
        prefixListId: props.s3PrefixListId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to S3 (the sink bucket) through the S3 gateway endpoint prefix list",
      });
    }
  }

  /**
   * Admits another module's group to the brokers on exactly the ports whose sources include its kind (the
   * port map decides: Flink gets the SASL/IAM listener only), with the matching egress on that group.
   * Returns the ports opened; none when the cluster has no such listener.
   */
  admit(admitted: AdmittedGroup): BrokerPort[] {
    const ports = this.brokerPorts.filter((p) => p.sources.includes(admitted.source));
    for (const p of ports) {
      const tag = `${admitted.source}-${admitted.name}`;
      new VpcSecurityGroupIngressRule(this, `broker-ingress-${p.listener}-from-${tag}`, {
        securityGroupId: this.brokerSecurityGroup.id,
        referencedSecurityGroupId: admitted.group.id,
        ipProtocol: "tcp",
        fromPort: p.fromPort,
        toPort: p.toPort,
        description: `${p.label} from ${admitted.who}`,
      });
      new VpcSecurityGroupEgressRule(this, `${tag}-egress-${p.listener}-to-brokers`, {
        securityGroupId: admitted.group.id,
        referencedSecurityGroupId: this.brokerSecurityGroup.id,
        ipProtocol: "tcp",
        fromPort: p.fromPort,
        toPort: p.toPort,
        description: `${p.label} on the MSK brokers`,
      });
    }
    return ports;
  }
}

/** A group of another module that the port map lists as a source (a Flink application's own group). */
export interface AdmittedGroup {
  /** The port-map source it stands for. */
  readonly source: Extract<PortSource, "flink">;
  /** Stable name within the source (the application's name): part of the rules' construct ids. */
  readonly name: string;
  readonly group: SecurityGroup;
  /** Who it is, for rule descriptions, e.g. "Flink application msk-platform-prod-order-enricher". */
  readonly who: string;
}

/** Workload groups are literal group ids, each once (validation reports them to users first). */
function validateWorkloadGroups(ids: readonly string[]): void {
  ids.forEach((id, i) => {
    if (Token.isUnresolved(id) || !/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
      throw new Error(
        `KafkaSecurityGroups: allowedSecurityGroupIds[${i}] must be a literal "sg-..." id, got ${JSON.stringify(id)}`,
      );
    }
    if (ids.indexOf(id) !== i) {
      throw new Error(
        `KafkaSecurityGroups: allowedSecurityGroupIds must be distinct, got ${JSON.stringify(id)} twice`,
      );
    }
  });
}

/** The brokers are never reachable from the whole internet: 0.0.0.0/0, ::/0 and other huge ranges fail. */
function validateClientCidrs(cidrs: readonly string[]): void {
  cidrs.forEach((cidr, i) => {
    if (Token.isUnresolved(cidr)) {
      throw new Error(
        `KafkaSecurityGroups: clientCidrs[${i}] must be a literal CIDR, got a Terraform reference`,
      );
    }
    const parsed = parseCidr(cidr);
    if (!parsed || parsed.prefix < WIDEST_CLIENT_CIDR_PREFIX) {
      throw new Error(
        `KafkaSecurityGroups: clientCidrs[${i}] must be an IPv4 CIDR of /${WIDEST_CLIENT_CIDR_PREFIX} or ` +
          `narrower (never 0.0.0.0/0 or ::/0), got ${JSON.stringify(cidr)}`,
      );
    }
    if (cidrs.indexOf(cidr) !== i) {
      throw new Error(`KafkaSecurityGroups: clientCidrs must be distinct, got ${JSON.stringify(cidr)} twice`);
    }
  });
}
