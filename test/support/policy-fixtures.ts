/**
 * A minimal stack that passes every guardrail, built from provider resources directly (no modules), so each
 * policy test can break exactly one thing and see exactly one rule fire.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Kinesisanalyticsv2Application } from "@cdktf/provider-aws/lib/kinesisanalyticsv2-application";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskClusterPolicy } from "@cdktf/provider-aws/lib/msk-cluster-policy";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { S3Backend, TerraformStack, Testing } from "cdktf";
import { type PolicyStatement, policyDocument, serviceTrustPolicy } from "../../modules/common/iam";
import { PolicyPack } from "../../stacks/policy";
import type { PolicyFinding, PolicyReport } from "../../stacks/policy/report";

const ACCOUNT = "111111111111";
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
/** The account the compliant stack shares its cluster with (its sharing.accounts). */
export const SHARED_ACCOUNT_ROOT = "arn:aws:iam::444444444444:root";
const AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

/** Handles to every resource of the compliant stack, for tests to change one of them. */
export interface Platform {
  readonly stack: TerraformStack;
  readonly backend: S3Backend;
  readonly key: KmsKey;
  readonly logGroup: CloudwatchLogGroup;
  readonly vpc: Vpc;
  readonly defaultSecurityGroup: DefaultSecurityGroup;
  readonly flowLog: FlowLog;
  readonly privateSubnets: Subnet[];
  readonly publicSubnet: Subnet;
  readonly brokerSecurityGroup: SecurityGroup;
  readonly clientSecurityGroup: SecurityGroup;
  readonly ingress: VpcSecurityGroupIngressRule;
  readonly egress: VpcSecurityGroupEgressRule;
  readonly configuration: MskConfiguration;
  readonly cluster: MskCluster;
  readonly topic: SnsTopic;
  readonly alarms: Record<string, CloudwatchMetricAlarm>;
  readonly secret: SecretsmanagerSecret;
  readonly connectRole: IamRole;
  readonly connectPolicy: IamRolePolicy;
  readonly clusterPolicy: MskClusterPolicy;
  readonly fn: LambdaFunction;
  /** An MSK event source mapping invoking `fn`, with an on-failure destination. */
  readonly mapping: LambdaEventSourceMapping;
  readonly flinkRole: IamRole;
  readonly flinkLogStream: CloudwatchLogStream;
  readonly flinkApp: Kinesisanalyticsv2Application;
  readonly bucket: S3Bucket;
  readonly bucketVersioning: S3BucketVersioningA;
  readonly bucketEncryption: S3BucketServerSideEncryptionConfigurationA;
  readonly bucketPublicAccessBlock: S3BucketPublicAccessBlock;
  readonly bucketOwnership: S3BucketOwnershipControls;
  readonly bucketLifecycle: S3BucketLifecycleConfiguration;
  readonly bucketPolicy: S3BucketPolicy;
}

export const SERVER_PROPERTIES = [
  "default.replication.factor = 3",
  "min.insync.replicas = 2",
  "unclean.leader.election.enable = false",
].join("\n");

export const ALARM_METRICS = [
  "KafkaDataLogsDiskUsed",
  "CpuUser",
  "UnderReplicatedPartitions",
  "OfflinePartitionsCount",
  "ActiveControllerCount",
];

/** The TLS-only bucket policy statement. */
export function denyInsecureTransport(bucket: S3Bucket): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucket.arn, `${bucket.arn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Builds the compliant stack in a fresh app. */
export function compliantPlatform(): Platform {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
  const backend = new S3Backend(stack, {
    bucket: "acme-state",
    key: "test.tfstate",
    region: "eu-west-1",
    encrypt: true,
  });
  backend.addOverride("use_lockfile", true);

  const key = new KmsKey(stack, "key", {
    description: "test key",
    enableKeyRotation: true,
    policy: policyDocument(
      { Sid: "Root", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" },
      {
        Sid: "Logs",
        Effect: "Allow",
        Principal: { Service: "logs.eu-west-1.amazonaws.com" },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
        Resource: "*",
      },
    ),
    lifecycle: { preventDestroy: true },
  });
  const logGroup = new CloudwatchLogGroup(stack, "log-group", {
    name: "/test/broker",
    retentionInDays: 365,
    kmsKeyId: key.arn,
    lifecycle: { preventDestroy: true },
  });

  const vpc = new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
  const defaultSecurityGroup = new DefaultSecurityGroup(stack, "default-sg", {
    vpcId: vpc.id,
    ingress: [],
    egress: [],
  });
  const flowLogRole = new IamRole(stack, "flow-log-role", {
    assumeRolePolicy: policyDocument({
      Effect: "Allow",
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    }),
  });
  const flowLog = new FlowLog(stack, "flow-log", {
    vpcId: vpc.id,
    trafficType: "ALL",
    logDestination: logGroup.arn,
    iamRoleArn: flowLogRole.arn,
  });
  const privateTable = new RouteTable(stack, "private-routes", { vpcId: vpc.id });
  const privateSubnets = AZS.map((az, i) => {
    const subnet = new Subnet(stack, `private-${az}`, {
      vpcId: vpc.id,
      availabilityZone: az,
      cidrBlock: `10.0.${i}.0/24`,
      mapPublicIpOnLaunch: false,
    });
    new RouteTableAssociation(stack, `private-association-${az}`, {
      subnetId: subnet.id,
      routeTableId: privateTable.id,
    });
    return subnet;
  });
  const gateway = new InternetGateway(stack, "igw", { vpcId: vpc.id });
  const publicTable = new RouteTable(stack, "public-routes", { vpcId: vpc.id });
  new Route(stack, "public-default", {
    routeTableId: publicTable.id,
    destinationCidrBlock: "0.0.0.0/0",
    gatewayId: gateway.id,
  });
  const publicSubnet = new Subnet(stack, "public", {
    vpcId: vpc.id,
    availabilityZone: AZS[0],
    cidrBlock: "10.0.128.0/24",
    mapPublicIpOnLaunch: false,
  });
  new RouteTableAssociation(stack, "public-association", {
    subnetId: publicSubnet.id,
    routeTableId: publicTable.id,
  });

  const brokerSecurityGroup = new SecurityGroup(stack, "brokers", {
    vpcId: vpc.id,
    description: "MSK brokers: listener ports from clients only",
  });
  const clientSecurityGroup = new SecurityGroup(stack, "clients", {
    vpcId: vpc.id,
    description: "Kafka clients: reach the brokers",
  });
  // A client inside the stack, so every group is attached (MSKP-NET-011).
  new NetworkInterface(stack, "client-eni", {
    subnetId: privateSubnets[0].id,
    securityGroups: [clientSecurityGroup.id],
    description: "A Kafka client's network interface",
  });
  const ingress = new VpcSecurityGroupIngressRule(stack, "ingress-iam", {
    securityGroupId: brokerSecurityGroup.id,
    referencedSecurityGroupId: clientSecurityGroup.id,
    ipProtocol: "tcp",
    fromPort: 9098,
    toPort: 9098,
    description: "Kafka IAM listener from clients",
  });
  const egress = new VpcSecurityGroupEgressRule(stack, "egress-vpc", {
    securityGroupId: brokerSecurityGroup.id,
    cidrIpv4: "10.0.0.0/16",
    ipProtocol: "tcp",
    fromPort: 0,
    toPort: 65535,
    description: "Broker traffic stays inside the VPC",
  });

  const configuration = new MskConfiguration(stack, "configuration", {
    name: "test",
    kafkaVersions: ["3.7.x.kraft"],
    serverProperties: SERVER_PROPERTIES,
  });
  const cluster = new MskCluster(stack, "cluster", {
    clusterName: "test",
    kafkaVersion: "3.7.x.kraft",
    numberOfBrokerNodes: 3,
    brokerNodeGroupInfo: {
      instanceType: "kafka.m5.large",
      clientSubnets: privateSubnets.map((s) => s.id),
      securityGroups: [brokerSecurityGroup.id],
      connectivityInfo: { publicAccess: { type: "DISABLED" } },
    },
    configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
    encryptionInfo: {
      encryptionAtRestKmsKeyArn: key.arn,
      encryptionInTransit: { clientBroker: "TLS", inCluster: true },
    },
    clientAuthentication: { sasl: { iam: true } },
    loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logGroup.name } } },
    lifecycle: { preventDestroy: true },
  });

  const topic = new SnsTopic(stack, "alarm-topic", { name: "test-alarms", kmsMasterKeyId: key.arn });
  const alarms = Object.fromEntries(
    ALARM_METRICS.map((metric) => [
      metric,
      new CloudwatchMetricAlarm(stack, `alarm-${metric}`, {
        alarmName: `test-${metric}`,
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 1,
        threshold: 0,
        metricQuery: [
          {
            id: "m",
            returnData: true,
            metric: {
              namespace: "AWS/Kafka",
              metricName: metric,
              stat: "Maximum",
              period: 60,
              dimensions: { "Cluster Name": cluster.clusterName },
            },
          },
        ],
        alarmActions: [topic.arn],
      }),
    ]),
  );
  const secret = new SecretsmanagerSecret(stack, "secret", {
    name: "AmazonMSK_test_etl",
    kmsKeyId: key.arn,
    lifecycle: { preventDestroy: true },
  });

  const connectRole = new IamRole(stack, "connect-role", {
    assumeRolePolicy: policyDocument({
      Effect: "Allow",
      Principal: { Service: "kafkaconnect.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws:kafkaconnect:eu-west-1:${ACCOUNT}:connector/test-*` },
      },
    }),
  });

  const bucket = new S3Bucket(stack, "bucket", {
    bucket: "acme-test-sink",
    forceDestroy: false,
    lifecycle: { preventDestroy: true },
  });
  const bucketVersioning = new S3BucketVersioningA(stack, "bucket-versioning", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  const bucketEncryption = new S3BucketServerSideEncryptionConfigurationA(stack, "bucket-encryption", {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn } }],
  });
  const bucketPublicAccessBlock = new S3BucketPublicAccessBlock(stack, "bucket-public-access-block", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const bucketOwnership = new S3BucketOwnershipControls(stack, "bucket-ownership", {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });
  const bucketLifecycle = new S3BucketLifecycleConfiguration(stack, "bucket-lifecycle", {
    bucket: bucket.id,
    rule: [
      {
        id: "abort-uploads",
        status: "Enabled",
        filter: [{ prefix: "" }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ],
  });
  const bucketPolicy = new S3BucketPolicy(stack, "bucket-policy", {
    bucket: bucket.id,
    policy: policyDocument(denyInsecureTransport(bucket)),
  });
  new S3BucketLoggingA(stack, "bucket-logging", {
    bucket: bucket.id,
    targetBucket: "acme-test-logs",
    targetPrefix: "sink/",
  });
  new S3BucketNotification(stack, "bucket-notification", { bucket: bucket.id, eventbridge: true });
  new S3BucketReplicationConfigurationA(stack, "bucket-replication", {
    bucket: bucket.id,
    role: connectRole.arn,
    rule: [{ id: "dr", status: "Enabled", destination: { bucket: "arn:aws:s3:::acme-test-dr" } }],
  });

  const connectPolicy = new IamRolePolicy(stack, "connect-policy", {
    role: connectRole.id,
    policy: policyDocument(
      {
        Sid: "Describe",
        Effect: "Allow",
        Action: ["ec2:DescribeVpcs", "ec2:DescribeSubnets"],
        Resource: "*",
      },
      {
        Sid: "Write",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject"],
        Resource: `${bucket.arn}/*`,
      },
      { Sid: "Connect", Effect: "Allow", Action: ["kafka-cluster:Connect"], Resource: cluster.arn },
    ),
  });

  const clusterPolicy = new MskClusterPolicy(stack, "cluster-policy", {
    clusterArn: cluster.arn,
    policy: policyDocument({
      Sid: "VpcConnection",
      Effect: "Allow",
      Principal: { AWS: SHARED_ACCOUNT_ROOT },
      Action: ["kafka:CreateVpcConnection", "kafka:GetBootstrapBrokers", "kafka:DescribeClusterV2"],
      Resource: cluster.arn,
    }),
  });

  // A function every Lambda rule accepts: traced, in the VPC, with a DLQ, reserved concurrency, signed code, KMS env,
  // logging to an encrypted group with retention.
  const fnLogGroup = new CloudwatchLogGroup(stack, "fn-log-group", {
    name: "/aws/lambda/test-fn",
    retentionInDays: 365,
    kmsKeyId: key.arn,
    lifecycle: { preventDestroy: true },
  });
  const fn = new LambdaFunction(stack, "fn", {
    functionName: "test-fn",
    role: connectRole.arn,
    runtime: "nodejs22.x",
    handler: "index.handler",
    filename: "fn.zip",
    tracingConfig: { mode: "Active" },
    vpcConfig: { subnetIds: privateSubnets.map((s) => s.id), securityGroupIds: [clientSecurityGroup.id] },
    deadLetterConfig: { targetArn: topic.arn },
    reservedConcurrentExecutions: 1,
    codeSigningConfigArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:code-signing-config:csc-0123456789abcdef0`,
    environment: { variables: { MODE: "test" } },
    kmsKeyArn: key.arn,
    loggingConfig: { logFormat: "JSON", logGroup: fnLogGroup.name },
  });
  const mapping = new LambdaEventSourceMapping(stack, "mapping", {
    functionName: fn.functionName,
    eventSourceArn: cluster.arn,
    topics: ["orders.created"],
    startingPosition: "TRIM_HORIZON",
    amazonManagedKafkaEventSourceConfig: { consumerGroupId: "orders-test" },
    destinationConfig: { onFailure: { destinationArn: topic.arn } },
  });

  // A Flink application every rule accepts: private subnets, trusted only for itself, logging to the log group.
  const flinkRole = new IamRole(stack, "flink-role", {
    assumeRolePolicy: serviceTrustPolicy(
      "kinesisanalytics.amazonaws.com",
      ACCOUNT,
      `arn:aws:kinesisanalytics:eu-west-1:${ACCOUNT}:application/test-app`,
    ),
  });
  const flinkLogStream = new CloudwatchLogStream(stack, "flink-log-stream", {
    name: "kinesis-analytics-log-stream",
    logGroupName: logGroup.name,
  });
  const flinkApp = new Kinesisanalyticsv2Application(stack, "flink-app", {
    name: "test-app",
    runtimeEnvironment: "FLINK-1_20",
    serviceExecutionRole: flinkRole.arn,
    applicationConfiguration: {
      applicationCodeConfiguration: {
        codeContentType: "ZIPFILE",
        codeContent: { s3ContentLocation: { bucketArn: bucket.arn, fileKey: "app.jar" } },
      },
      vpcConfiguration: {
        subnetIds: privateSubnets.map((s) => s.id),
        securityGroupIds: [clientSecurityGroup.id],
      },
    },
    cloudwatchLoggingOptions: { logStreamArn: flinkLogStream.arn },
    lifecycle: { preventDestroy: true },
  });

  return {
    stack,
    backend,
    key,
    logGroup,
    vpc,
    defaultSecurityGroup,
    flowLog,
    privateSubnets,
    publicSubnet,
    brokerSecurityGroup,
    clientSecurityGroup,
    ingress,
    egress,
    configuration,
    cluster,
    topic,
    alarms,
    secret,
    connectRole,
    connectPolicy,
    clusterPolicy,
    fn,
    mapping,
    flinkRole,
    flinkLogStream,
    flinkApp,
    bucket,
    bucketVersioning,
    bucketEncryption,
    bucketPublicAccessBlock,
    bucketOwnership,
    bucketLifecycle,
    bucketPolicy,
  };
}

/** Synthesizes a stack with the policy pack (as every synth does) and returns its report. */
export function evaluate(stack: TerraformStack, production: boolean): PolicyReport {
  const pack = PolicyPack.apply(stack, {
    environment: "test",
    production,
    sharedPrincipals: [SHARED_ACCOUNT_ROOT],
  });
  Testing.synth(stack);
  if (!pack.report) throw new Error("the policy pack did not run during synth");
  return pack.report;
}

/** Violations of one rule, as "address: message". */
export function violationsOf(report: PolicyReport, ruleId: string): string[] {
  return report.findings
    .filter((f: PolicyFinding) => f.ruleId === ruleId && f.status === "violation")
    .map((f) => `${f.address}: ${f.message}`);
}
