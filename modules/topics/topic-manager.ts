import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { clusterScopedArn, type KafkaClusterIdentity } from "../cluster/kafka-arns";
import { type PolicyStatement, policyDocument, serviceTrustPolicy } from "../common/iam";
import { declarePolicyException } from "../common/policy-exceptions";
import type { LambdaBundle } from "./bundle";
import {
  type DesiredTopic,
  INPUT_VERSION,
  type RetiredTopic,
  type TopicManagerInput,
} from "./handler/contract";

/** The invocation's timeout: the Lambda maximum, since a reconcile waits for the topic API's lag. */
const TIMEOUT_SECONDS = 900;

export interface TopicManagerProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  /** 12-digit account id (trust policy). */
  readonly accountId: string;
  /** The provisioned MSK cluster whose topics are managed. */
  readonly cluster: KafkaClusterIdentity;
  /** The cluster's name as a plain string (the invocation input must be known at plan time). */
  readonly clusterName: string;
  /** Topics to create and keep as declared. */
  readonly topics: readonly DesiredTopic[];
  /** Topics to delete. @default [] */
  readonly retired?: readonly RetiredTopic[];
  /** The deployment package, built at synth (modules/topics/bundle.ts). */
  readonly bundle: LambdaBundle;
  /** KMS key of the function's log group. */
  readonly logsKmsKeyArn: string;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /** prevent_destroy on the log group. */
  readonly protect: boolean;
}

/**
 * Topics as code, the way CloudFormation's AWS::MSK::Topic works but in plain Terraform: a small Lambda
 * function built from this repository (modules/topics/handler/) that reconciles the cluster's topics with
 * the declaration through the MSK topic API, invoked by `aws_lambda_invocation` with lifecycle_scope CRUD
 * on every change of the declaration. Its input is the full declared topic set, so `terraform plan` shows
 * every topic change as a diff of that input.
 *
 * The function runs outside the VPC: the topic API is a regional AWS API (kafka.<region>.amazonaws.com)
 * and needs no network path to the brokers, so no NAT or interface endpoint is needed.
 */
export class TopicManager extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  readonly invocation: LambdaInvocation;
  /** The invocation input as rendered (also what the plan review reads back from the plan). */
  readonly input: TopicManagerInput;
  /** The role's statements, as rendered. */
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: TopicManagerProps) {
    super(scope, id);
    const retired = props.retired ?? [];
    if (props.topics.length + retired.length === 0)
      throw new Error("TopicManager needs at least one declared or retired topic, got none");
    const functionName = `${props.prefix}-topic-manager`;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
      lifecycle: { preventDestroy: props.protect },
    });

    this.role = new IamRole(this, "role", {
      name: functionName,
      description: `Topic manager of the MSK cluster ${props.prefix}: applies the declared topics through the MSK topic API`,
      assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", props.accountId),
    });

    const topicArn = (name: string) => clusterScopedArn(props.cluster, "topic", name);
    this.statements = [
      {
        Sid: "FindCluster",
        Effect: "Allow",
        // ListClustersV2 has no resource-level permissions: it finds the cluster's ARN and state by name.
        Action: "kafka:ListClustersV2",
        Resource: "*",
      },
      {
        Sid: "ConnectToCluster",
        Effect: "Allow",
        // Every topic API call authorizes as a Kafka session on the cluster.
        Action: "kafka-cluster:Connect",
        Resource: props.cluster.arn,
      },
      {
        Sid: "ManageDeclaredTopics",
        Effect: "Allow",
        // CreateTopic; DescribeTopic(+DynamicConfiguration) for DescribeTopic; AlterTopic(+DynamicConfiguration) for UpdateTopic.
        Action: [
          "kafka-cluster:CreateTopic",
          "kafka-cluster:DescribeTopic",
          "kafka-cluster:DescribeTopicDynamicConfiguration",
          "kafka-cluster:AlterTopic",
          "kafka-cluster:AlterTopicDynamicConfiguration",
        ],
        Resource: props.topics.map((t) => topicArn(t.name)),
      },
      ...(retired.length > 0
        ? [
            {
              Sid: "DeleteRetiredTopics",
              Effect: "Allow" as const,
              // Only topics declared retired may be deleted.
              Action: [
                "kafka-cluster:DescribeTopic",
                "kafka-cluster:DescribeTopicDynamicConfiguration",
                "kafka-cluster:DeleteTopic",
              ],
              Resource: retired.map((t) => topicArn(t.name)),
            },
          ]
        : []),
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${this.logGroup.arn}:*`,
      },
      {
        Sid: "WriteTraces",
        Effect: "Allow",
        // X-Ray has no resource-level permissions for these two.
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      },
    ];
    this.policy = new IamRolePolicy(this, "policy", {
      name: "topic-manager",
      role: this.role.id,
      policy: policyDocument(...this.statements),
    });

    const asset = new TerraformAsset(this, "bundle", {
      path: props.bundle.zipFile,
      type: AssetType.FILE,
      assetHash: props.bundle.sha256Hex.slice(0, 32),
    });

    this.function = new LambdaFunction(this, "function", {
      functionName,
      description: `Applies the declared topics of ${props.prefix} through the MSK topic API (invoked by Terraform)`,
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: props.bundle.sha256Base64,
      memorySize: 256,
      timeout: TIMEOUT_SECONDS,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      // Without its permissions and log group the first invocation fails, or logs to a group Lambda creates.
      dependsOn: [this.policy, this.logGroup],
    });
    declarePolicyException(this.function, {
      checks: ["CKV_AWS_117"],
      reason:
        "The MSK topic API is a regional AWS API, not a broker endpoint: outside the VPC the function needs no NAT or interface endpoints",
    });
    declarePolicyException(this.function, {
      checks: ["CKV_AWS_116"],
      reason:
        "Invoked synchronously by Terraform only; a dead-letter queue applies to asynchronous invocations",
    });
    declarePolicyException(this.function, {
      checks: ["CKV_AWS_115"],
      reason:
        "Terraform's state lock already serializes its invocations; reserving concurrency fails on accounts whose Lambda quota is 10",
    });
    declarePolicyException(this.function, {
      checks: ["CKV_AWS_272"],
      reason:
        "Built from this repository at synth and pinned by source_code_hash in the reviewed plan; code signing needs a Signer profile outside this stack",
    });

    this.input = {
      version: INPUT_VERSION,
      clusterName: props.clusterName,
      // Exactly the contract's fields, in a fixed order: the input is what the plan diffs.
      topics: props.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions,
        replicationFactor: t.replicationFactor,
        configs: t.configs,
        ...(t.assumedIngressMBps === undefined ? {} : { assumedIngressMBps: t.assumedIngressMBps }),
      })),
      retired: retired.map((t) => ({ name: t.name, reason: t.reason })),
    };
    this.invocation = new LambdaInvocation(this, "apply", {
      functionName: this.function.functionName,
      lifecycleScope: "CRUD",
      input: JSON.stringify(this.input),
      // Runs after the cluster exists (Terraform waits for ACTIVE), and again for a replaced cluster.
      triggers: { cluster_arn: props.cluster.arn },
    });
  }
}
