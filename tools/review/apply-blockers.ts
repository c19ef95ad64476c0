/**
 * Changes a plan shows that AWS refuses at apply, found before anyone applies them. MSK accepts public access
 * and multi-VPC connectivity only on a cluster that already exists ("When creating a cluster, all
 * vpcConnectivity auth schemes must be disabled"), and a kafka.t3.small cluster must change its broker type
 * in an apply of its own before turning multi-VPC connectivity on. README: "Share the cluster".
 */
import { displayName, type FullResourceChange, type PathStep, type ReviewPlan, valueAt } from "./plan-json";

/** One change that would fail at apply, with what to do instead. */
export interface ApplyBlocker {
  readonly address: string;
  readonly name?: string;
  /** What AWS refuses. */
  readonly problem: string;
  /** How to get there: usually, in two applies. */
  readonly fix: string;
}

const GROUP: readonly PathStep[] = ["broker_node_group_info", 0];
const AUTH: readonly PathStep[] = [
  ...GROUP,
  "connectivity_info",
  0,
  "vpc_connectivity",
  0,
  "client_authentication",
  0,
];

/** Auth schemes of multi-VPC connectivity turned on in a cluster's values. */
function vpcConnectivity(values: unknown): string[] {
  const on = (path: readonly PathStep[]) => valueAt(values, [...AUTH, ...path]) === true;
  return [
    ...(on(["sasl", 0, "iam"]) ? ["IAM"] : []),
    ...(on(["sasl", 0, "scram"]) ? ["SCRAM"] : []),
    ...(on(["tls"]) ? ["TLS"] : []),
  ];
}

function publicAccess(values: unknown): string | undefined {
  const type = valueAt(values, [...GROUP, "connectivity_info", 0, "public_access", 0, "type"]);
  return typeof type === "string" && type !== "DISABLED" ? type : undefined;
}

function blockersOf(rc: FullResourceChange): ApplyBlocker[] {
  const { before, after, actions } = rc.change;
  if (rc.mode !== "managed" || rc.type !== "aws_msk_cluster" || after === null) return [];
  const base = { address: rc.address, name: displayName(after) };
  const blockers: ApplyBlocker[] = [];
  if (actions.includes("create")) {
    const creating = actions.includes("delete") ? "replaces the cluster" : "creates the cluster";
    const schemes = vpcConnectivity(after);
    if (schemes.length > 0) {
      blockers.push({
        ...base,
        problem: `the plan ${creating} with multi-VPC connectivity on (${schemes.join(", ")}); MSK accepts it only on an existing cluster`,
        fix: "apply without sharing.clusterArn first, then set it to the new cluster_arn output and apply again",
      });
    }
    const access = publicAccess(after);
    if (access !== undefined) {
      blockers.push({
        ...base,
        problem: `the plan ${creating} with public access ${access}; MSK accepts it only on an existing cluster`,
        fix: "apply with cluster.publicAccess false first, then turn it on and apply again",
      });
    }
    return blockers;
  }
  const wasT3 = valueAt(before, [...GROUP, "instance_type"]) === "kafka.t3.small";
  const turningOn = vpcConnectivity(after).filter((s) => !vpcConnectivity(before).includes(s));
  if (wasT3 && turningOn.length > 0) {
    blockers.push({
      ...base,
      problem: `the plan changes the broker type from kafka.t3.small and turns on multi-VPC connectivity (${turningOn.join(", ")}) in one apply; MSK refuses connectivity while the brokers are kafka.t3.small`,
      fix: "apply the new broker type first, then sharing.clusterArn in a second apply",
    });
  }
  return blockers;
}

/** Every change of the plan AWS would refuse at apply. */
export function applyBlockers(plan: ReviewPlan): ApplyBlocker[] {
  return (plan.resource_changes ?? []).flatMap(blockersOf);
}
