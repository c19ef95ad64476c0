/**
 * The execution role policy of one Flink application: exactly what Managed Service for Apache Flink and the
 * application's Kafka, Glue and logging clients do, on exactly the application's resources.
 */
import { clusterScopedArn, type KafkaClusterIdentity } from "../cluster/kafka-arns";
import type { PolicyStatement } from "../common/iam";
import {
  type SchemaRegistryAccess,
  schemaConsumerStatements,
  schemaProducerStatements,
} from "../schema-registry/schema-access";

export interface FlinkRoleScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The application's name: also the transactional-id prefix of exactly-once sinks. */
  readonly applicationName: string;
  readonly cluster: KafkaClusterIdentity;
  readonly inputTopics: readonly string[];
  readonly outputTopics: readonly string[];
  readonly consumerGroup: string;
  readonly code: { readonly bucketArn: string; readonly fileKey: string; readonly objectVersion?: string };
  /** ARN of the application's log group (without ":*"). */
  readonly logGroupArn: string;
  /** Subnets and every security group the application's network interfaces use. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Registry access and the schemas this application uses; undefined without schemas. */
  readonly schemas?: { readonly access: SchemaRegistryAccess; readonly names: readonly string[] };
}

/**
 * Statements of the execution role. Deliberately absent: any topic, group or schema the environment file does
 * not name for this application, CreateTopic (topics are declared), s3:ListBucket (the service fetches one
 * known key) and "*" on every action that supports resource-level permissions.
 */
export function flinkRoleStatements(scope: FlinkRoleScope): PolicyStatement[] {
  const { partition, region, accountId } = scope;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:${accountId}:${resource}`;
  const topic = (name: string) => clusterScopedArn(scope.cluster, "topic", name);
  const writes = scope.outputTopics.length > 0;
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadApplicationCode",
      Effect: "Allow",
      // The service loads the JAR/ZIP with the execution role when it creates, updates or starts the application.
      Action:
        scope.code.objectVersion === undefined ? "s3:GetObject" : ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `${scope.code.bucketArn}/${scope.code.fileKey}`,
    },
    {
      Sid: "ConnectToCluster",
      Effect: "Allow",
      // WriteDataIdempotently: Kafka >= 3.0 producers enable idempotence by default.
      Action: [
        "kafka-cluster:Connect",
        "kafka-cluster:DescribeCluster",
        ...(writes ? ["kafka-cluster:WriteDataIdempotently"] : []),
      ],
      Resource: scope.cluster.arn,
    },
    {
      Sid: "ReadInputTopics",
      Effect: "Allow",
      Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
      Resource: scope.inputTopics.map(topic),
    },
    {
      Sid: "UseConsumerGroup",
      Effect: "Allow",
      // AlterGroup: join and commit offsets on checkpoints; DescribeGroup: read committed offsets at start.
      Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
      Resource: clusterScopedArn(scope.cluster, "group", scope.consumerGroup),
    },
  ];
  if (writes) {
    statements.push(
      {
        Sid: "WriteOutputTopics",
        Effect: "Allow",
        Action: ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"],
        Resource: scope.outputTopics.map(topic),
      },
      {
        Sid: "ExactlyOnceTransactions",
        Effect: "Allow",
        // Exactly-once KafkaSink: transactional ids must start with the application's name.
        Action: ["kafka-cluster:DescribeTransactionalId", "kafka-cluster:AlterTransactionalId"],
        Resource: clusterScopedArn(scope.cluster, "transactional-id", `${scope.applicationName}*`),
      },
    );
  }
  statements.push(
    {
      Sid: "WriteApplicationLogs",
      Effect: "Allow",
      Action: ["logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [scope.logGroupArn, `${scope.logGroupArn}:log-stream:*`],
    },
    {
      Sid: "FindLogGroup",
      Effect: "Allow",
      Action: "logs:DescribeLogGroups",
      Resource: `arn:${partition}:logs:${region}:${accountId}:log-group:*`,
    },
    {
      Sid: "DescribeVpc",
      Effect: "Allow",
      // Read-only and without resource-level permissions (Service Authorization Reference).
      Action: [
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeNetworkInterfaces",
      ],
      Resource: "*",
    },
    {
      Sid: "CreateApplicationInterfaces",
      Effect: "Allow",
      // The application's ENIs, only in its subnets and with its security groups.
      Action: "ec2:CreateNetworkInterface",
      Resource: [
        ec2("network-interface/*"),
        ...scope.subnetIds.map((id) => ec2(`subnet/${id}`)),
        ...scope.securityGroupIds.map((id) => ec2(`security-group/${id}`)),
      ],
    },
    {
      Sid: "ManageApplicationInterfaces",
      Effect: "Allow",
      Action: ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"],
      Resource: ec2("network-interface/*"),
    },
  );
  if (scope.schemas && scope.schemas.names.length > 0) {
    const { access, names } = scope.schemas;
    const glue = writes ? schemaProducerStatements(access, names) : schemaConsumerStatements(access, names);
    statements.push(...glue);
  }
  return statements;
}
