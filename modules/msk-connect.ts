import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { policyDocument, serviceTrustPolicy } from "./iam";
import { clusterScopedArn } from "./kafka-arns";

export interface MskConnectProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly clusterArn: string;
  /** Topics the sink reads. */
  readonly topics: readonly string[];
  readonly sinkBucketArn: string;
  readonly sinkKmsKeyArn: string;
  readonly logsKmsKeyArn: string;
  readonly logRetentionDays: number;
}

/** MSK Connect: the service execution role (least privilege for an S3 sink) and the connector log group. */
export class MskConnect extends Construct {
  readonly executionRole: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: MskConnectProps) {
    super(scope, id);
    const connectorArnPattern = `arn:${props.partition}:kafkaconnect:${props.region}:${props.accountId}:connector/${props.prefix}-*`;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/mskconnect/${props.prefix}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
    });

    this.executionRole = new IamRole(this, "execution-role", {
      name: `${props.prefix}-msk-connect`,
      description: `MSK Connect service execution role of ${props.prefix} (S3 sink)`,
      assumeRolePolicy: serviceTrustPolicy(
        "kafkaconnect.amazonaws.com",
        props.accountId,
        connectorArnPattern,
      ),
    });

    const groupArn = clusterScopedArn(props.clusterArn, "group", `${props.prefix}-*`);
    new IamRolePolicy(this, "execution-policy", {
      name: "s3-sink",
      role: this.executionRole.id,
      policy: policyDocument(
        {
          Sid: "ConnectToCluster",
          Effect: "Allow",
          Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
          Resource: props.clusterArn,
        },
        {
          Sid: "ReadSinkTopics",
          Effect: "Allow",
          Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
          Resource: props.topics.map((topic) => clusterScopedArn(props.clusterArn, "topic", topic)),
        },
        {
          Sid: "UseConnectorGroups",
          Effect: "Allow",
          Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
          Resource: groupArn,
        },
        {
          Sid: "ListSinkBucket",
          Effect: "Allow",
          Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
          Resource: props.sinkBucketArn,
        },
        {
          Sid: "WriteSinkObjects",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
          Resource: `${props.sinkBucketArn}/*`,
        },
        {
          Sid: "UseSinkBucketKey",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: props.sinkKmsKeyArn,
        },
      ),
    });
  }
}
