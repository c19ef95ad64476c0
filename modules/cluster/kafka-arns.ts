/** What IAM needs to name a cluster and the topics and groups inside it. */
export interface KafkaClusterIdentity {
  /** Cluster ARN (arn:PARTITION:kafka:REGION:ACCOUNT:cluster/NAME/UUID). */
  readonly arn: string;
  /** Cluster name. */
  readonly name: string;
  /** Cluster UUID, the last segment of its ARN (the provider's `cluster_uuid`). */
  readonly uuid: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * ARN of a topic, group or transactional id of one cluster (arn:...:topic/NAME/UUID/TOPIC), built from the cluster's UUID so
 * IAM policies are scoped to this cluster before it exists. Built from plain references (no function
 * calls with quoted arguments), the policy text stays valid JSON for scanners that read cdk.tf.json.
 */
export function clusterScopedArn(
  cluster: KafkaClusterIdentity,
  kind: "topic" | "group" | "transactional-id",
  name: string,
): string {
  return `arn:${cluster.partition}:kafka:${cluster.region}:${cluster.accountId}:${kind}/${cluster.name}/${cluster.uuid}/${name}`;
}
