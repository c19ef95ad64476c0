import { Fn } from "cdktf";

/**
 * ARNs of a cluster's topics and groups, derived from the cluster ARN
 * (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID -> ...:topic/NAME/UUID/TOPIC), so IAM policies can be
 * scoped to one cluster before its UUID is known.
 */
export function clusterScopedArn(clusterArn: string, kind: "topic" | "group", name: string): string {
  return `${Fn.replace(clusterArn, ":cluster/", `:${kind}/`)}/${name}`;
}
