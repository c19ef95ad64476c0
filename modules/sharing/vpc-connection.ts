import { MskVpcConnection } from "@cdktf/provider-aws/lib/msk-vpc-connection";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { declarePolicyException } from "../common/policy-exceptions";
import { MULTI_VPC_PORTS } from "../network/listeners";

/** The auth scheme of one managed VPC connection, as the environment names it. */
export type ConnectionAuth = "iam" | "scram" | "tls";

/** CreateVpcConnection's Authentication values (provider docs: SASL_IAM, SASL_SCRAM or TLS). */
const AUTHENTICATION: Readonly<Record<ConnectionAuth, string>> = {
  iam: "SASL_IAM",
  scram: "SASL_SCRAM",
  tls: "TLS",
};

export interface ClientVpcConnectionProps {
  /** Resource-name prefix, "<project>-<env>-client-<name>". */
  readonly prefix: string;
  /** The shared cluster's ARN (sharing.clusterArn), a literal: the cluster lives in another stack. */
  readonly clusterArn: string;
  /** The client VPC. */
  readonly vpcId: string;
  /** At least two subnets of the client VPC, in AZs the cluster uses. */
  readonly subnetIds: readonly string[];
  /** The one auth scheme this connection carries. */
  readonly auth: ConnectionAuth;
  /** Workloads' existing groups in this VPC admitted to the connection. @default [] */
  readonly allowedSecurityGroupIds?: readonly string[];
}

/**
 * The client side of multi-VPC private connectivity, in the client's VPC and account: an MSK managed VPC
 * connection (an interface endpoint MSK manages), its security group, and a client group for workloads.
 * Clients reach broker N on port 14000 + N of the connection (14001-14100), so the client group's only egress
 * is that range to the connection group, and the connection group admits that range from the client group
 * and the listed workload groups only. All attributes of a VPC connection are ForceNew: the groups keep
 * names and descriptions that never depend on settings.
 */
export class ClientVpcConnection extends Construct {
  readonly connection: MskVpcConnection;
  /** Attached to the connection's endpoints. */
  readonly connectionSecurityGroup: SecurityGroup;
  /** Attach to the Kafka clients in this VPC. */
  readonly clientSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: ClientVpcConnectionProps) {
    super(scope, id);
    if (props.subnetIds.length < 2) {
      throw new Error(
        `ClientVpcConnection: subnetIds must list at least 2 subnets, got ${props.subnetIds.length}`,
      );
    }
    const group = (groupId: string, name: string, description: string) =>
      new SecurityGroup(this, groupId, {
        namePrefix: `${props.prefix}-${name}-`,
        description,
        vpcId: props.vpcId,
        tags: { Name: `${props.prefix}-${name}` },
        lifecycle: { createBeforeDestroy: true },
      });
    this.connectionSecurityGroup = group(
      "connection",
      "msk-connection",
      `MSK managed VPC connection of ${props.prefix}: Kafka clients of this VPC reach the shared cluster here`,
    );
    this.clientSecurityGroup = group(
      "client",
      "msk-clients",
      `Kafka clients of ${props.prefix}: attach to reach the shared MSK cluster through the VPC connection`,
    );
    declarePolicyException(this.clientSecurityGroup, {
      checks: ["CKV2_AWS_5"],
      reason: "Exported for the Kafka clients of this VPC to attach; nothing in this stack runs a client",
    });

    const ports = { ipProtocol: "tcp", fromPort: MULTI_VPC_PORTS.from, toPort: MULTI_VPC_PORTS.to };
    const label = `Kafka brokers through the MSK VPC connection (${MULTI_VPC_PORTS.from}-${MULTI_VPC_PORTS.to}, one port per broker)`;
    new VpcSecurityGroupIngressRule(this, "connection-ingress-from-clients", {
      securityGroupId: this.connectionSecurityGroup.id,
      referencedSecurityGroupId: this.clientSecurityGroup.id,
      ...ports,
      description: `${label} from the Kafka client security group`,
    });
    new VpcSecurityGroupEgressRule(this, "clients-egress-to-connection", {
      securityGroupId: this.clientSecurityGroup.id,
      referencedSecurityGroupId: this.connectionSecurityGroup.id,
      ...ports,
      description: `${label}`,
    });
    for (const workload of props.allowedSecurityGroupIds ?? []) {
      new VpcSecurityGroupIngressRule(this, `connection-ingress-from-${workload}`, {
        securityGroupId: this.connectionSecurityGroup.id,
        referencedSecurityGroupId: workload,
        ...ports,
        description: `${label} from workload security group ${workload}`,
      });
    }

    this.connection = new MskVpcConnection(this, "vpc-connection", {
      authentication: AUTHENTICATION[props.auth],
      targetClusterArn: props.clusterArn,
      vpcId: props.vpcId,
      clientSubnets: [...props.subnetIds],
      securityGroups: [this.connectionSecurityGroup.id],
    });
  }
}

/** What a Kafka client in the client VPC sets, per auth scheme (bootstrap.servers comes from the command). */
export function kafkaClientProperties(auth: ConnectionAuth): string {
  const properties: Record<ConnectionAuth, readonly string[]> = {
    iam: [
      "security.protocol=SASL_SSL",
      "sasl.mechanism=AWS_MSK_IAM",
      "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;",
      "sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler",
    ],
    scram: [
      "security.protocol=SASL_SSL",
      "sasl.mechanism=SCRAM-SHA-512",
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="<user>" password="<password>";',
    ],
    tls: [
      "security.protocol=SSL",
      "ssl.keystore.location=<client keystore signed by the cluster's ACM Private CA>",
      "ssl.keystore.password=<password>",
    ],
  };
  return properties[auth].join("\n");
}

/** The GetBootstrapBrokers field that holds this scheme's multi-VPC bootstrap string. */
export function bootstrapBrokersField(auth: ConnectionAuth): string {
  const fields: Record<ConnectionAuth, string> = {
    iam: "BootstrapBrokerStringVpcConnectivitySaslIam",
    scram: "BootstrapBrokerStringVpcConnectivitySaslScram",
    tls: "BootstrapBrokerStringVpcConnectivityTls",
  };
  return fields[auth];
}
