import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import type { KafkaClusterIdentity } from "../cluster/kafka-arns";
import { type PolicyStatement, policyDocument } from "../common/iam";
import { type KafkaGrant, kafkaDataStatements } from "./kafka-grants";

export interface ClientKafkaPolicyProps {
  /** Resource-name prefix, "<project>-<env>-client-<name>". */
  readonly prefix: string;
  /** The shared cluster, in another account (read from sharing.clusterArn). */
  readonly cluster: KafkaClusterIdentity;
  /** What the cluster policy grants this account. */
  readonly grant: KafkaGrant;
}

/**
 * The identity side of cross-account IAM access: a managed policy in the client account, for its Kafka client
 * roles, allowing exactly what the cluster policy grants this account (both sides must allow a cross-account
 * call), plus reading the multi-VPC bootstrap brokers. Scoped to the cluster and its topic/group ARNs.
 */
export class ClientKafkaPolicy extends Construct {
  readonly policy: IamPolicy;
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: ClientKafkaPolicyProps) {
    super(scope, id);
    this.statements = [
      {
        Sid: "ReadBootstrapBrokers",
        Effect: "Allow",
        Action: ["kafka:GetBootstrapBrokers", "kafka:DescribeClusterV2"],
        Resource: props.cluster.arn,
      },
      ...kafkaDataStatements(props.cluster, props.grant, "Kafka"),
    ];
    // Name and description never mention patterns or access: both are ForceNew on a managed policy.
    this.policy = new IamPolicy(this, "policy", {
      name: `${props.prefix}-kafka-access`,
      description: `Kafka clients of ${props.prefix} on the shared MSK cluster ${props.cluster.name} (IAM auth)`,
      policy: policyDocument(...this.statements),
    });
  }
}
