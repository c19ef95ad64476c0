/**
 * The topic manager Lambda: invoked by Terraform's aws_lambda_invocation (lifecycle_scope CRUD) with the
 * full declared topic set of one cluster. Bundled at synth by modules/topics/bundle.ts.
 */
import { KafkaClient } from "@aws-sdk/client-kafka";
import type { TopicManagerEvent } from "./contract";
import { type ReconcileResult, reconcileTopics } from "./manager";
import { kafkaTopicApi } from "./topic-api";

/** The part of the Lambda context the manager reads. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/** Seconds between two reads while waiting for the topic API to show a change. */
const POLL_MS = 10_000;

// One client per container: region and credentials come from the Lambda environment.
const client = new KafkaClient({ maxAttempts: 8 });

export async function handler(event: TopicManagerEvent, context: LambdaContext): Promise<ReconcileResult> {
  const log = (message: string, details: Record<string, unknown> = {}) =>
    console.log(JSON.stringify({ message, ...details }));
  log("reconcile", {
    action: event?.tf?.action,
    cluster: event?.clusterName,
    topics: Array.isArray(event?.topics) ? event.topics.length : undefined,
    retired: Array.isArray(event?.retired) ? event.retired.length : undefined,
  });
  const result = await reconcileTopics(kafkaTopicApi(client), event, {
    pollMs: POLL_MS,
    remainingMs: () => context.getRemainingTimeInMillis(),
    log,
  });
  log("done", { ...result });
  return result;
}
