/**
 * AWS SDK clients for the commands that read (and, for `recover --delete-orphans`, change) a deployed
 * environment: the caller's own credentials and the environment's region, or the local emulator (the
 * rehearsal and the tests, tools/rehearsal/clients.ts).
 */
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { GlueClient } from "@aws-sdk/client-glue";
import { IAMClient } from "@aws-sdk/client-iam";
import { KafkaClient } from "@aws-sdk/client-kafka";
import { KafkaConnectClient } from "@aws-sdk/client-kafkaconnect";
import { KinesisAnalyticsV2Client } from "@aws-sdk/client-kinesis-analytics-v2";
import { KMSClient } from "@aws-sdk/client-kms";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";

export interface AwsClients {
  readonly ec2: EC2Client;
  readonly s3: S3Client;
  readonly iam: IAMClient;
  readonly kms: KMSClient;
  readonly logs: CloudWatchLogsClient;
  readonly sts: STSClient;
  readonly secrets: SecretsManagerClient;
  readonly sns: SNSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly kafka: KafkaClient;
  readonly kafkaconnect: KafkaConnectClient;
  readonly autoscaling: ApplicationAutoScalingClient;
  readonly glue: GlueClient;
  readonly lambda: LambdaClient;
  /** Managed Service for Apache Flink (its API is still Kinesis Analytics v2). */
  readonly kinesisanalyticsv2: KinesisAnalyticsV2Client;
  /** Closes every client's connections. */
  destroy(): void;
}

export interface AwsClientOptions {
  readonly region: string;
  /** One endpoint for every service (the emulator); real AWS when absent. */
  readonly endpoint?: string;
  /** Fixed credentials (the emulator's); the default provider chain when absent. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Attempts per call (the SDK retries throttling and network errors). @default 5 */
  readonly maxAttempts?: number;
}

export function awsClients(options: AwsClientOptions): AwsClients {
  const config = {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Retries cover throttling on large accounts; listing is read-only and idempotent.
    maxAttempts: options.maxAttempts ?? 5,
  };
  const clients = {
    ec2: new EC2Client(config),
    s3: new S3Client({ ...config, forcePathStyle: options.endpoint !== undefined }),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
    logs: new CloudWatchLogsClient(config),
    sts: new STSClient(config),
    secrets: new SecretsManagerClient(config),
    sns: new SNSClient(config),
    cloudwatch: new CloudWatchClient(config),
    kafka: new KafkaClient(config),
    kafkaconnect: new KafkaConnectClient(config),
    autoscaling: new ApplicationAutoScalingClient(config),
    glue: new GlueClient(config),
    lambda: new LambdaClient(config),
    kinesisanalyticsv2: new KinesisAnalyticsV2Client(config),
  };
  return {
    ...clients,
    destroy: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}

/** Pages of a list call, bounded so a misbehaving endpoint cannot loop forever. */
export async function pages<T>(
  fetch: (token: string | undefined) => Promise<{ items: readonly T[]; next?: string }>,
  maxPages = 100,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetch(token);
    all.push(...page.items);
    if (!page.next) return all;
    token = page.next;
  }
  throw new Error(`more than ${maxPages} pages listed; refusing to continue`);
}
