import type { EnvironmentConfig } from "../stacks/config";

/** Production-shaped rehearsal: three AZs, one NAT, storage autoscaling, smaller brokers than prod. */
const staging: EnvironmentConfig = {
  name: "staging",
  production: false,
  accountId: "222222222222",
  region: "eu-west-1",
  tags: { "cost-center": "platform-staging", owner: "platform-team" },
  backend: { type: "s3", bucket: "acme-terraform-state-222222222222", region: "eu-west-1" },
  network: {
    mode: "create",
    cidr: "10.20.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    natGateways: "single",
  },
  cluster: {
    type: "provisioned",
    kafkaVersion: "3.9.x.kraft",
    brokersPerAz: 1,
    instanceType: "kafka.m5.large",
    volumeSizeGiB: 100,
    enhancedMonitoring: "PER_BROKER",
    auth: { iam: true, scram: { users: ["legacy-etl"] } },
    storageAutoscaling: { maxVolumeSizeGiB: 500, targetUtilizationPercent: 60 },
    kafka: { autoCreateTopics: false, logRetentionHours: 72 },
    clientAccess: {
      topicPatterns: ["orders.*", "payments.*"],
      consumerGroupPatterns: ["orders-*", "payments-*"],
    },
  },
  sink: {
    archive: { storageClass: "GLACIER", afterDays: 30 },
    expireAfterDays: 365,
    noncurrentVersionExpirationDays: 30,
  },
  connect: { topics: ["orders.created", "payments.settled"] },
  alarms: { emailEndpoints: ["platform-staging-alerts@example.com"] },
  topics: [
    { name: "orders.created", partitions: 6, assumedIngressMBps: 0.1 },
    { name: "payments.settled", partitions: 3, assumedIngressMBps: 0.05 },
  ],
  // Producers serialize orders with this schema (README, "Schema registry").
  schemaRegistry: {
    schemas: [
      {
        name: "orders.created",
        dataFormat: "AVRO",
        compatibility: "BACKWARD",
        file: "schemas/orders-created.avsc",
      },
    ],
  },
  // A Lambda function the stack creates from a package in S3, reading orders.created (example values).
  consumers: {
    lambda: [
      {
        name: "orders-audit",
        topic: "orders.created",
        consumerGroupId: "orders-audit",
        startingPosition: "TRIM_HORIZON",
        batchSize: 200,
        batchingWindowSeconds: 5,
        onFailure: { arn: "arn:aws:sqs:eu-west-1:222222222222:orders-audit-failures" },
        function: {
          source: "s3",
          bucket: "acme-lambda-artifacts-222222222222",
          key: "orders-audit/1.0.0.zip",
          runtime: "python3.13",
          handler: "app.handler",
          memoryMiB: 512,
          timeoutSeconds: 120,
          architecture: "arm64",
          reservedConcurrency: 6, // orders.created has 6 partitions: one concurrent batch each
        },
        schemas: ["orders.created"], // its records are Avro, serialized with the registry's schema
      },
    ],
  },
};

export default staging;
