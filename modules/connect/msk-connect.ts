import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { clusterScopedArn, type KafkaClusterIdentity } from "../cluster/kafka-arns";
import { policyDocument, serviceTrustPolicy } from "../common/iam";
import { S3SinkConnector, type S3SinkConnectorSettings, SINK_TOPICS_DIR } from "./s3-sink-connector";

/** Prefix MSK Connect gives the internal topics and worker groups it creates on the cluster. */
export const MSK_CONNECT_INTERNAL_PREFIX = "__amazon_msk_connect_";

export interface MskConnectProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  /** 12-digit account id (trust conditions, connector ARN pattern). */
  readonly accountId: string;
  /** AWS region of the connector and the sink bucket. */
  readonly region: string;
  /** AWS partition, for ARNs ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /** The MSK cluster the connector reads from. */
  readonly cluster: KafkaClusterIdentity;
  /** Topics the sink reads; the role may read exactly these. */
  readonly topics: readonly string[];
  /** Sink bucket name. */
  readonly sinkBucketName: string;
  /** Sink bucket ARN. */
  readonly sinkBucketArn: string;
  /** The sink bucket's KMS key ARN. */
  readonly sinkKmsKeyArn: string;
  /** KMS key of the connector log group. */
  readonly logsKmsKeyArn: string;
  /** Retention of the connector log group, in days. */
  readonly logRetentionDays: number;
  /** Where the workers connect: the SASL/IAM bootstrap string, private subnets, Connect security group. */
  readonly kafkaCluster: {
    readonly bootstrapServers: string;
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
  };
  /** The S3 sink connector. @default none: role and log group only, for a connector deployed elsewhere */
  readonly connector?: S3SinkConnectorSettings;
  /** prevent_destroy on the log group. */
  readonly protect: boolean;
}

/**
 * MSK Connect for the S3 sink: the service execution role (exactly what the Confluent S3 sink needs),
 * the encrypted connector log group and, when configured, the connector itself.
 *
 * Deliberately absent from the role:
 * - CloudWatch Logs actions: MSK Connect delivers worker logs as vended logs with the permissions of
 *   whoever creates the connector (logs:CreateLogDelivery & co.), never with the execution role.
 * - s3:GetObject on the plugin artifact: MSK Connect copies it at plugin creation with the caller's
 *   permissions; the running workers never read it.
 * - s3:GetObject, GetBucketLocation, ListBucketMultipartUploads, ListMultipartUploadParts, PutObjectTagging:
 *   the connector never reads objects back, is told its region, and tags nothing.
 */
export class MskConnect extends Construct {
  readonly executionRole: IamRole;
  readonly executionPolicy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  /** Name of the connector the role is scoped to, whether created here or elsewhere. */
  readonly connectorName: string;
  /** The connector, when `connector` was given. */
  readonly connector?: S3SinkConnector;

  constructor(scope: Construct, id: string, props: MskConnectProps) {
    super(scope, id);
    if (props.topics.length === 0) throw new Error("MskConnect topics must list at least one topic, got []");
    this.connectorName = `${props.prefix}-s3-sink`;
    const connectorArnPattern = `arn:${props.partition}:kafkaconnect:${props.region}:${props.accountId}:connector/${this.connectorName}/*`;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/mskconnect/${props.prefix}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
      lifecycle: { preventDestroy: props.protect },
    });

    this.executionRole = new IamRole(this, "execution-role", {
      name: `${props.prefix}-msk-connect`,
      description: `MSK Connect service execution role of ${this.connectorName} (S3 sink)`,
      assumeRolePolicy: serviceTrustPolicy(
        "kafkaconnect.amazonaws.com",
        props.accountId,
        connectorArnPattern,
      ),
    });

    const topic = (name: string) => clusterScopedArn(props.cluster, "topic", name);
    const group = (name: string) => clusterScopedArn(props.cluster, "group", name);
    this.executionPolicy = new IamRolePolicy(this, "execution-policy", {
      name: "s3-sink",
      role: this.executionRole.id,
      policy: policyDocument(
        {
          Sid: "ConnectToCluster",
          Effect: "Allow",
          // Connect: open an IAM-authenticated session; DescribeCluster: read cluster metadata.
          Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
          Resource: props.cluster.arn,
        },
        {
          Sid: "ReadSinkTopics",
          Effect: "Allow",
          // ReadData: fetch records; DescribeTopic: partition metadata for the assignment.
          Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
          Resource: props.topics.map(topic),
        },
        {
          Sid: "ConnectInternalTopics",
          Effect: "Allow",
          // The workers' config/offset/status topics, named __amazon_msk_connect_<kind>_<connector>_<id>.
          Action: [
            "kafka-cluster:CreateTopic",
            "kafka-cluster:DescribeTopic",
            "kafka-cluster:ReadData",
            "kafka-cluster:WriteData",
          ],
          Resource: topic(`${MSK_CONNECT_INTERNAL_PREFIX}*_${this.connectorName}_*`),
        },
        {
          Sid: "UseConnectorGroups",
          Effect: "Allow",
          // AlterGroup: join and commit offsets; DescribeGroup: read the group's offsets.
          Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
          Resource: [
            // The sink tasks' consumer group, which Kafka Connect names connect-<connector name>.
            group(`connect-${this.connectorName}`),
            // The workers' coordination group, whose name MSK Connect generates under its own prefix.
            group(`${MSK_CONNECT_INTERNAL_PREFIX}*`),
          ],
        },
        {
          Sid: "FindSinkBucket",
          Effect: "Allow",
          // HeadBucket when a task starts (the connector checks that the bucket exists).
          Action: "s3:ListBucket",
          Resource: props.sinkBucketArn,
        },
        {
          Sid: "WriteSinkObjects",
          Effect: "Allow",
          Action: [
            // PutObject covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload.
            "s3:PutObject",
            // Abort the open upload when a task fails or is rebalanced away.
            "s3:AbortMultipartUpload",
          ],
          Resource: `${props.sinkBucketArn}/${SINK_TOPICS_DIR}/*`,
        },
        {
          Sid: "UseSinkBucketKey",
          Effect: "Allow",
          // GenerateDataKey: encrypt new objects; Decrypt: S3 needs it to complete SSE-KMS multipart uploads.
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: props.sinkKmsKeyArn,
          Condition: { StringEquals: { "kms:ViaService": `s3.${props.region}.amazonaws.com` } },
        },
      ),
    });

    if (props.connector) {
      this.connector = new S3SinkConnector(this, "connector", {
        name: this.connectorName,
        region: props.region,
        settings: props.connector,
        topics: props.topics,
        bucketName: props.sinkBucketName,
        kmsKeyArn: props.sinkKmsKeyArn,
        bootstrapServers: props.kafkaCluster.bootstrapServers,
        subnetIds: props.kafkaCluster.subnetIds,
        securityGroupIds: props.kafkaCluster.securityGroupIds,
        serviceExecutionRoleArn: this.executionRole.arn,
        logGroupName: this.logGroup.name,
        // Without its permissions in place the connector's first start fails with authorization errors.
        dependsOn: [this.executionPolicy],
      });
    }
  }
}
