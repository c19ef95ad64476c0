/**
 * Changes a plan shows that MSK refuses at apply, found before anyone applies them. The review lists them
 * first and exits non-zero (4) unless acknowledged:
 * - version changes: the provider only forces replacement for a downgrade between plain numeric versions, so
 *   a ZooKeeper <-> KRaft switch ("3.9.x.kraft" -> "3.9.x") plans as an update and fails half-way through
 *   the apply (the new configuration already created);
 * - connectivity: MSK accepts public access and multi-VPC connectivity only on a cluster that already exists
 *   ("When creating a cluster, all vpcConnectivity auth schemes must be disabled"), and a kafka.t3.small
 *   cluster must change its broker type in an apply of its own before turning multi-VPC connectivity on
 *   (README: "Share the cluster").
 */
import { versionChange } from "../../stacks/validation/kafka-versions";
import { displayName, type FullResourceChange, type PathStep, type ReviewPlan, valueAt } from "./plan-json";

/** A planned change MSK will refuse (or refuse unless prerequisites outside Terraform are met). */
export interface ApplyFailure {
  readonly environment: string;
  readonly address: string;
  readonly name?: string;
  /** The attribute and its values, e.g. "`kafka_version`: \"3.9.x.kraft\" -> \"3.9.x\"". */
  readonly change: string;
  /** Why MSK refuses it. */
  readonly why: string;
  /** What has to be true outside Terraform for MSK to accept it, when it can be accepted at all. */
  readonly prerequisites?: readonly string[];
  /** What to do instead. */
  readonly instead: string;
}

/** Every change of the plan MSK would refuse at apply. */
export function applyFailures(plan: ReviewPlan, environment: string): ApplyFailure[] {
  return [
    ...versionFailures(plan, environment),
    ...(plan.resource_changes ?? []).flatMap((rc) => connectivityFailures(rc, environment)),
  ];
}

/** Version changes of MSK clusters updated in place that MSK will not apply. */
function versionFailures(plan: ReviewPlan, environment: string): ApplyFailure[] {
  const failures: ApplyFailure[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed" || rc.type !== "aws_msk_cluster") continue;
    const actions = rc.change.actions;
    if (!(actions.length === 1 && actions[0] === "update")) continue;
    const from = rc.change.before?.kafka_version;
    const to = rc.change.after?.kafka_version;
    if (typeof from !== "string" || typeof to !== "string") continue;
    const change = versionChange(from, to);
    if (change.kind === "same" || change.kind === "upgrade") continue;
    const base = {
      environment,
      address: rc.address,
      name: typeof rc.change.before?.cluster_name === "string" ? rc.change.before.cluster_name : undefined,
      change: `\`kafka_version\`: "${from}" -> "${to}"`,
      why: change.why,
    };
    if (change.kind === "migration") {
      failures.push({
        ...base,
        prerequisites: change.prerequisites,
        instead:
          "meet every prerequisite before applying (the ZooKeeper access switch is outside Terraform), " +
          "then acknowledge; the migration cannot be undone",
      });
    } else {
      failures.push({
        ...base,
        instead:
          "keep the cluster's version; to change the metadata mode or go back, create a new cluster " +
          "(a new name, so both exist), move clients and data, then remove the old one",
      });
    }
  }
  return failures;
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

/** Connectivity a cluster can only gain once it exists (and, from kafka.t3.small, once resized). */
function connectivityFailures(rc: FullResourceChange, environment: string): ApplyFailure[] {
  const { before, after, actions } = rc.change;
  if (rc.mode !== "managed" || rc.type !== "aws_msk_cluster" || after === null) return [];
  const base = { environment, address: rc.address, name: displayName(after) };
  const failures: ApplyFailure[] = [];
  if (actions.includes("create")) {
    const creating = actions.includes("delete") ? "replaces the cluster" : "creates the cluster";
    const schemes = vpcConnectivity(after);
    if (schemes.length > 0) {
      failures.push({
        ...base,
        change: `the plan ${creating} with multi-VPC connectivity on (${schemes.join(", ")})`,
        why: "MSK accepts multi-VPC connectivity only on an existing cluster",
        instead:
          "apply without sharing.clusterArn first, then set it to the new cluster_arn output and apply again",
      });
    }
    const access = publicAccess(after);
    if (access !== undefined) {
      failures.push({
        ...base,
        change: `the plan ${creating} with public access ${access}`,
        why: "MSK accepts public access only on an existing cluster",
        instead: "apply with cluster.publicAccess false first, then turn it on and apply again",
      });
    }
    return failures;
  }
  const wasT3 = valueAt(before, [...GROUP, "instance_type"]) === "kafka.t3.small";
  const turningOn = vpcConnectivity(after).filter((s) => !vpcConnectivity(before).includes(s));
  if (wasT3 && turningOn.length > 0) {
    failures.push({
      ...base,
      change: `the plan changes the broker type from kafka.t3.small and turns on multi-VPC connectivity (${turningOn.join(", ")}) in one apply`,
      why: "MSK refuses multi-VPC connectivity while the brokers are kafka.t3.small",
      instead: "apply the new broker type first, then sharing.clusterArn in a second apply",
    });
  }
  return failures;
}
