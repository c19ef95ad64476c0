/**
 * The environment schema: what an `environments/<name>.ts` file declares.
 *
 * Plain, typed data. Validation lives in `stacks/validation/`, defaults in `stacks/defaults.ts`;
 * modules never see this type directly, only the resolved values the stack passes them.
 */

/** Where Terraform keeps this environment's state. */
export type BackendConfig =
  | {
      readonly type: "s3";
      /** State bucket (created outside this project, e.g. by an account-bootstrap stack). */
      readonly bucket: string;
      /** Object key. @default "msk-platform/<env>/terraform.tfstate" */
      readonly key?: string;
      /** Region of the state bucket. @default the environment's region */
      readonly region?: string;
      /** Customer-managed KMS key ARN for the state object. @default S3-managed encryption (encrypt = true) */
      readonly kmsKeyArn?: string;
    }
  | {
      readonly type: "local";
      /** State file path, relative to cdktf.out/stacks/<env>/. @default "../../../terraform.<env>.tfstate" (project root) */
      readonly path?: string;
    };

/** NAT for clients in the private subnets that need internet egress. */
export type NatGatewayMode = "none" | "single" | "per-az";

/** A VPC this project creates and owns. */
export interface NewVpcConfig {
  readonly mode: "create";
  /** IPv4 CIDR of the VPC, /16 to /24, e.g. "10.20.0.0/16". */
  readonly cidr: string;
  /** Availability zones, explicit so synth needs no AWS call, e.g. ["eu-west-1a", "eu-west-1b"]. 2 or 3. */
  readonly availabilityZones: readonly string[];
  /** NAT gateways (with public subnets) for private-subnet egress. @default "none" */
  readonly natGateways?: NatGatewayMode;
  /** Retention of the VPC flow-log group, in days (a CloudWatch-accepted value). @default 365 */
  readonly flowLogRetentionDays?: number;
}

/** A VPC that already exists; nothing network-level is created. */
export interface ExistingVpcConfig {
  readonly mode: "existing";
  /** VPC id, e.g. "vpc-0123456789abcdef0". */
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR (used for egress rules and the default client CIDR). */
  readonly cidr: string;
  /** Private subnets for the brokers, one per AZ. */
  readonly privateSubnets: readonly { readonly id: string; readonly availabilityZone: string }[];
  /** Route tables of the private subnets, to attach the S3 gateway endpoint. @default none (no endpoint) */
  readonly privateRouteTableIds?: readonly string[];
  /**
   * Prefix list ("pl-...") of an S3 gateway endpoint the VPC already has, so Connect workers may reach S3.
   * @default the prefix list of the endpoint created for privateRouteTableIds; none without them
   */
  readonly s3PrefixListId?: string;
}

export type NetworkConfig = (NewVpcConfig | ExistingVpcConfig) & {
  /**
   * CIDRs outside the client security group that may reach the brokers (peered VPCs, VPN ranges).
   * Never 0.0.0.0/0 or ::/0. @default [] (only the client and Connect security groups)
   */
  readonly clientCidrs?: readonly string[];
  /**
   * Existing security groups of workloads in the cluster's VPC ("sg-..."), admitted to the brokers on exactly
   * the enabled Kafka listener ports. Rules are added to the broker group; the cluster's own groups never
   * change. @default [] (only the client and Connect security groups)
   */
  readonly allowedSecurityGroupIds?: readonly string[];
  /**
   * How Lambda's MSK event pollers of on-demand consumers (consumers.lambda without provisionedPollers) reach the
   * Lambda and STS APIs from the brokers' subnets, whose security group they use:
   * - "endpoints": interface VPC endpoints for Lambda and STS that this stack creates in the private subnets
   *   (private DNS on, their own security group); the brokers' group keeps its VPC-only egress;
   * - "nat": the VPC's NAT (a created VPC needs natGateways "single" or "per-az"); the brokers' group then gets
   *   HTTPS egress to the internet, a declared exception to MSKP-NET-003;
   * - "existing-endpoints": an existing VPC already has both endpoints, with private DNS, admitting the
   *   brokers' group on 443.
   * Read only while a Lambda consumer exists; required then for an existing VPC, whose NAT and endpoints synth
   * cannot see. @default "endpoints" (created VPC)
   */
  readonly lambdaPollerAccess?: LambdaPollerAccess;
};

/** How Lambda's MSK event pollers reach the Lambda and STS APIs (network.lambdaPollerAccess). */
export type LambdaPollerAccess = "endpoints" | "nat" | "existing-endpoints";

/** Encryption between clients and brokers. */
export type ClientBrokerEncryption = "TLS" | "TLS_PLAINTEXT" | "PLAINTEXT";

/** Client authentication modes; any combination the MSK API allows. */
export interface ClientAuthConfig {
  /** IAM access control (port 9098). @default true */
  readonly iam?: boolean;
  /**
   * SASL/SCRAM (port 9096). Each user gets a KMS-encrypted Secrets Manager secret
   * `AmazonMSK_<project>-<env>_<user>` whose value Terraform never holds. @default off
   */
  readonly scram?: {
    /** SCRAM user names (letters, digits, `.`, `_`, `-`); one secret each. */
    readonly users: readonly string[];
    /**
     * Users whose secret already holds `{"username","password"}` (put by an operator or a rotation);
     * only these are associated with the cluster, since MSK refuses a secret without a value.
     * @default [] (secrets created, none associated yet)
     */
    readonly associatedUsers?: readonly string[];
  };
  /** Mutual TLS with ACM Private CA ARNs (port 9094). @default off */
  readonly mutualTls?: { readonly certificateAuthorityArns: readonly string[] };
  /** Unauthenticated access. Refused in production environments. @default false */
  readonly unauthenticated?: boolean;
}

/** Kafka broker settings that become the cluster's server.properties. */
export interface KafkaSettings {
  /** default.replication.factor. @default min(3, broker count) */
  readonly defaultReplicationFactor?: number;
  /** min.insync.replicas. @default RF minus the replicas one AZ can hold (ceil(RF / AZ count)), at least 1 */
  readonly minInsyncReplicas?: number;
  /** auto.create.topics.enable. @default true in non-production, false in production */
  readonly autoCreateTopics?: boolean;
  /** log.retention.hours. @default 168 */
  readonly logRetentionHours?: number;
  /** message.max.bytes (consumers must raise fetch sizes to match). @default 1048588 */
  readonly messageMaxBytes?: number;
  /** num.partitions for auto-created topics. @default 3 */
  readonly defaultPartitions?: number;
  /** Extra or overriding server properties, verbatim. @default {} */
  readonly serverProperties?: Readonly<Record<string, string>>;
}

/** Broker logs. CloudWatch is always on; S3 and Firehose are extra destinations. */
export interface BrokerLoggingConfig {
  /** Retention of the broker log group, in days (a CloudWatch-accepted value). @default 365 */
  readonly retentionDays?: number;
  /** Also deliver to an S3 bucket (name) under a prefix. @default off */
  readonly s3?: { readonly bucket: string; readonly prefix?: string };
  /** Also deliver to a Kinesis Data Firehose delivery stream (name). @default off */
  readonly firehoseDeliveryStream?: string;
}

/** Which topics and consumer groups the exported producer/consumer IAM policies cover. */
export interface ClientAccessConfig {
  /** Topic name patterns (`*` wildcard allowed at the end), e.g. ["orders.*", "payments"]. */
  readonly topicPatterns: readonly string[];
  /** Consumer group patterns, e.g. ["orders-*"]. */
  readonly consumerGroupPatterns: readonly string[];
}

/** A provisioned (broker-based) MSK cluster. */
export interface ProvisionedClusterConfig {
  readonly type: "provisioned";
  /**
   * Kafka version MSK runs, ZooKeeper ("3.9.x") or KRaft ("3.9.x.kraft", every 4.x); the accepted versions,
   * their end-of-support dates and upgrade paths are in stacks/validation/kafka-versions.ts.
   */
  readonly kafkaVersion: string;
  /** Brokers in each AZ; the total is brokersPerAz x AZ count. */
  readonly brokersPerAz: number;
  /**
   * Broker instance type: Standard ("kafka.m5.large", "kafka.m7g.xlarge", "kafka.t3.small") or Express
   * ("express.m7g.large": storage managed by MSK, replication factor fixed at 3, three AZs).
   */
  readonly instanceType: string;
  /** EBS volume per broker, GiB (1-16384). Required for Standard brokers; Express brokers have none. */
  readonly volumeSizeGiB?: number;
  /** Provisioned EBS throughput per broker, MiB/s (250-2375, kafka.m5.4xlarge and up). @default off */
  readonly provisionedThroughputMiBps?: number;
  /** Storage mode; TIERED needs a tiered-storage-capable version. @default "LOCAL" */
  readonly storageMode?: "LOCAL" | "TIERED";
  /** CloudWatch metrics level. @default "PER_BROKER" */
  readonly enhancedMonitoring?: "DEFAULT" | "PER_BROKER" | "PER_TOPIC_PER_BROKER" | "PER_TOPIC_PER_PARTITION";
  /** Prometheus open monitoring (ports 11001/11002). @default off */
  readonly openMonitoring?: { readonly jmxExporter: boolean; readonly nodeExporter: boolean };
  /** Encryption between clients and brokers. @default "TLS" */
  readonly clientBroker?: ClientBrokerEncryption;
  /** Client authentication. @default { iam: true } */
  readonly auth?: ClientAuthConfig;
  /**
   * An existing customer-managed KMS key ARN (in the environment's region) for data at rest, instead of the
   * key this stack creates. Part of encryption_info: changing it later replaces the cluster.
   * @default a key created and rotated by this stack
   */
  readonly kmsKeyArn?: string;
  /**
   * Public access with AWS-provided EIPs (ports 9194/9196/9198). MSK refuses it at cluster creation:
   * turn it on in a second change after the cluster exists. @default false
   */
  readonly publicAccess?: boolean;
  /** Storage autoscaling; while on, Terraform ignores volume_size drift. @default off */
  readonly storageAutoscaling?: {
    /** Upper bound per broker, GiB (> volumeSizeGiB, <= 16384). */
    readonly maxVolumeSizeGiB: number;
    /** Target disk utilisation, percent (10-80). @default 60 */
    readonly targetUtilizationPercent?: number;
  };
  /** Kafka server properties. */
  readonly kafka?: KafkaSettings;
  /** Broker logs. */
  readonly logging?: BrokerLoggingConfig;
  /** IAM client policies. */
  readonly clientAccess: ClientAccessConfig;
}

/** An MSK Serverless cluster (IAM auth only). */
export interface ServerlessClusterConfig {
  readonly type: "serverless";
  /** IAM client policies. */
  readonly clientAccess: ClientAccessConfig;
}

export type ClusterConfig = ProvisionedClusterConfig | ServerlessClusterConfig;

/** Glacier-class storage for sink objects. */
export type ArchiveStorageClass = "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";

/** The S3 bucket Kafka Connect writes to. */
export interface SinkConfig {
  /** Bucket name. @default "<project>-<env>-sink-<account>-<region>" */
  readonly bucketName?: string;
  /** Transition of current objects to cold storage. */
  readonly archive: { readonly storageClass: ArchiveStorageClass; readonly afterDays: number };
  /** Expire current objects after this many days (must be after the archive transition). @default never */
  readonly expireAfterDays?: number;
  /** Expire noncurrent versions after this many days. @default 30 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Expire server access logs after this many days. @default 365 */
  readonly accessLogExpirationDays?: number;
}

/** Autoscaling capacity of an MSK Connect connector. */
export interface ConnectorCapacity {
  /** MSK Connect units per worker: 1, 2, 4 or 8. */
  readonly mcuCount: number;
  /** 1-10. */
  readonly minWorkers: number;
  /** minWorkers-10. */
  readonly maxWorkers: number;
  /** Scale in below this CPU percent (1-100). @default 20 */
  readonly scaleInCpuPercent?: number;
  /** Scale out above this CPU percent (1-100). @default 80 */
  readonly scaleOutCpuPercent?: number;
}

/** The Confluent S3 sink connector, created only when a plugin artifact is given. */
export interface S3SinkConnectorConfig {
  /** Plugin artifact in S3 (ZIP or JAR). */
  readonly plugin: {
    readonly bucketArn: string;
    readonly fileKey: string;
    readonly contentType: "ZIP" | "JAR";
  };
  /** Kafka Connect version of MSK Connect. @default "2.7.1" */
  readonly kafkaConnectVersion?: string;
  /** tasks.max. */
  readonly tasksMax: number;
  /** flush.size (records per object). */
  readonly flushSize: number;
  /** rotate.interval.ms. @default 600000 */
  readonly rotateIntervalMs?: number;
  /** Output format. @default "json" */
  readonly format?: "json" | "avro" | "parquet";
  /** Partitioning of object keys. @default "default" (by Kafka partition) */
  readonly partitioner?: "default" | "time";
  /** Worker autoscaling. */
  readonly capacity: ConnectorCapacity;
}

/** MSK Connect: its role, its logs and, optionally, the S3 sink connector. */
export interface ConnectConfig {
  /** Topics the sink consumes; the execution role may read exactly these. */
  readonly topics: readonly string[];
  /** Retention of the connector log group, in days. @default 365 */
  readonly logRetentionDays?: number;
  /** The connector itself. @default none (role, logs and security group only) */
  readonly connector?: S3SinkConnectorConfig;
}

/** Client authentication a client VPC or account uses to reach a shared cluster. */
export type SharedAuthMode = "iam" | "scram" | "tls";

/** What a shared account's IAM principals may do with the topics (IAM access control only). */
export type SharedKafkaAccess = "consume" | "produce" | "produce-and-consume";

/** Another AWS account allowed to reach the cluster (its grants become the cluster policy). */
export interface SharedAccountConfig {
  /** 12-digit account id; never the environment's own account. */
  readonly accountId: string;
  /**
   * IAM roles of that account the cluster policy names, e.g. ["arn:aws:iam::444444444444:role/analytics"]. List
   * the role that creates the VPC connection (the client stack's deploy role) too.
   * @default the whole account (its root), whose administrators delegate with identity policies
   */
  readonly roleArns?: readonly string[];
  /** Client authentication its clients use: modes the cluster enables (iam, scram, tls = mutual TLS). */
  readonly auth: readonly SharedAuthMode[];
  /** Topics and groups its IAM clients may use. @default produce-and-consume */
  readonly access?: SharedKafkaAccess;
  /** Topic patterns its IAM clients may use. @default cluster.clientAccess.topicPatterns */
  readonly topicPatterns?: readonly string[];
  /** Consumer group patterns its IAM clients may use. @default cluster.clientAccess.consumerGroupPatterns */
  readonly consumerGroupPatterns?: readonly string[];
}

/**
 * A VPC whose Kafka clients reach the cluster. Provisioned clusters: a client stack `<env>-client-<name>`
 * in that VPC's account with an MSK managed VPC connection. Serverless clusters: an extra vpc_config of the
 * cluster (same account only).
 */
export interface ClientVpcConfig {
  /** Stable name (stack `<env>-client-<name>`): lowercase letters, digits, dashes. */
  readonly name: string;
  /** Account of the VPC: the environment's own, or one listed in sharing.accounts. */
  readonly accountId: string;
  /** Region of the VPC; multi-VPC connectivity works within one region. @default the environment's region */
  readonly region?: string;
  /** VPC id, e.g. "vpc-0123456789abcdef0". */
  readonly vpcId: string;
  /** At least two subnets in AZs the cluster uses (matched by AZ id). */
  readonly subnetIds: readonly string[];
  /** Authentication of this VPC's clients (one per managed VPC connection; serverless: "iam"). */
  readonly auth: SharedAuthMode;
  /** Existing workload security groups in that VPC admitted to the connection. @default [] (the client group only) */
  readonly allowedSecurityGroupIds?: readonly string[];
  /**
   * Where the client stack keeps its state (provisioned clusters).
   * @default the environment's backend with the key "<project>/<env>-client-<name>/terraform.tfstate"
   */
  readonly backend?: BackendConfig;
}

/** Access to the cluster from other VPCs and accounts. README: "Share the cluster". */
export interface SharingConfig {
  /**
   * The cluster's ARN, copied from the `cluster_arn` output of the apply that created it. MSK turns multi-VPC
   * connectivity on only for an existing cluster, so setting it is the second step: it turns connectivity on,
   * attaches the cluster policy and makes the client stacks. Provisioned clusters only. @default unset (step 1)
   */
  readonly clusterArn?: string;
  /** Other accounts allowed to connect (cluster policy). @default [] */
  readonly accounts?: readonly SharedAccountConfig[];
  /** VPCs whose clients connect. @default [] */
  readonly clientVpcs?: readonly ClientVpcConfig[];
}

/** Retention of a topic: by time and/or by size; whichever is reached first deletes old segments. */
export interface TopicRetention {
  /** retention.ms, in hours, or "unlimited" (-1). @default the cluster's log.retention.hours */
  readonly hours?: number | "unlimited";
  /** retention.bytes, per partition, or "unlimited" (-1). @default unlimited (the broker default) */
  readonly bytesPerPartition?: number | "unlimited";
}

/**
 * A deliberate exception to the production durability rule (replication factor >= 3 and
 * min.insync.replicas >= 2), written next to the topic it covers.
 */
export interface TopicDurabilityException {
  /** Why this topic may lose acknowledged writes or stop accepting them with one broker down. */
  readonly reason: string;
}

/** A topic the platform creates and keeps as declared. */
export interface ManagedTopicConfig {
  /** Kafka topic name: letters, digits, `.`, `_`, `-`, at most 249 characters. Never renamed in place. */
  readonly name: string;
  readonly retired?: false;
  /** Partition count. Partitions only grow: lowering it fails the deploy. */
  readonly partitions: number;
  /** Replication factor, 1 to the broker count; cannot change once created. @default the cluster's default replication factor */
  readonly replicationFactor?: number;
  /** min.insync.replicas of this topic, at most its replication factor. @default the cluster's min.insync.replicas */
  readonly minInsyncReplicas?: number;
  /** retention.ms / retention.bytes. @default the cluster's retention */
  readonly retention?: TopicRetention;
  /** cleanup.policy. @default "delete" */
  readonly cleanupPolicy?: "delete" | "compact" | "compact,delete";
  /**
   * Other topic-level configs from Kafka's topic configuration list (e.g. "max.message.bytes",
   * "compression.type", "remote.storage.enable"), values as strings. Typed fields above win. @default {}
   */
  readonly configs?: Readonly<Record<string, string>>;
  /** Expected write rate in MB/s (before replication), for the plan review's disk estimate. @default none */
  readonly assumedIngressMBps?: number;
  /** Production only: allows replication factor < 3 or min.insync.replicas < 2 for this topic. @default none */
  readonly durabilityException?: TopicDurabilityException;
}

/**
 * A topic to delete from the cluster, with its data. Deletion is never implied by removing a topic's
 * line: retire it here, deploy, and only then remove the line.
 */
export interface RetiredTopicConfig {
  /** The topic to delete. */
  readonly name: string;
  readonly retired: true;
  /** Why its data may go; shown in the plan review. */
  readonly reason: string;
}

export type TopicConfig = ManagedTopicConfig | RetiredTopicConfig;

/** The Lambda function that applies the declared topics at deploy. */
export interface TopicManagerConfig {
  /** Retention of its log group, in days (a CloudWatch-accepted value). @default 365 */
  readonly logRetentionDays?: number;
}

/** The function a Lambda consumer's event source mapping invokes. */
export type LambdaConsumerFunction =
  | {
      /** A function this stack creates from a .zip deployment package in S3. */
      readonly source: "s3";
      /** Bucket of the package, in the environment's Region (it may belong to another account). */
      readonly bucket: string;
      /** Object key of the package, e.g. "orders-fulfilment/1.4.2.zip" (publish each version under a new key). */
      readonly key: string;
      /** Version of the object, when the bucket is versioned. @default the latest version at apply */
      readonly objectVersion?: string;
      /** Lambda runtime identifier, e.g. "nodejs22.x", "python3.13", "java21" (stacks/validation/lambda-limits.ts). */
      readonly runtime: string;
      /** Handler, e.g. "index.handler" or "app.lambda_handler". */
      readonly handler: string;
      /** Memory, MiB (128-10240). @default 512 */
      readonly memoryMiB?: number;
      /** Timeout, seconds (1-900): a whole batch must be processed within it. @default 60 */
      readonly timeoutSeconds?: number;
      /** Instruction set the package is built for. @default "x86_64" (Lambda's default) */
      readonly architecture?: "x86_64" | "arm64";
      /**
       * Concurrency reserved for the function (1 or more). Unset, the function draws from the account's unreserved
       * pool and the policy pack records the choice as an exception to MSKP-LAMBDA-004. @default unset
       */
      readonly reservedConcurrency?: number;
      /**
       * ARN of an aws_lambda_code_signing_config that validates the package's signature. Unset, the policy pack
       * records the choice as an exception to MSKP-LAMBDA-005. @default unset
       */
      readonly codeSigningConfigArn?: string;
      /** Retention of the function's log group, in days (a CloudWatch-accepted value). @default 365 */
      readonly logRetentionDays?: number;
    }
  | {
      /** A function deployed outside this stack; the stack adds what its role needs to read the topic. */
      readonly source: "existing";
      /** Function name or ARN (same account and Region), optionally with an alias or version qualifier. */
      readonly function: string;
      /**
       * Name of the function's execution role. The stack attaches a managed policy with exactly what the event
       * source mapping needs (Kafka, ENI and destination actions) before it creates the mapping.
       */
      readonly executionRoleName: string;
    };

/** Where Lambda sends the record of a batch it discards. */
export interface LambdaOnFailureDestination {
  /** ARN of an SQS queue, an SNS topic (same Region) or an S3 bucket, e.g. "arn:aws:sqs:eu-west-1:222222222222:orders-dlq". */
  readonly arn: string;
  /** Customer-managed KMS key encrypting the destination, so the role may use it. @default none (AWS-managed or no encryption) */
  readonly kmsKeyArn?: string;
}

/** Error handling of a mapping in provisioned mode (Lambda offers these controls only there). */
export interface LambdaConsumerRetry {
  /** Retries after a function error, 0-10000, or -1 for infinite. @default -1 (Lambda applies 10 when a destination is set) */
  readonly maximumAttempts?: number;
  /** Discard records older than this, seconds (60-604800), or -1 for never. @default -1 */
  readonly maximumRecordAgeSeconds?: number;
  /** Split a failing batch in two and retry each half. @default false */
  readonly bisectBatchOnError?: boolean;
  /** The function reports failed records (ReportBatchItemFailures) so only those are retried. @default false */
  readonly reportBatchItemFailures?: boolean;
}

/** A Lambda function reading one declared topic through an event source mapping on the cluster (IAM auth). */
export interface LambdaConsumerConfig {
  /**
   * Stable name: lowercase letters, digits and dashes. Resources are named "<project>-<env>-<name>"; it is part
   * of Terraform addresses, so renaming it replaces the consumer.
   */
  readonly name: string;
  /** The topic it reads: one per mapping, a declared (not retired) topic when the environment declares topics. */
  readonly topic: string;
  /** Kafka consumer group of the mapping (unique among the environment's consumers); changing it replaces the mapping. */
  readonly consumerGroupId: string;
  /** Where a new consumer group starts. @default "TRIM_HORIZON" (the oldest retained record) */
  readonly startingPosition?: "TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP";
  /** With AT_TIMESTAMP: the time to start reading from, ISO 8601 UTC ("2026-11-01T00:00:00Z"), not in the future. */
  readonly startingTimestamp?: string;
  /** Records per invocation, 1-10000. @default 100 */
  readonly batchSize?: number;
  /** Seconds Lambda gathers records before invoking, 0-300. @default unset (Lambda's 500 ms for MSK) */
  readonly batchingWindowSeconds?: number;
  /** Where Lambda sends the record of a discarded batch (SQS, SNS or S3). */
  readonly onFailure: LambdaOnFailureDestination;
  /**
   * Provisioned mode: event pollers dedicated to this mapping (minimum 1-200, maximum 1-2000, each about 5 MB/s),
   * billed per Event Poller Unit; they need no Lambda or STS endpoint in the VPC. @default on-demand mode
   */
  readonly provisionedPollers?: { readonly minimum: number; readonly maximum: number };
  /** Error handling controls; provisioned mode only. @default Lambda's (retry until the record expires) */
  readonly retry?: LambdaConsumerRetry;
  /** Whether the mapping polls. @default true */
  readonly enabled?: boolean;
  /** The function it invokes: created here from S3, or an existing one. */
  readonly function: LambdaConsumerFunction;
  /**
   * Schemas of `schemaRegistry` the topic's records are serialized with: the function's role may read their
   * versions (what a Glue deserializer needs). @default [] (no Schema Registry access)
   */
  readonly schemas?: readonly string[];
}

/** Consumers of the cluster's topics. README: "Lambda consumers", "Flink applications". */
export interface ConsumersConfig {
  /** Lambda functions reading declared topics through event source mappings. @default [] */
  readonly lambda?: readonly LambdaConsumerConfig[];
  /** Managed Service for Apache Flink applications. @default [] */
  readonly flink?: readonly FlinkApplicationConfig[];
}

/** A Flink application's code: a JAR (or a ZIP of JARs) in S3, in the environment's region. */
export interface FlinkCodeLocation {
  /** ARN of the bucket, e.g. "arn:aws:s3:::acme-flink-apps-333333333333". */
  readonly bucketArn: string;
  /** Object key, e.g. "order-enricher/order-enricher-1.4.2.jar" (1-1024 characters). */
  readonly fileKey: string;
  /** S3 object version, pinning the exact artifact in a versioned bucket. @default the latest version */
  readonly objectVersion?: string;
}

/** Parallelism and KPUs of a Flink application (Managed Service for Apache Flink). */
export interface FlinkParallelismConfig {
  /** Parallelism the application starts with (and never scales below), >= 1. @default 1 */
  readonly parallelism?: number;
  /** Parallel tasks per KPU, 1-8: KPUs = ceil(parallelism / parallelismPerKpu), plus one for orchestration. @default 1 */
  readonly parallelismPerKpu?: number;
  /** Let the service raise parallelism under load (billed per KPU it adds). @default true */
  readonly autoScaling?: boolean;
}

/** Checkpoints: Flink's own fault tolerance between snapshots. */
export interface FlinkCheckpointConfig {
  /** Take checkpoints. @default true */
  readonly enabled?: boolean;
  /** Milliseconds between checkpoints, >= 1. @default 60000 */
  readonly intervalMs?: number;
  /** Minimum milliseconds between the end of one checkpoint and the start of the next, >= 0. @default 5000 */
  readonly minPauseMs?: number;
}

/** Application logs (CloudWatch) and metrics. */
export interface FlinkLoggingConfig {
  /** Log level. @default "INFO" */
  readonly level?: "INFO" | "WARN" | "ERROR" | "DEBUG";
  /** CloudWatch metrics granularity ("PARALLELISM" is costly above parallelism 64). @default "APPLICATION" */
  readonly metricsLevel?: "APPLICATION" | "TASK" | "OPERATOR" | "PARALLELISM";
  /** Retention of the application's log group, in days (a CloudWatch-accepted value). @default 365 */
  readonly retentionDays?: number;
}

/**
 * A Managed Service for Apache Flink application (`aws_kinesisanalyticsv2_application`) reading declared
 * topics through IAM on the private subnets. README: "Flink applications".
 */
export interface FlinkApplicationConfig {
  /** Short name: the application is `<project>-<env>-<name>`. Lowercase letters, digits, dashes. */
  readonly name: string;
  /** Runtime, e.g. "FLINK-1_20"; the accepted ones are in stacks/validation/flink-runtimes.ts. */
  readonly runtime: string;
  /** The application JAR/ZIP in S3. */
  readonly code: FlinkCodeLocation;
  /** Declared topics the application reads (its role may read exactly these). */
  readonly inputTopics: readonly string[];
  /** Kafka consumer group id (its role may use exactly this group). */
  readonly consumerGroup: string;
  /** Declared topics the application writes. @default [] (reads only) */
  readonly outputTopics?: readonly string[];
  /** Run it (`start_application`) or keep it created and stopped. Stopping takes a snapshot first. */
  readonly running: boolean;
  /** Parallelism and KPUs. @default { parallelism: 1, parallelismPerKpu: 1, autoScaling: true } */
  readonly parallelism?: FlinkParallelismConfig;
  /** Checkpoints. @default { enabled: true, intervalMs: 60000, minPauseMs: 5000 } */
  readonly checkpoints?: FlinkCheckpointConfig;
  /** Snapshots (durable application state, restored on start and update). @default true */
  readonly snapshots?: boolean;
  /** Logs and metrics. */
  readonly logging?: FlinkLoggingConfig;
  /** Schemas of `schemaRegistry` the application reads (and, with output topics, writes). @default [] */
  readonly schemas?: readonly string[];
  /**
   * Extra runtime property groups, group id -> key -> value (read with KinesisAnalyticsRuntime). The group
   * "msk-platform" is the platform's (bootstrap servers, topics, group, registry). @default {}
   */
  readonly properties?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Existing security groups ("sg-...") for the application's other destinations (sinks), at most 4. @default [] */
  readonly additionalSecurityGroupIds?: readonly string[];
}

/** Data formats the Glue Schema Registry accepts. */
export type SchemaDataFormat = "AVRO" | "JSON" | "PROTOBUF";

/** Compatibility modes of the Glue Schema Registry (API enum `Compatibility`). */
export type SchemaCompatibility =
  | "NONE"
  | "DISABLED"
  | "BACKWARD"
  | "BACKWARD_ALL"
  | "FORWARD"
  | "FORWARD_ALL"
  | "FULL"
  | "FULL_ALL";

/** A schema of the registry, its definition a file in this repository. */
export interface RegistrySchemaConfig {
  /** Schema name (letters, digits, `-_$#.`, 1-255); producers' serializers look it up by this name. */
  readonly name: string;
  /** AVRO, JSON (JSON Schema draft-04/06/07) or PROTOBUF (proto2/proto3). Fixed once created. */
  readonly dataFormat: SchemaDataFormat;
  /** How new versions must relate to earlier ones. */
  readonly compatibility: SchemaCompatibility;
  /** Path of the definition, relative to the repository root, e.g. "schemas/orders-created.avsc". */
  readonly file: string;
  /** Description. @default none */
  readonly description?: string;
  /**
   * Who registers new versions: "repository" (a changed file registers the next version at deploy; producers
   * only look versions up) or "producers" (serializers with auto-registration add versions; the file is
   * the first version only). @default "repository"
   */
  readonly versions?: "repository" | "producers";
}

/** The environment's Glue Schema Registry. README: "Schema registry". */
export interface SchemaRegistryConfig {
  /** Registry name. @default "<project>-<env>" */
  readonly name?: string;
  /** Description. @default "Schemas of the <project>-<env> MSK platform" */
  readonly description?: string;
  /** The schemas. */
  readonly schemas: readonly RegistrySchemaConfig[];
}

/** Where alarms go. */
export interface AlarmsConfig {
  /** Email addresses subscribed to the alarm topic (each must confirm). @default [] */
  readonly emailEndpoints?: readonly string[];
}

/** One environment: one Terraform stack, named after it. */
export interface EnvironmentConfig {
  /** Stack name; must equal the file name (`environments/<name>.ts`). Lowercase, digits, dashes. */
  readonly name: string;
  /** Production: 3 AZs, no plaintext/unauthenticated access, prevent_destroy on stateful resources. */
  readonly production: boolean;
  /** 12-digit AWS account id; the provider refuses any other account. */
  readonly accountId: string;
  /** AWS region, e.g. "eu-west-1". */
  readonly region: string;
  /** Prefix of resource names. @default "msk-platform" */
  readonly project?: string;
  /** Tags on every resource, added to environment/project/managed-by. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Terraform state backend. */
  readonly backend: BackendConfig;
  /** VPC and subnets. */
  readonly network: NetworkConfig;
  /** The MSK cluster. */
  readonly cluster: ClusterConfig;
  /** The Connect sink bucket. */
  readonly sink: SinkConfig;
  /** MSK Connect. */
  readonly connect: ConnectConfig;
  /** Alarm notifications. */
  readonly alarms?: AlarmsConfig;
  /**
   * Topics of the cluster, applied at deploy through the MSK topic API (provisioned clusters, Kafka >= 3.6).
   * Once any topic is declared, connect.topics and cluster.clientAccess.topicPatterns must name declared
   * topics. @default none (topics are not managed)
   */
  readonly topics?: readonly TopicConfig[];
  /** The topic manager function. @default { logRetentionDays: 365 } */
  readonly topicManager?: TopicManagerConfig;
  /** Access from other VPCs and accounts. @default none */
  readonly sharing?: SharingConfig;
  /** Consumers of the topics (README: "Lambda consumers", "Flink applications"). @default none */
  readonly consumers?: ConsumersConfig;
  /** Glue Schema Registry with the environment's schemas. @default none */
  readonly schemaRegistry?: SchemaRegistryConfig;
  /** Amazon MSK service quotas raised for this account and Region (Service Quotas). @default AWS defaults */
  readonly quotas?: QuotasConfig;
}

/**
 * Raised Amazon MSK quotas of the environment's account and Region, as granted in Service Quotas. Declaring
 * one turns the "default quota exceeded" warning into a check against the raised value.
 */
export interface QuotasConfig {
  /** "Number of brokers per cluster". @default 30 (ZooKeeper) / 60 (KRaft) */
  readonly brokersPerCluster?: number;
  /** "Number of brokers per account" (per Region, all clusters). @default 90 */
  readonly brokersPerAccount?: number;
}
