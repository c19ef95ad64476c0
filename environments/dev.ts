import type { EnvironmentConfig } from "../stacks/config";

/** Developer sandbox: two AZs, the smallest brokers, no NAT, local state. */
const dev: EnvironmentConfig = {
  name: "dev",
  production: false,
  accountId: "111111111111",
  region: "eu-west-1",
  tags: { "cost-center": "platform-dev", owner: "platform-team" },
  backend: { type: "local" },
  network: {
    mode: "create",
    cidr: "10.10.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    natGateways: "none",
  },
  cluster: {
    type: "provisioned",
    kafkaVersion: "3.9.x.kraft",
    brokersPerAz: 1,
    instanceType: "kafka.t3.small",
    volumeSizeGiB: 20,
    enhancedMonitoring: "DEFAULT",
    auth: { iam: true },
    kafka: { logRetentionHours: 24 },
    clientAccess: { topicPatterns: ["dev.*"], consumerGroupPatterns: ["dev-*"] },
  },
  sink: {
    archive: { storageClass: "GLACIER_IR", afterDays: 30 },
    expireAfterDays: 180,
    noncurrentVersionExpirationDays: 7,
  },
  connect: { topics: ["dev.orders"] },
};

export default dev;
