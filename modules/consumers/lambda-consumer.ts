import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { clusterScopedArn, type KafkaClusterIdentity } from "../cluster/kafka-arns";
import { type PolicyStatement, policyDocument, serviceTrustPolicy } from "../common/iam";
import { declarePolicyException } from "../common/policy-exceptions";
import {
  declareSchemaVersionReadException,
  type SchemaRegistryAccess,
  schemaConsumerStatements,
} from "../schema-registry/schema-access";

/** The function a Lambda consumer invokes, defaults applied. */
export type LambdaFunctionSettings =
  | {
      readonly source: "s3";
      readonly bucket: string;
      readonly key: string;
      readonly objectVersion?: string;
      readonly runtime: string;
      readonly handler: string;
      readonly memoryMiB: number;
      readonly timeoutSeconds: number;
      readonly architecture: "x86_64" | "arm64";
      readonly reservedConcurrency?: number;
      readonly codeSigningConfigArn?: string;
      readonly logRetentionDays: number;
    }
  | { readonly source: "existing"; readonly function: string; readonly executionRoleName: string };

/** A Lambda consumer, defaults applied (stacks/defaults.ts resolves it from consumers.lambda[]). */
export interface LambdaConsumerSettings {
  readonly name: string;
  /** "<project>-<env>-<name>": the created function's and role's name, and the prefix of its policy's. */
  readonly resourceName: string;
  readonly topic: string;
  readonly consumerGroupId: string;
  readonly startingPosition: "TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP";
  readonly startingTimestamp?: string;
  readonly batchSize: number;
  /** Unset: Lambda's 500 ms for MSK (which cannot be set again once changed). */
  readonly batchingWindowSeconds?: number;
  readonly onFailure: {
    readonly arn: string;
    readonly kind: "sqs" | "sns" | "s3";
    readonly kmsKeyArn?: string;
  };
  /** Provisioned mode; undefined: on-demand mode. */
  readonly provisionedPollers?: { readonly minimum: number; readonly maximum: number };
  readonly retry?: {
    readonly maximumAttempts?: number;
    readonly maximumRecordAgeSeconds?: number;
    readonly bisectBatchOnError: boolean;
    readonly reportBatchItemFailures: boolean;
  };
  readonly enabled: boolean;
  readonly function: LambdaFunctionSettings;
  /** Schemas of the registry the function deserializes; [] for none. */
  readonly schemas: readonly string[];
}

export interface LambdaConsumerProps {
  /** 12-digit account id (trust policy, ENI ARNs, the S3 destination's account condition). */
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The cluster the mapping reads (its ARN is the event source). */
  readonly cluster: KafkaClusterIdentity;
  /** The cluster's subnets and the brokers' group: where Lambda creates the pollers' network interfaces. */
  readonly subnetIds: readonly string[];
  readonly brokerSecurityGroupId: string;
  /** The consumer, defaults applied. */
  readonly consumer: LambdaConsumerSettings;
  /** KMS key of the created function's log group. */
  readonly logsKmsKeyArn: string;
  /** Network pieces the pollers need before the mapping exists (rules, endpoints). @default [] */
  readonly networkDependencies?: readonly ITerraformDependable[];
  /** The environment's Schema Registry, when it has one (for consumer.schemas). @default none */
  readonly schemaAccess?: SchemaRegistryAccess;
  /** prevent_destroy on the log group. */
  readonly protect: boolean;
}

/** Destination actions by kind (Lambda Developer Guide, "Capturing discarded batches for an Amazon MSK event source"). */
const DESTINATION_ACTIONS = {
  sqs: { actions: ["sqs:SendMessage"], kms: ["kms:Decrypt", "kms:GenerateDataKey"], service: "sqs" },
  sns: { actions: ["sns:Publish"], kms: ["kms:Decrypt", "kms:GenerateDataKey"], service: "sns" },
  s3: { actions: ["s3:PutObject", "s3:ListBucket"], kms: ["kms:GenerateDataKey"], service: "s3" },
} as const;

/**
 * One Lambda consumer: an event source mapping on the cluster (IAM auth, one topic, its own consumer group)
 * invoking either a function created here from an S3 package (with its role, least privilege, and a
 * KMS-encrypted log group with retention) or an existing function, whose execution role gets a managed policy
 * with exactly what the mapping needs.
 */
export class LambdaConsumer extends Construct {
  readonly mapping: LambdaEventSourceMapping;
  /** The created function; undefined for an existing one. */
  readonly function?: LambdaFunction;
  /** The created function's role; undefined for an existing function. */
  readonly role?: IamRole;
  readonly logGroup?: CloudwatchLogGroup;
  /** The managed policy attached to an existing function's role. */
  readonly attachedPolicy?: IamPolicy;
  /** Name (or ARN) of the function the mapping invokes. */
  readonly functionName: string;
  /** The statements the execution role gets, as rendered. */
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: LambdaConsumerProps) {
    super(scope, id);
    const consumer = props.consumer;
    const fn = consumer.function;
    const mappingStatements = consumerStatements(props);
    // What the function's own Glue deserializer needs to read the topic's schemas.
    const schemaStatements =
      props.schemaAccess !== undefined && consumer.schemas.length > 0
        ? schemaConsumerStatements(props.schemaAccess, consumer.schemas)
        : [];
    let permission: ITerraformDependable;
    if (fn.source === "s3") {
      const created = createFunction(this, props, fn, mappingStatements, schemaStatements);
      this.logGroup = created.logGroup;
      this.role = created.role;
      this.function = created.function;
      this.statements = created.statements;
      this.functionName = created.function.functionName;
      permission = created.mappingPolicy;
    } else {
      // The existing function's role gets the mapping's statements (and its schemas') as a managed policy.
      this.statements = [...mappingStatements, ...schemaStatements];
      this.attachedPolicy = new IamPolicy(this, "policy", {
        name: `${consumer.resourceName}-msk-consumer`,
        description: `What the event source mapping ${consumer.resourceName} needs from the role of ${fn.function}`,
        policy: policyDocument(...this.statements),
      });
      if (schemaStatements.length > 0) declareSchemaVersionReadException(this.attachedPolicy);
      permission = new IamRolePolicyAttachment(this, "policy-attachment", {
        role: fn.executionRoleName,
        policyArn: this.attachedPolicy.arn,
      });
      this.functionName = fn.function;
    }

    const pollers = consumer.provisionedPollers;
    const retry = consumer.retry;
    this.mapping = new LambdaEventSourceMapping(this, "event-source-mapping", {
      functionName: this.functionName,
      eventSourceArn: props.cluster.arn,
      topics: [consumer.topic],
      startingPosition: consumer.startingPosition,
      startingPositionTimestamp: consumer.startingTimestamp,
      batchSize: consumer.batchSize,
      maximumBatchingWindowInSeconds: consumer.batchingWindowSeconds,
      amazonManagedKafkaEventSourceConfig: { consumerGroupId: consumer.consumerGroupId },
      destinationConfig: { onFailure: { destinationArn: consumer.onFailure.arn } },
      provisionedPollerConfig: pollers && {
        minimumPollers: pollers.minimum,
        maximumPollers: pollers.maximum,
      },
      maximumRetryAttempts: retry?.maximumAttempts,
      maximumRecordAgeInSeconds: retry?.maximumRecordAgeSeconds,
      bisectBatchOnFunctionError: retry?.bisectBatchOnError || undefined,
      functionResponseTypes: retry?.reportBatchItemFailures ? ["ReportBatchItemFailures"] : undefined,
      enabled: consumer.enabled,
      // Lambda validates the role and starts polling at once: permissions and network come first.
      dependsOn: [permission, ...(props.networkDependencies ?? [])],
    });
  }
}

/**
 * A function created from its S3 package, with its encrypted log group and its role: one inline policy for what
 * the mapping needs, one for what the function needs to run (so the function does not wait for the first).
 */
function createFunction(
  scope: Construct,
  props: LambdaConsumerProps,
  fn: Extract<LambdaFunctionSettings, { source: "s3" }>,
  mappingStatements: readonly PolicyStatement[],
  schemaStatements: readonly PolicyStatement[],
) {
  const consumer = props.consumer;
  const logGroup = new CloudwatchLogGroup(scope, "log-group", {
    name: `/aws/lambda/${consumer.resourceName}`,
    retentionInDays: fn.logRetentionDays,
    kmsKeyId: props.logsKmsKeyArn,
    lifecycle: { preventDestroy: props.protect },
  });
  const functionStatements = ownLogStatements(logGroup.arn);
  const role = new IamRole(scope, "role", {
    name: consumer.resourceName,
    description: `Execution role of the Lambda consumer ${consumer.resourceName}: reads topic ${consumer.topic} as group ${consumer.consumerGroupId}`,
    assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", props.accountId),
  });
  const mappingPolicy = new IamRolePolicy(scope, "policy", {
    name: "msk-consumer",
    role: role.id,
    policy: policyDocument(...mappingStatements),
  });
  const logsPolicy = new IamRolePolicy(scope, "logs-policy", {
    name: "logs-and-traces",
    role: role.id,
    policy: policyDocument(...functionStatements),
  });
  if (schemaStatements.length > 0) {
    const schemasPolicy = new IamRolePolicy(scope, "schemas-policy", {
      name: "schema-registry",
      role: role.id,
      policy: policyDocument(...schemaStatements),
    });
    declareSchemaVersionReadException(schemasPolicy);
  }
  const created = new LambdaFunction(scope, "function", {
    functionName: consumer.resourceName,
    description: `Consumes MSK topic ${consumer.topic} (group ${consumer.consumerGroupId}) for ${consumer.resourceName}`,
    role: role.arn,
    runtime: fn.runtime,
    handler: fn.handler,
    s3Bucket: fn.bucket,
    s3Key: fn.key,
    s3ObjectVersion: fn.objectVersion,
    architectures: [fn.architecture],
    memorySize: fn.memoryMiB,
    timeout: fn.timeoutSeconds,
    reservedConcurrentExecutions: fn.reservedConcurrency,
    codeSigningConfigArn: fn.codeSigningConfigArn,
    tracingConfig: { mode: "Active" },
    loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
    // Without its log group and the right to write there, it would log to a group Lambda creates.
    dependsOn: [logsPolicy, logGroup],
  });
  declarePolicyException(created, {
    checks: ["CKV_AWS_117"],
    reason:
      "Records reach it through the event source mapping, whose pollers are in the cluster's VPC; the function itself calls nothing in the VPC",
  });
  declarePolicyException(created, {
    checks: ["CKV_AWS_116"],
    reason:
      "Invoked synchronously by its event source mapping, whose on-failure destination keeps discarded batches; a dead-letter queue serves asynchronous invocations only",
  });
  return {
    logGroup,
    role,
    mappingPolicy,
    function: created,
    statements: [...mappingStatements, ...functionStatements, ...schemaStatements],
  };
}

/**
 * What the event source mapping needs from the execution role: the kafka-cluster actions on exactly the cluster,
 * the topic and the group, reading the cluster's metadata, the pollers' network interfaces in the cluster's
 * subnets, and the on-failure destination (with its key).
 */
function consumerStatements(props: LambdaConsumerProps): PolicyStatement[] {
  const { consumer, cluster } = props;
  const ec2 = (resource: string) =>
    `arn:${props.partition}:ec2:${props.region}:${props.accountId}:${resource}`;
  const destination = DESTINATION_ACTIONS[consumer.onFailure.kind];
  const destinationResources =
    consumer.onFailure.kind === "s3"
      ? [consumer.onFailure.arn, `${consumer.onFailure.arn}/*`]
      : consumer.onFailure.arn;
  const statements: PolicyStatement[] = [
    {
      Sid: "ConnectToCluster",
      Effect: "Allow",
      // Connect: the IAM session; DescribeClusterDynamicConfiguration: the pollers read the cluster's settings.
      Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"],
      Resource: cluster.arn,
    },
    {
      Sid: "ReadTopic",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
      Resource: clusterScopedArn(cluster, "topic", consumer.topic),
    },
    {
      Sid: "UseConsumerGroup",
      Effect: "Allow",
      // AlterGroup: join the group and commit offsets; DescribeGroup: read the committed offsets.
      Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
      Resource: clusterScopedArn(cluster, "group", consumer.consumerGroupId),
    },
    {
      Sid: "FindBrokers",
      Effect: "Allow",
      Action: ["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"],
      Resource: cluster.arn,
    },
    {
      Sid: "CreatePollerInterfaces",
      Effect: "Allow",
      // The pollers' network interfaces: only in the cluster's subnets, only with the brokers' group.
      Action: "ec2:CreateNetworkInterface",
      Resource: [
        ec2("network-interface/*"),
        ...props.subnetIds.map((id) => ec2(`subnet/${id}`)),
        ec2(`security-group/${props.brokerSecurityGroupId}`),
      ],
    },
    {
      Sid: "DeletePollerInterfaces",
      Effect: "Allow",
      Action: "ec2:DeleteNetworkInterface",
      Resource: ec2("network-interface/*"),
    },
    {
      Sid: "DescribeNetwork",
      Effect: "Allow",
      // These four have no resource-level permissions.
      Action: [
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs",
      ],
      Resource: "*",
    },
    {
      Sid: "SendDiscardedBatches",
      Effect: "Allow",
      Action: [...destination.actions],
      Resource: destinationResources,
      // A deleted destination bucket re-created by another account must not receive records.
      ...(consumer.onFailure.kind === "s3"
        ? { Condition: { StringEquals: { "s3:ResourceAccount": props.accountId } } }
        : {}),
    },
  ];
  if (consumer.onFailure.kmsKeyArn !== undefined) {
    statements.push({
      Sid: "EncryptDiscardedBatches",
      Effect: "Allow",
      Action: [...destination.kms],
      Resource: consumer.onFailure.kmsKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `${destination.service}.${props.region}.amazonaws.com` },
      },
    });
  }
  return statements;
}

/** What a created function needs to run: its own log group and traces. */
function ownLogStatements(logGroupArn: string): PolicyStatement[] {
  return [
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logGroupArn}:*`,
    },
    {
      Sid: "WriteTraces",
      Effect: "Allow",
      // X-Ray has no resource-level permissions for these two.
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      Resource: "*",
    },
  ];
}
