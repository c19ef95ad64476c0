import type { EnvironmentConfig } from "../stacks/config";

/** Production: three AZs, two brokers per AZ, NAT per AZ, RF 3 / min ISR 2, everything protected. */
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
    kafkaVersion: "3.7.x.kraft",
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
};

export default prod;
