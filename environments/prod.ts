import type { EnvironmentConfig } from "../stacks/config";

/**
 * Production: three AZs, two brokers per AZ, NAT per AZ, RF 3 / min ISR 2, everything protected, shared with
 * the analytics account's VPC.
 */
const prod: EnvironmentConfig = {
  name: "prod",
  production: true,
  accountId: "333333333333",
  region: "eu-west-1",
  tags: { "cost-center": "platform-prod", owner: "platform-team", "data-classification": "confidential" },
  backend: { type: "s3", bucket: "acme-terraform-state-333333333333", region: "eu-west-1" },
  network: {
    mode: "create",
    cidr: "10.30.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    natGateways: "per-az",
  },
  cluster: {
    type: "provisioned",
    kafkaVersion: "3.9.x.kraft",
    brokersPerAz: 2,
    instanceType: "kafka.m5.xlarge",
    volumeSizeGiB: 1000,
    enhancedMonitoring: "PER_TOPIC_PER_BROKER",
    openMonitoring: { jmxExporter: true, nodeExporter: true },
    auth: { iam: true },
    storageAutoscaling: { maxVolumeSizeGiB: 4000, targetUtilizationPercent: 60 },
    kafka: {
      defaultReplicationFactor: 3,
      minInsyncReplicas: 2,
      autoCreateTopics: false,
      logRetentionHours: 168,
    },
    clientAccess: {
      topicPatterns: ["orders.*", "payments.*"],
      consumerGroupPatterns: ["orders-*", "payments-*"],
    },
  },
  sink: {
    archive: { storageClass: "GLACIER", afterDays: 90 },
    noncurrentVersionExpirationDays: 90,
  },
  connect: { topics: ["orders.created", "payments.settled"] },
  alarms: { emailEndpoints: ["platform-oncall@example.com"] },
  // The analytics account reads the order topics from its own VPC (README, "Share the cluster").
  sharing: {
    // Step 2: the cluster_arn output of the apply that created the cluster (example value).
    clusterArn:
      "arn:aws:kafka:eu-west-1:333333333333:cluster/msk-platform-prod/7f3c2a1e-5b6d-4c8e-9a0f-1e2d3c4b5a69-3",
    accounts: [
      {
        accountId: "444444444444",
        auth: ["iam"],
        access: "consume",
        topicPatterns: ["orders.*"],
        consumerGroupPatterns: ["analytics-*"],
      },
    ],
    clientVpcs: [
      {
        name: "analytics",
        accountId: "444444444444",
        vpcId: "vpc-044444444444444aa",
        subnetIds: ["subnet-0444444444444441a", "subnet-0444444444444442b", "subnet-0444444444444443c"],
        auth: "iam",
        backend: { type: "s3", bucket: "acme-terraform-state-444444444444", region: "eu-west-1" },
      },
    ],
  },
  // Replication factor 3 and min.insync.replicas 2 come from the cluster's settings.
  topics: [
    { name: "orders.created", partitions: 12, retention: { hours: 168 }, assumedIngressMBps: 1 },
    { name: "payments.settled", partitions: 6, retention: { hours: 720 }, assumedIngressMBps: 0.2 },
    {
      name: "payments.balances",
      partitions: 6,
      cleanupPolicy: "compact",
      configs: { "min.compaction.lag.ms": "3600000" },
    },
  ],
  schemaRegistry: {
    schemas: [
      {
        name: "orders.created",
        dataFormat: "AVRO",
        compatibility: "BACKWARD",
        file: "schemas/orders-created.avsc",
      },
      {
        name: "payments.settled",
        dataFormat: "AVRO",
        compatibility: "BACKWARD",
        file: "schemas/payments-settled.avsc",
      },
      {
        name: "payments.balances",
        dataFormat: "PROTOBUF",
        compatibility: "FULL",
        file: "schemas/payments-balances.proto",
      },
    ],
  },
  // Consumers (example values): Lambda functions, one created here with provisioned pollers and one
  // deployed elsewhere; a Flink application folding settled payments into balances (README, "Lambda
  // consumers", "Flink applications").
  consumers: {
    lambda: [
      {
        name: "orders-fulfilment",
        topic: "orders.created",
        consumerGroupId: "orders-fulfilment",
        startingPosition: "LATEST",
        batchSize: 500,
        batchingWindowSeconds: 1,
        onFailure: { arn: "arn:aws:sqs:eu-west-1:333333333333:orders-fulfilment-failures" },
        provisionedPollers: { minimum: 1, maximum: 4 },
        retry: { maximumAttempts: 5, bisectBatchOnError: true, reportBatchItemFailures: true },
        function: {
          source: "s3",
          bucket: "acme-lambda-artifacts-333333333333",
          key: "orders-fulfilment/2.3.1.zip",
          runtime: "java21",
          handler: "com.acme.orders.FulfilmentHandler::handleRequest",
          memoryMiB: 1024,
          timeoutSeconds: 300,
          architecture: "arm64",
          reservedConcurrency: 12, // one concurrent batch per partition of orders.created
          codeSigningConfigArn:
            "arn:aws:lambda:eu-west-1:333333333333:code-signing-config:csc-0a1b2c3d4e5f6a7b8",
        },
      },
      {
        name: "payments-audit",
        topic: "payments.settled",
        consumerGroupId: "payments-audit",
        onFailure: {
          arn: "arn:aws:sns:eu-west-1:333333333333:payments-audit-failures",
          kmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
        },
        function: {
          source: "existing",
          function: "arn:aws:lambda:eu-west-1:333333333333:function:payments-audit:live",
          executionRoleName: "payments-audit-execution",
        },
      },
    ],
    flink: [
      {
        name: "balances",
        runtime: "FLINK-1_20",
        code: {
          bucketArn: "arn:aws:s3:::acme-flink-apps-333333333333",
          fileKey: "payments-balances/payments-balances-1.0.0.jar",
        },
        inputTopics: ["payments.settled"],
        consumerGroup: "payments-balances",
        outputTopics: ["payments.balances"],
        running: true,
        parallelism: { parallelism: 2, parallelismPerKpu: 1, autoScaling: true },
        checkpoints: { intervalMs: 60000, minPauseMs: 5000 },
        schemas: ["payments.settled", "payments.balances"],
      },
    ],
  },
};

export default prod;
