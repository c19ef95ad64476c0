/**
 * The topic manager's input: what `aws_lambda_invocation` sends (the full declared topic set, plus the
 * `tf` block the provider adds in CRUD mode). Shared by the construct that renders it, the handler that
 * reads it and the plan review that compares its before and after.
 */

/** Version of the input format; bumped when a field changes meaning. */
export const INPUT_VERSION = 1;

/** A topic as declared: the MSK topic API's CreateTopic arguments, configs as plain key -> value. */
export interface DesiredTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs the platform sets; keys not listed follow the broker defaults. */
  readonly configs: Readonly<Record<string, string>>;
  /** Expected write rate, MB/s: read only by the plan review's disk estimate. */
  readonly assumedIngressMBps?: number;
}

/** A topic to delete, and why (shown in the plan review). */
export interface RetiredTopic {
  readonly name: string;
  readonly reason: string;
}

/** The declared state of one cluster's topics. */
export interface TopicManagerInput {
  readonly version: number;
  /**
   * The cluster, by name (unique per account and region): its ARN is only known once the cluster exists,
   * and an input that waits for it would hide the topics from the plan of a first deploy.
   */
  readonly clusterName: string;
  readonly topics: readonly DesiredTopic[];
  readonly retired: readonly RetiredTopic[];
}

/** What aws_lambda_invocation adds under `terraform_key` ("tf") with lifecycle_scope CRUD. */
export interface TerraformLifecycle {
  readonly action: "create" | "update" | "delete";
  readonly prev_input: Partial<TopicManagerInput> | null;
}

export type TopicManagerEvent = TopicManagerInput & { readonly tf?: TerraformLifecycle };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Problems with an event's shape (an empty list when it can be reconciled). */
export function inputProblems(event: unknown): string[] {
  if (!isObject(event)) return ["the input must be a JSON object"];
  const problems: string[] = [];
  if (event.version !== INPUT_VERSION)
    problems.push(`version must be ${INPUT_VERSION}, got ${JSON.stringify(event.version)}`);
  if (typeof event.clusterName !== "string" || !/^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/.test(event.clusterName))
    problems.push(`clusterName must be an MSK cluster name, got ${JSON.stringify(event.clusterName)}`);
  const topics = event.topics;
  if (!Array.isArray(topics)) problems.push("topics must be a list");
  else
    topics.forEach((t, i) => {
      if (!isObject(t) || typeof t.name !== "string" || t.name === "")
        problems.push(`topics[${i}].name must be a topic name`);
      else {
        if (!Number.isInteger(t.partitions) || (t.partitions as number) < 1)
          problems.push(`topics[${i}] (${t.name}): partitions must be an integer >= 1`);
        if (!Number.isInteger(t.replicationFactor) || (t.replicationFactor as number) < 1)
          problems.push(`topics[${i}] (${t.name}): replicationFactor must be an integer >= 1`);
        if (!isObject(t.configs) || Object.values(t.configs).some((v) => typeof v !== "string"))
          problems.push(`topics[${i}] (${t.name}): configs must map names to string values`);
      }
    });
  const retired = event.retired;
  if (!Array.isArray(retired)) problems.push("retired must be a list");
  else
    retired.forEach((r, i) => {
      if (!isObject(r) || typeof r.name !== "string" || r.name === "")
        problems.push(`retired[${i}].name must be a topic name`);
    });
  if (event.tf !== undefined) {
    const tf = event.tf;
    if (!isObject(tf) || !["create", "update", "delete"].includes(tf.action as string))
      problems.push('tf.action must be "create", "update" or "delete"');
  }
  return problems;
}
