import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { type PolicyStatement, policyDocument } from "../common/iam";
import {
  declareSchemaVersionReadException,
  type SchemaRegistryAccess,
  schemaConsumerStatements,
  schemaProducerStatements,
} from "../schema-registry/schema-access";
import { clusterScopedArn, type KafkaClusterIdentity } from "./kafka-arns";

/** Topic and group names as IAM matches them: Kafka name characters, `*` only as a trailing wildcard. */
const NAME_PATTERN = /^[A-Za-z0-9._-]+\*?$/;

export interface MskClientPoliciesProps {
  /** Resource-name prefix, "<project>-<env>". */
  readonly prefix: string;
  /** The cluster (provisioned or serverless) the policies are scoped to. */
  readonly cluster: KafkaClusterIdentity;
  /** Topic name patterns the producer may write and the consumer may read, e.g. ["orders.*"]. */
  readonly topicPatterns: readonly string[];
  /** Consumer-group name patterns the consumer may join, e.g. ["orders-*"]. */
  readonly consumerGroupPatterns: readonly string[];
  /**
   * The environment's schema registry: producers may look up (and, for schemas declared with versions
   * "producers", register) versions of its declared schemas; consumers may read versions. @default none
   */
  readonly schemaRegistry?: SchemaRegistryAccess;
}

/**
 * Managed IAM policies for Kafka clients using IAM access control, for teams to attach to their roles:
 * a producer (write the environment's topics) and a consumer (read them in the environment's groups).
 * Every statement is scoped to this cluster's ARN or its topic/group ARNs; there is no `*` resource.
 */
export class MskClientPolicies extends Construct {
  readonly producerPolicy: IamPolicy;
  readonly consumerPolicy: IamPolicy;
  /** The producer policy's statements, as rendered. */
  readonly producerStatements: readonly PolicyStatement[];
  /** The consumer policy's statements, as rendered. */
  readonly consumerStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: MskClientPoliciesProps) {
    super(scope, id);
    const check = (field: string, patterns: readonly string[]) => {
      if (patterns.length === 0) throw new Error(`${field} must list at least one pattern, got []`);
      for (const pattern of patterns) {
        if (!NAME_PATTERN.test(pattern)) {
          throw new Error(
            `${field}: got "${pattern}"; must be letters, digits, ".", "_", "-", optionally ending in "*"`,
          );
        }
      }
    };
    check("topicPatterns", props.topicPatterns);
    check("consumerGroupPatterns", props.consumerGroupPatterns);

    const topics = props.topicPatterns.map((p) => clusterScopedArn(props.cluster, "topic", p));
    const groups = props.consumerGroupPatterns.map((p) => clusterScopedArn(props.cluster, "group", p));

    this.producerStatements = [
      {
        Sid: "ConnectToCluster",
        Effect: "Allow",
        // WriteDataIdempotently: Kafka >= 3.0 clients enable idempotence by default and fail without it.
        Action: [
          "kafka-cluster:Connect",
          "kafka-cluster:DescribeCluster",
          "kafka-cluster:WriteDataIdempotently",
        ],
        Resource: props.cluster.arn,
      },
      {
        Sid: "WriteTopics",
        Effect: "Allow",
        Action: ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"],
        Resource: topics,
      },
      ...(props.schemaRegistry ? schemaProducerStatements(props.schemaRegistry) : []),
    ];
    this.consumerStatements = [
      {
        Sid: "ConnectToCluster",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
        Resource: props.cluster.arn,
      },
      {
        Sid: "ReadTopics",
        Effect: "Allow",
        Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
        Resource: topics,
      },
      {
        Sid: "UseConsumerGroups",
        Effect: "Allow",
        Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
        Resource: groups,
      },
      ...(props.schemaRegistry ? schemaConsumerStatements(props.schemaRegistry) : []),
    ];

    // Name and description are ForceNew on a managed policy (and a replacement fails while teams have it
    // attached), so neither mentions the topic or group patterns.
    this.producerPolicy = new IamPolicy(this, "producer", {
      name: `${props.prefix}-kafka-producer`,
      description: `Kafka producer on the MSK cluster ${props.prefix}: write the environment's topics (IAM auth)`,
      policy: policyDocument(...this.producerStatements),
    });
    this.consumerPolicy = new IamPolicy(this, "consumer", {
      name: `${props.prefix}-kafka-consumer`,
      description: `Kafka consumer on the MSK cluster ${props.prefix}: read the environment's topics in its groups (IAM auth)`,
      policy: policyDocument(...this.consumerStatements),
    });
    if (props.schemaRegistry) {
      declareSchemaVersionReadException(this.producerPolicy);
      declareSchemaVersionReadException(this.consumerPolicy);
    }
  }
}
