/**
 * Kafka data-plane grants (IAM access control) on one cluster's topics and groups, as policy statements: the
 * same statements serve the cluster policy (with a principal, in the cluster's account) and the client
 * account's identity policies (without one). Every resource is the cluster, or a topic or group of it.
 */
import { clusterScopedArn, type KafkaClusterIdentity } from "../cluster/kafka-arns";
import type { PolicyStatement } from "../common/iam";

/** What a grant lets IAM clients do. */
export type KafkaAccess = "consume" | "produce" | "produce-and-consume";

export interface KafkaGrant {
  /** Topic name patterns, `*` only at the end, e.g. ["orders.*"]. */
  readonly topicPatterns: readonly string[];
  /** Consumer group patterns (used when consuming), e.g. ["orders-*"]. */
  readonly consumerGroupPatterns: readonly string[];
  readonly access: KafkaAccess;
}

/**
 * What a managed VPC connection and cross-account clients need on the cluster (MSK Developer Guide, "Step 2:
 * Attach a cluster policy to the MSK cluster"): create the connection, read its bootstrap brokers, describe
 * the cluster. Listed one by one: never `kafka:*`.
 */
export const VPC_CONNECTION_ACTIONS: readonly string[] = [
  "kafka:CreateVpcConnection",
  "kafka:GetBootstrapBrokers",
  "kafka:DescribeCluster",
  "kafka:DescribeClusterV2",
];

const produces = (access: KafkaAccess) => access !== "consume";
const consumes = (access: KafkaAccess) => access !== "produce";

/** Statements letting IAM clients produce and/or consume the granted topics (and join the granted groups). */
export function kafkaDataStatements(
  cluster: KafkaClusterIdentity,
  grant: KafkaGrant,
  sidPrefix: string,
  principal?: PolicyStatement["Principal"],
): PolicyStatement[] {
  const who = principal === undefined ? {} : { Principal: principal };
  const statements: PolicyStatement[] = [
    {
      Sid: `${sidPrefix}Cluster`,
      Effect: "Allow",
      ...who,
      // WriteDataIdempotently: Kafka >= 3.0 producers enable idempotence by default and fail without it.
      Action: [
        "kafka-cluster:Connect",
        "kafka-cluster:DescribeCluster",
        ...(produces(grant.access) ? ["kafka-cluster:WriteDataIdempotently"] : []),
      ],
      Resource: cluster.arn,
    },
    {
      Sid: `${sidPrefix}Topics`,
      Effect: "Allow",
      ...who,
      Action: [
        "kafka-cluster:DescribeTopic",
        ...(produces(grant.access) ? ["kafka-cluster:WriteData"] : []),
        ...(consumes(grant.access) ? ["kafka-cluster:ReadData"] : []),
      ],
      Resource: grant.topicPatterns.map((p) => clusterScopedArn(cluster, "topic", p)),
    },
  ];
  if (consumes(grant.access)) {
    statements.push({
      Sid: `${sidPrefix}Groups`,
      Effect: "Allow",
      ...who,
      Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
      Resource: grant.consumerGroupPatterns.map((p) => clusterScopedArn(cluster, "group", p)),
    });
  }
  return statements;
}

/** The identity of a cluster read from its ARN (arn:PARTITION:kafka:REGION:ACCOUNT:cluster/NAME/UUID). */
export function clusterIdentityFromArn(arn: string): KafkaClusterIdentity {
  const match = /^arn:([a-z-]+):kafka:([a-z0-9-]+):(\d{12}):cluster\/([^/]+)\/([^/]+)$/.exec(arn);
  if (!match) throw new Error(`not an MSK cluster ARN: ${JSON.stringify(arn)}`);
  const [, partition, region, accountId, name, uuid] = match;
  return { arn, partition, region, accountId, name, uuid };
}
