import { MskClusterPolicy } from "@cdktf/provider-aws/lib/msk-cluster-policy";
import { Op } from "cdktf";
import { Construct } from "constructs";
import type { KafkaClusterIdentity } from "../cluster/kafka-arns";
import { type PolicyStatement, policyDocument } from "../common/iam";
import { type KafkaAccess, kafkaDataStatements, VPC_CONNECTION_ACTIONS } from "./kafka-grants";

/** One account's grant on the cluster. */
export interface SharedAccountGrant {
  readonly accountId: string;
  /** Role ARNs of that account, or its root ARN: never "*". */
  readonly principals: readonly string[];
  /** Auth modes its clients use; IAM ones also get the Kafka data actions. */
  readonly auth: readonly ("iam" | "scram" | "tls")[];
  readonly access: KafkaAccess;
  readonly topicPatterns: readonly string[];
  readonly consumerGroupPatterns: readonly string[];
}

export interface SharedClusterPolicyProps {
  /** The cluster the policy is attached to (its ARN by reference). */
  readonly cluster: KafkaClusterIdentity;
  /** The ARN the environment file declares (sharing.clusterArn): the plan stops if the cluster is another. */
  readonly declaredClusterArn: string;
  /** Accounts allowed in; at least one. */
  readonly accounts: readonly SharedAccountGrant[];
}

const PRINCIPAL = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):(root|role\/.+)$/;

/**
 * The cluster policy (resource-based policy of the MSK cluster) for other accounts: per account, the control
 * actions a managed VPC connection needs and, for IAM clients, the Kafka data actions on exactly the granted
 * topics and groups. Principals are the listed roles or account roots, never "*"; no action is a wildcard.
 */
export class SharedClusterPolicy extends Construct {
  readonly policy: MskClusterPolicy;
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: SharedClusterPolicyProps) {
    super(scope, id);
    if (props.accounts.length === 0)
      throw new Error("SharedClusterPolicy: accounts must list at least one account");
    for (const account of props.accounts) {
      for (const principal of account.principals) {
        const match = PRINCIPAL.exec(principal);
        if (!match || match[2] !== account.accountId) {
          throw new Error(
            `SharedClusterPolicy: principals of account ${account.accountId} must be its root or role ARNs, got ${JSON.stringify(principal)}`,
          );
        }
      }
    }
    this.statements = props.accounts.flatMap((account) => {
      const principal = { AWS: account.principals.length === 1 ? account.principals[0] : account.principals };
      const sid = `Account${account.accountId}`;
      return [
        {
          Sid: `${sid}VpcConnection`,
          Effect: "Allow" as const,
          Principal: principal,
          Action: VPC_CONNECTION_ACTIONS,
          Resource: props.cluster.arn,
        },
        ...(account.auth.includes("iam") ? kafkaDataStatements(props.cluster, account, sid, principal) : []),
      ];
    });
    this.policy = new MskClusterPolicy(this, "policy", {
      clusterArn: props.cluster.arn,
      policy: policyDocument(...this.statements),
      lifecycle: {
        // sharing.clusterArn is what the client stacks connect to: it must be this cluster, not a replaced one.
        precondition: [
          {
            condition: Op.eq(props.cluster.arn, props.declaredClusterArn),
            errorMessage: `sharing.clusterArn (${props.declaredClusterArn}) is not this stack's cluster: copy the cluster_arn output of this environment into its sharing.clusterArn`,
          },
        ],
      },
    });
  }
}
