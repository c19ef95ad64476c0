/**
 * Changes Terraform plans as ordinary in-place updates that MSK refuses at apply. The provider only forces
 * replacement for a downgrade between plain numeric versions, so a ZooKeeper <-> KRaft switch
 * ("3.9.x.kraft" -> "3.9.x") plans as an update and fails half-way through the apply (the new
 * configuration already created). The review lists these first and exits non-zero unless acknowledged.
 */
import { versionChange } from "../../stacks/validation/kafka-versions";
import type { ReviewPlan } from "./plan-json";

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

/** Version changes of MSK clusters updated in place that MSK will not apply. */
export function applyFailures(plan: ReviewPlan, environment: string): ApplyFailure[] {
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
