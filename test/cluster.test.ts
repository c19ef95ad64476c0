/**
 * The MSK cluster module, read from the synthesized Terraform JSON: one describe block per numbered item
 * of the cluster issue (sizing, configuration, encryption, auth, logs, autoscaling, alarms, client access,
 * serverless, outputs, protection), on the real environments and on variants built with object spread.
 */
import { TerraformStack, Testing } from "cdktf";
import { MskCluster, type MskClusterProps } from "../modules/cluster/msk-cluster";
import type { EnvironmentConfig, ProvisionedClusterConfig } from "../stacks/config";
import { type ResolvedProvisionedCluster, resolveEnvironment } from "../stacks/defaults";
import { PolicyPack } from "../stacks/policy";
import {
  asNewEnvironment,
  buildStack,
  ENVIRONMENTS,
  onlyResource,
  resourcesOf,
  synthJson,
  type TerraformJson,
} from "./support/synth";

const { dev, staging, prod } = ENVIRONMENTS;
const provisioned = (config: EnvironmentConfig): ProvisionedClusterConfig => {
  if (config.cluster.type !== "provisioned") throw new Error(`${config.name} is not provisioned`);
  return config.cluster;
};
const prodCluster = provisioned(prod);
const devCluster = provisioned(dev);

/** A variant of an environment with some cluster settings replaced. */
const withCluster = (
  config: EnvironmentConfig,
  changes: Partial<ProvisionedClusterConfig>,
  name = `${config.name}-variant`,
): EnvironmentConfig => ({
  ...asNewEnvironment(config, name),
  cluster: { ...provisioned(config), ...changes },
});

interface ClusterJson {
  kafka_version: string;
  number_of_broker_nodes: number;
  enhanced_monitoring: string;
  storage_mode: string;
  broker_node_group_info: {
    instance_type: string;
    client_subnets: string[];
    security_groups: string[];
    storage_info: {
      ebs_storage_info: { volume_size: number; provisioned_throughput?: Record<string, unknown> };
    };
    connectivity_info: { public_access: { type: string } };
  };
  configuration_info: { arn: string; revision: string };
  encryption_info: {
    encryption_at_rest_kms_key_arn: string;
    encryption_in_transit: { client_broker: string; in_cluster: boolean };
  };
  client_authentication: {
    unauthenticated: boolean;
    sasl: { iam: boolean; scram: boolean };
    tls?: { certificate_authority_arns: string[] };
  };
  open_monitoring: {
    prometheus: {
      jmx_exporter: { enabled_in_broker: boolean };
      node_exporter: { enabled_in_broker: boolean };
    };
  };
  logging_info: { broker_logs: Record<string, Record<string, unknown>> };
  lifecycle: { prevent_destroy: boolean; ignore_changes?: string[] };
}

interface PolicyJson {
  Version: string;
  Statement: {
    Sid?: string;
    Effect: string;
    Principal?: unknown;
    Action: string | string[];
    Resource: string | string[];
    Condition?: unknown;
  }[];
}

const clusterOf = (json: TerraformJson) => onlyResource(json, "aws_msk_cluster") as unknown as ClusterJson;
/** The resource of a type whose Terraform name contains a construct-path fragment. */
const named = (json: TerraformJson, type: string, fragment: string): Record<string, unknown> => {
  const hits = Object.entries(resourcesOf(json, type)).filter(([name]) => name.includes(fragment));
  if (hits.length !== 1) throw new Error(`expected one ${type} named *${fragment}*, found ${hits.length}`);
  return hits[0][1];
};
const ref = (type: string, fragment: string, attribute: string) =>
  expect.stringMatching(new RegExp(`^\\$\\{${type}\\.${fragment}[A-Za-z0-9_-]*\\.${attribute}\\}$`));
// Plain JSON.parse on purpose: scanners (checkov, trivy) must be able to read every policy as rendered.
const policyOf = (resource: Record<string, unknown>): PolicyJson =>
  JSON.parse(resource.policy as string) as PolicyJson;
const outputNames = (json: TerraformJson) => Object.keys(json.output ?? {}).sort();
const serverPropertiesOf = (json: TerraformJson): Record<string, string> =>
  Object.fromEntries(
    (onlyResource(json, "aws_msk_configuration").server_properties as string)
      .split("\n")
      .map((line) => line.split(" = ") as [string, string]),
  );

const devJson = synthJson(dev);
const stagingJson = synthJson(staging);
const prodJson = synthJson(prod);

const CA_ARN =
  "arn:aws:acm-pca:eu-west-1:333333333333:certificate-authority/11111111-2222-3333-4444-555555555555";
const prodScram = withCluster(prod, {
  auth: { iam: true, scram: { users: ["etl", "audit"], associatedUsers: ["etl"] } },
});
const prodScramJson = synthJson(prodScram);
const prodMtls = withCluster(prod, {
  auth: { iam: true, mutualTls: { certificateAuthorityArns: [CA_ARN] } },
});
const prodMtlsJson = synthJson(prodMtls);
const zookeeperJson = synthJson(withCluster(prod, { kafkaVersion: "3.9.x" }));
const serverless: EnvironmentConfig = {
  ...dev,
  name: "dev-serverless",
  cluster: { type: "serverless", clientAccess: devCluster.clientAccess },
};
const serverlessJson = synthJson(serverless);

describe("1. provisioned cluster sizing and monitoring", () => {
  it("runs prod's version, 2 brokers in each of 3 AZs, its instance type and volume", () => {
    const cluster = clusterOf(prodJson);
    expect(cluster.kafka_version).toBe("3.9.x.kraft");
    expect(cluster.number_of_broker_nodes).toBe(6);
    expect(cluster.broker_node_group_info.client_subnets).toHaveLength(3);
    expect(cluster.broker_node_group_info.instance_type).toBe("kafka.m5.xlarge");
    expect(cluster.broker_node_group_info.storage_info.ebs_storage_info.volume_size).toBe(1000);
  });

  it("keeps the broker total a multiple of the AZ count", () => {
    for (const [config, json] of [
      [dev, devJson],
      [staging, stagingJson],
      [prod, prodJson],
    ] as const) {
      const azs = config.network.mode === "create" ? config.network.availabilityZones.length : 0;
      const cluster = clusterOf(json);
      expect(cluster.number_of_broker_nodes).toBe(provisioned(config).brokersPerAz * azs);
      expect(cluster.number_of_broker_nodes % cluster.broker_node_group_info.client_subnets.length).toBe(0);
    }
  });

  it("emits provisioned throughput only when set, and the storage mode and monitoring levels", () => {
    expect(clusterOf(prodJson).broker_node_group_info.storage_info.ebs_storage_info).not.toHaveProperty(
      "provisioned_throughput",
    );
    expect(clusterOf(prodJson).storage_mode).toBe("LOCAL");
    const fast = clusterOf(
      synthJson(
        withCluster(prod, {
          instanceType: "kafka.m5.4xlarge",
          provisionedThroughputMiBps: 500,
          storageMode: "TIERED",
        }),
      ),
    );
    expect(fast.broker_node_group_info.storage_info.ebs_storage_info.provisioned_throughput).toEqual({
      enabled: true,
      volume_throughput: 500,
    });
    expect(fast.storage_mode).toBe("TIERED");
    expect(clusterOf(prodJson).enhanced_monitoring).toBe("PER_TOPIC_PER_BROKER");
    expect(clusterOf(devJson).enhanced_monitoring).toBe("DEFAULT");
    expect(clusterOf(stagingJson).enhanced_monitoring).toBe("PER_BROKER");
  });

  it("turns on the Prometheus exporters only where the environment asks", () => {
    expect(clusterOf(prodJson).open_monitoring.prometheus).toEqual({
      jmx_exporter: { enabled_in_broker: true },
      node_exporter: { enabled_in_broker: true },
    });
    expect(clusterOf(devJson).open_monitoring.prometheus).toEqual({
      jmx_exporter: { enabled_in_broker: false },
      node_exporter: { enabled_in_broker: false },
    });
  });
});

describe("2. configuration (server.properties)", () => {
  it("is named per Kafka version, pinned to it, and replaced create-before-destroy", () => {
    const configuration = onlyResource(prodJson, "aws_msk_configuration");
    expect(configuration.name).toBe("msk-platform-prod-3-9-x-kraft");
    expect(configuration.kafka_versions).toEqual(["3.9.x.kraft"]);
    expect(configuration.lifecycle).toEqual({ create_before_destroy: true });
    expect(onlyResource(zookeeperJson, "aws_msk_configuration").name).toBe("msk-platform-prod-variant-3-9-x");
    expect(clusterOf(prodJson).configuration_info).toEqual({
      arn: ref("aws_msk_configuration", "msk_configuration", "arn"),
      revision: ref("aws_msk_configuration", "msk_configuration", "latest_revision"),
    });
  });

  it("prod: RF 3, min ISR 2, no unclean election, no auto-created topics, 7-day retention", () => {
    expect(serverPropertiesOf(prodJson)).toEqual({
      "auto.create.topics.enable": "false",
      "default.replication.factor": "3",
      "log.retention.hours": "168",
      "message.max.bytes": "1048588",
      "min.insync.replicas": "2",
      "num.partitions": "3",
      "unclean.leader.election.enable": "false",
    });
  });

  it("dev (2 AZs, 2 brokers): RF 2, min ISR 1, auto-create on outside production, 1-day retention", () => {
    expect(serverPropertiesOf(devJson)).toMatchObject({
      "auto.create.topics.enable": "true",
      "default.replication.factor": "2",
      "min.insync.replicas": "1",
      "log.retention.hours": "24",
      "unclean.leader.election.enable": "false",
    });
  });

  it("staging: auto-create off as configured, 3-day retention", () => {
    expect(serverPropertiesOf(stagingJson)).toMatchObject({
      "auto.create.topics.enable": "false",
      "default.replication.factor": "3",
      "min.insync.replicas": "2",
      "log.retention.hours": "72",
    });
  });

  it("fits min ISR to the AZ count: RF 3 over 2 AZs keeps writes available when one AZ is lost", () => {
    const twoAzFourBrokers = synthJson(withCluster(dev, { brokersPerAz: 2 }));
    expect(serverPropertiesOf(twoAzFourBrokers)).toMatchObject({
      "default.replication.factor": "3",
      "min.insync.replicas": "1",
    });
  });

  it("lets an environment override or add properties verbatim", () => {
    const json = synthJson(
      withCluster(prod, {
        kafka: {
          ...prodCluster.kafka,
          messageMaxBytes: 2097152,
          serverProperties: { "replica.lag.time.max.ms": "25000", "compression.type": "zstd" },
        },
      }),
    );
    expect(serverPropertiesOf(json)).toMatchObject({
      "message.max.bytes": "2097152",
      "replica.lag.time.max.ms": "25000",
      "compression.type": "zstd",
    });
  });
});

describe("3. encryption", () => {
  it("encrypts data at rest with the module's own rotated customer key with an explicit policy", () => {
    const key = named(prodJson, "aws_kms_key", "msk_data-key");
    expect(key.enable_key_rotation).toBe(true);
    expect(policyOf(key).Statement.map((s) => s.Sid)).toEqual(["AccountAdministers"]);
    expect(clusterOf(prodJson).encryption_info.encryption_at_rest_kms_key_arn).toEqual(
      ref("aws_kms_key", "msk_data-key", "arn"),
    );
  });

  it("sets TLS between clients and brokers explicitly, and in-cluster encryption", () => {
    for (const json of [devJson, stagingJson, prodJson]) {
      expect(clusterOf(json).encryption_info.encryption_in_transit).toEqual({
        client_broker: "TLS",
        in_cluster: true,
      });
    }
  });
});

describe("4. client authentication", () => {
  it("IAM only (prod): SASL/IAM on, SCRAM off, no mutual TLS, no unauthenticated access, no secrets", () => {
    expect(clusterOf(prodJson).client_authentication).toEqual({
      unauthenticated: false,
      sasl: { iam: true, scram: false },
    });
    expect(resourcesOf(prodJson, "aws_secretsmanager_secret")).toEqual({});
    expect(resourcesOf(prodJson, "aws_msk_scram_secret_association")).toEqual({});
  });

  it("keeps the sasl block's shape when SCRAM is toggled, so the change is an in-place flag flip", () => {
    const iamOnly = clusterOf(prodJson).client_authentication;
    const withScram = clusterOf(prodScramJson).client_authentication;
    expect(Object.keys(withScram).sort()).toEqual(Object.keys(iamOnly).sort());
    expect(Object.keys(withScram.sasl).sort()).toEqual(Object.keys(iamOnly.sasl).sort());
    expect(withScram.sasl).toEqual({ iam: true, scram: true });
  });

  it("IAM + SCRAM: one AmazonMSK_ secret per user under a customer key, the associated ones linked", () => {
    const secrets = Object.values(resourcesOf(prodScramJson, "aws_secretsmanager_secret"));
    expect(secrets.map((s) => s.name).sort()).toEqual([
      "AmazonMSK_msk-platform-prod-variant_audit",
      "AmazonMSK_msk-platform-prod-variant_etl",
    ]);
    for (const secret of secrets) {
      expect(secret.kms_key_id).toEqual(ref("aws_kms_key", "msk_scram_key", "arn"));
      expect(secret.recovery_window_in_days).toBe(30);
    }
    const association = onlyResource(prodScramJson, "aws_msk_scram_secret_association");
    expect(association.cluster_arn).toEqual(ref("aws_msk_cluster", "msk_cluster", "arn"));
    expect(association.secret_arn_list).toEqual([
      ref("aws_secretsmanager_secret", "msk_scram_secret-etl", "arn"),
    ]);
    expect(association.depends_on).toEqual(
      expect.arrayContaining([expect.stringContaining("aws_secretsmanager_secret_policy.msk_scram")]),
    );
  });

  it("SCRAM key: rotated, usable through Secrets Manager in this account and readable by MSK", () => {
    const key = named(prodScramJson, "aws_kms_key", "msk_scram_key");
    expect(key.enable_key_rotation).toBe(true);
    const statements = policyOf(key).Statement;
    expect(statements.find((s) => s.Sid === "SecretsManagerUseForThisAccount")).toMatchObject({
      Principal: { AWS: "arn:aws:iam::333333333333:root" },
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
    });
    expect(statements.find((s) => s.Sid === "MskReadsScramSecrets")).toMatchObject({
      Principal: { Service: "kafka.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
    });
    for (const s of statements) expect(s.Principal).not.toBe("*");
  });

  it("declares the secret policy MSK needs, per secret, by reference", () => {
    const policy = named(prodScramJson, "aws_secretsmanager_secret_policy", "secret-policy-etl");
    expect(policy.secret_arn).toEqual(ref("aws_secretsmanager_secret", "msk_scram_secret-etl", "arn"));
    expect(policyOf(policy).Statement).toEqual([
      {
        Sid: "AWSKafkaResourcePolicy",
        Effect: "Allow",
        Principal: { Service: "kafka.amazonaws.com" },
        Action: "secretsmanager:getSecretValue",
        Resource: ref("aws_secretsmanager_secret", "msk_scram_secret-etl", "arn"),
      },
    ]);
  });

  it("never puts a SCRAM password in the Terraform JSON (and so never in state)", () => {
    expect(resourcesOf(prodScramJson, "aws_secretsmanager_secret_version")).toEqual({});
    const text = JSON.stringify(prodScramJson);
    expect(text).not.toMatch(/secret_string|secret_binary|random_password/);
    expect(prodScramJson).not.toHaveProperty("variable");
  });

  it("creates staging's SCRAM secret but associates nothing until a value is in place", () => {
    expect(onlyResource(stagingJson, "aws_secretsmanager_secret").name).toBe(
      "AmazonMSK_msk-platform-staging_legacy-etl",
    );
    expect(resourcesOf(stagingJson, "aws_msk_scram_secret_association")).toEqual({});
    expect(clusterOf(stagingJson).client_authentication.sasl).toEqual({ iam: true, scram: true });
  });

  it("mutual TLS: trusts the listed ACM Private CAs", () => {
    expect(clusterOf(prodMtlsJson).client_authentication).toEqual({
      unauthenticated: false,
      sasl: { iam: true, scram: false },
      tls: { certificate_authority_arns: [CA_ARN] },
    });
  });

  it("unauthenticated plaintext access only where an environment asks for it", () => {
    const json = synthJson(
      withCluster(dev, { clientBroker: "TLS_PLAINTEXT", auth: { iam: true, unauthenticated: true } }),
    );
    const cluster = clusterOf(json);
    expect(cluster.client_authentication.unauthenticated).toBe(true);
    expect(cluster.encryption_info.encryption_in_transit.client_broker).toBe("TLS_PLAINTEXT");
    for (const config of [dev, staging, prod]) {
      expect(clusterOf(synthJson(config)).client_authentication.unauthenticated).toBe(false);
    }
  });
});

describe("5. broker logs", () => {
  it("go to a KMS-encrypted log group with a year's retention, referenced by the cluster", () => {
    const group = named(prodJson, "aws_cloudwatch_log_group", "msk_broker-log-group");
    expect(group).toMatchObject({ name: "/aws/msk/msk-platform-prod/broker", retention_in_days: 365 });
    expect(group.kms_key_id).toEqual(ref("aws_kms_key", "logs-key", "arn"));
    expect(clusterOf(prodJson).logging_info.broker_logs).toEqual({
      cloudwatch_logs: {
        enabled: true,
        log_group: ref("aws_cloudwatch_log_group", "msk_broker-log-group", "name"),
      },
    });
  });

  it("also go to S3 and Firehose when configured", () => {
    const json = synthJson(
      withCluster(prod, {
        logging: {
          retentionDays: 731,
          s3: { bucket: "acme-msk-logs", prefix: "brokers/" },
          firehoseDeliveryStream: "msk-broker-logs",
        },
      }),
    );
    expect(named(json, "aws_cloudwatch_log_group", "msk_broker-log-group").retention_in_days).toBe(731);
    expect(clusterOf(json).logging_info.broker_logs).toMatchObject({
      s3: { enabled: true, bucket: "acme-msk-logs", prefix: "brokers/" },
      firehose: { enabled: true, delivery_stream: "msk-broker-logs" },
    });
  });
});

describe("6. storage autoscaling", () => {
  it("on (prod): target from the current volume to the max, target tracking, scale-in disabled", () => {
    expect(onlyResource(prodJson, "aws_appautoscaling_target")).toEqual({
      service_namespace: "kafka",
      scalable_dimension: "kafka:broker-storage:VolumeSize",
      resource_id: ref("aws_msk_cluster", "msk_cluster", "arn"),
      min_capacity: 1000,
      max_capacity: 4000,
    });
    const policy = onlyResource(prodJson, "aws_appautoscaling_policy");
    expect(policy.policy_type).toBe("TargetTrackingScaling");
    expect(policy.resource_id).toEqual(
      ref("aws_appautoscaling_target", "msk_storage-autoscaling_target", "resource_id"),
    );
    expect(policy.target_tracking_scaling_policy_configuration).toEqual({
      predefined_metric_specification: { predefined_metric_type: "KafkaBrokerStorageUtilization" },
      target_value: 60,
      disable_scale_in: true,
    });
  });

  it("on: Terraform ignores volume_size drift, and nothing else", () => {
    expect(clusterOf(prodJson).lifecycle.ignore_changes).toEqual([
      "broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size",
    ]);
  });

  it("off (dev): volume_size is managed (resizable) and no autoscaling resources exist", () => {
    expect(clusterOf(devJson).lifecycle).not.toHaveProperty("ignore_changes");
    expect(resourcesOf(devJson, "aws_appautoscaling_target")).toEqual({});
    expect(resourcesOf(devJson, "aws_appautoscaling_policy")).toEqual({});
  });
});

describe("7. alarms", () => {
  const alarms = (json: TerraformJson) =>
    Object.fromEntries(
      Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).map((a) => [a.alarm_name as string, a]),
    );
  type Query = { id: string; expression?: string; return_data: boolean; metric?: Record<string, unknown> };
  const clusterDimension = { "Cluster Name": ref("aws_msk_cluster", "msk_cluster", "cluster_name") };

  it("prod: disk, CPU and under-replication per broker (6), offline partitions and controller per cluster", () => {
    const names = Object.keys(alarms(prodJson)).sort();
    const perBroker = ["cpu-broker", "disk-used-broker", "under-replicated-broker"].flatMap((kind) =>
      [1, 2, 3, 4, 5, 6].map((b) => `msk-platform-prod-msk-${kind}-${b}`),
    );
    expect(names).toEqual(
      [
        ...perBroker,
        "msk-platform-prod-msk-active-controller-count",
        "msk-platform-prod-msk-offline-partitions",
      ].sort(),
    );
    expect(Object.keys(alarms(devJson))).toHaveLength(3 * 2 + 2);
  });

  it("disk used >= 85 % on KafkaDataLogsDiskUsed of each broker", () => {
    const alarm = alarms(prodJson)["msk-platform-prod-msk-disk-used-broker-4"];
    expect(alarm).toMatchObject({ comparison_operator: "GreaterThanOrEqualToThreshold", threshold: 85 });
    expect(alarm.metric_query).toEqual([
      {
        id: "disk",
        return_data: true,
        metric: {
          namespace: "AWS/Kafka",
          metric_name: "KafkaDataLogsDiskUsed",
          stat: "Maximum",
          period: 300,
          dimensions: { ...clusterDimension, "Broker ID": "4" },
        },
      },
    ]);
  });

  it("CPU user + system > 60 % through metric math", () => {
    const alarm = alarms(prodJson)["msk-platform-prod-msk-cpu-broker-1"];
    expect(alarm).toMatchObject({ comparison_operator: "GreaterThanThreshold", threshold: 60 });
    const queries = alarm.metric_query as Query[];
    expect(queries.map((q) => q.metric?.metric_name ?? q.expression)).toEqual([
      "CpuUser",
      "CpuSystem",
      "user + system",
    ]);
    expect(queries.filter((q) => q.return_data).map((q) => q.id)).toEqual(["cpu"]);
  });

  it("under-replicated and offline partitions > 0; active controllers exactly 1 (Sum)", () => {
    const all = alarms(prodJson);
    const urp = all["msk-platform-prod-msk-under-replicated-broker-2"];
    expect(urp).toMatchObject({ comparison_operator: "GreaterThanThreshold", threshold: 0 });
    expect((urp.metric_query as Query[])[0].metric?.metric_name).toBe("UnderReplicatedPartitions");
    const offline = all["msk-platform-prod-msk-offline-partitions"];
    expect(offline).toMatchObject({ comparison_operator: "GreaterThanThreshold", threshold: 0 });
    expect((offline.metric_query as Query[])[0].metric).toMatchObject({
      metric_name: "OfflinePartitionsCount",
      dimensions: clusterDimension,
    });
    const controller = all["msk-platform-prod-msk-active-controller-count"];
    expect(controller).toMatchObject({
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      treat_missing_data: "breaching",
    });
    const queries = controller.metric_query as Query[];
    expect(queries[0].metric).toMatchObject({
      namespace: "AWS/Kafka",
      metric_name: "ActiveControllerCount",
      stat: "Sum",
      dimensions: clusterDimension,
    });
    expect(queries[1]).toMatchObject({ expression: "ABS(controllers - 1)", return_data: true });
  });

  it("notify an SNS topic encrypted with a customer key CloudWatch alarms of this cluster may use", () => {
    const topicArn = ref("aws_sns_topic", "msk_alarms_topic", "arn");
    for (const alarm of Object.values(alarms(prodJson))) {
      expect(alarm.alarm_actions).toEqual([topicArn]);
      expect(alarm.ok_actions).toEqual([topicArn]);
    }
    expect(onlyResource(prodJson, "aws_sns_topic").kms_master_key_id).toEqual(
      ref("aws_kms_key", "msk_alarms_topic-key", "arn"),
    );
    const key = named(prodJson, "aws_kms_key", "msk_alarms_topic-key");
    expect(key.enable_key_rotation).toBe(true);
    const onlyTheseAlarms = {
      StringEquals: { "aws:SourceAccount": "333333333333" },
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:333333333333:alarm:msk-platform-prod-msk-*" },
    };
    expect(policyOf(key).Statement[1]).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Condition: onlyTheseAlarms,
    });
    const topicPolicy = onlyResource(prodJson, "aws_sns_topic_policy");
    expect(topicPolicy.arn).toEqual(topicArn);
    expect(policyOf(topicPolicy).Statement[1]).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Condition: onlyTheseAlarms,
    });
  });

  it("subscribe the environment's email endpoints, and none where there are none", () => {
    expect(Object.values(resourcesOf(prodJson, "aws_sns_topic_subscription"))).toEqual([
      {
        topic_arn: ref("aws_sns_topic", "msk_alarms_topic", "arn"),
        protocol: "email",
        endpoint: "platform-oncall@example.com",
      },
    ]);
    expect(resourcesOf(devJson, "aws_sns_topic_subscription")).toEqual({});
  });
});

describe("8. client access policies", () => {
  /** Normalises the cluster's hashed Terraform name so expected statements can be written out. */
  const statementsOf = (json: TerraformJson, fragment: string) =>
    JSON.parse(
      JSON.stringify(policyOf(named(json, "aws_iam_policy", fragment)).Statement).replace(
        /aws_msk_cluster\.msk_cluster_[A-F0-9]+/g,
        "aws_msk_cluster.msk_cluster_CLUSTER",
      ),
    );
  const clusterArn = `\${aws_msk_cluster.msk_cluster_CLUSTER.arn}`;
  const scoped = (kind: string, name: string) =>
    `arn:aws:kafka:eu-west-1:333333333333:${kind}/\${aws_msk_cluster.msk_cluster_CLUSTER.cluster_name}/\${aws_msk_cluster.msk_cluster_CLUSTER.cluster_uuid}/${name}`;

  /** prod's schema registry and schema ARNs, as the policies reference them. */
  const registryArns = () => [
    ref("aws_glue_registry", "schema-registry", "arn"),
    ...["orders_created", "payments_settled", "payments_balances"].map((name) =>
      ref("aws_glue_schema", `schema-registry_schema-${name}`, "arn"),
    ),
  ];
  const readVersionsById = {
    Sid: "ReadSchemaVersionsById",
    Effect: "Allow",
    Action: "glue:GetSchemaVersion",
    Resource: "*",
  };

  it("producer: connect, describe and idempotent writes on the cluster; write and describe prod's topics; look up prod's schemas", () => {
    expect(statementsOf(prodJson, "client-policies_producer")).toEqual([
      {
        Sid: "ConnectToCluster",
        Effect: "Allow",
        Action: [
          "kafka-cluster:Connect",
          "kafka-cluster:DescribeCluster",
          "kafka-cluster:WriteDataIdempotently",
        ],
        Resource: clusterArn,
      },
      {
        Sid: "WriteTopics",
        Effect: "Allow",
        Action: ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"],
        Resource: [scoped("topic", "orders.*"), scoped("topic", "payments.*")],
      },
      readVersionsById,
      // Lookups of the declared schemas only; no CreateSchema, no RegisterSchemaVersion (versions come from the repository).
      {
        Sid: "LookUpDeclaredSchemas",
        Effect: "Allow",
        Action: "glue:GetSchemaByDefinition",
        Resource: registryArns(),
      },
    ]);
  });

  it("consumer: connect and describe; read and describe prod's topics; use prod's consumer groups; read schema versions", () => {
    expect(statementsOf(prodJson, "client-policies_consumer")).toEqual([
      {
        Sid: "ConnectToCluster",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
        Resource: clusterArn,
      },
      {
        Sid: "ReadTopics",
        Effect: "Allow",
        Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
        Resource: [scoped("topic", "orders.*"), scoped("topic", "payments.*")],
      },
      {
        Sid: "UseConsumerGroups",
        Effect: "Allow",
        Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
        Resource: [scoped("group", "orders-*"), scoped("group", "payments-*")],
      },
      readVersionsById,
    ]);
  });

  it("never grant a wildcard action or resource (but glue:GetSchemaVersion by id), never let clients create topics or schemas", () => {
    for (const json of [devJson, stagingJson, prodJson, serverlessJson]) {
      for (const fragment of ["client-policies_producer", "client-policies_consumer"]) {
        for (const statement of policyOf(named(json, "aws_iam_policy", fragment)).Statement) {
          const actions = [statement.Action].flat();
          expect(actions.every((a) => /^(kafka-cluster|glue):[A-Za-z]+$/.test(a))).toBe(true);
          expect(actions).not.toContain("kafka-cluster:CreateTopic");
          expect(actions).not.toContain("glue:CreateSchema");
          if ([statement.Resource].flat().includes("*")) expect(actions).toEqual(["glue:GetSchemaVersion"]);
        }
      }
    }
    // dev has no registry: Kafka actions only.
    for (const fragment of ["client-policies_producer", "client-policies_consumer"]) {
      const actions = policyOf(named(devJson, "aws_iam_policy", fragment)).Statement.flatMap((s) =>
        [s.Action].flat(),
      );
      expect(actions.every((a) => a.startsWith("kafka-cluster:"))).toBe(true);
    }
  });

  it("are exported for teams to attach", () => {
    expect(prodJson.output?.producer_policy_arn?.value).toEqual(
      ref("aws_iam_policy", "msk_client-policies_producer", "arn"),
    );
    expect(prodJson.output?.consumer_policy_arn?.value).toEqual(
      ref("aws_iam_policy", "msk_client-policies_consumer", "arn"),
    );
  });
});

describe("9. serverless variant", () => {
  it("builds an IAM-only serverless cluster in the private subnets behind the broker security group", () => {
    const cluster = onlyResource(serverlessJson, "aws_msk_serverless_cluster") as {
      cluster_name: string;
      vpc_config: { subnet_ids: string[]; security_group_ids: string[] }[];
      client_authentication: unknown;
    };
    expect(cluster.cluster_name).toBe("msk-platform-dev-serverless");
    expect(cluster.client_authentication).toEqual({ sasl: { iam: { enabled: true } } });
    expect(cluster.vpc_config).toHaveLength(1);
    expect(cluster.vpc_config[0].subnet_ids).toEqual([
      expect.stringContaining("aws_subnet.network_private"),
      expect.stringContaining("aws_subnet.network_private"),
    ]);
    expect(cluster.vpc_config[0].security_group_ids).toEqual([
      ref("aws_security_group", "security-groups_broker", "id"),
    ]);
  });

  it("has no provisioned-only resources: no broker cluster, configuration, data key, scaling or alarms", () => {
    for (const type of [
      "aws_msk_cluster",
      "aws_msk_configuration",
      "aws_appautoscaling_target",
      "aws_cloudwatch_metric_alarm",
      "aws_sns_topic",
      "aws_secretsmanager_secret",
    ]) {
      expect(resourcesOf(serverlessJson, type)).toEqual({});
    }
    expect(Object.keys(resourcesOf(serverlessJson, "aws_kms_key")).some((k) => k.includes("msk_"))).toBe(
      false,
    );
  });

  it("opens only the IAM port on the broker security group", () => {
    const ports = Object.values(resourcesOf(serverlessJson, "aws_vpc_security_group_ingress_rule")).map(
      (r) => r.from_port,
    );
    expect(new Set(ports)).toEqual(new Set([9098]));
  });

  it("exports the same client policies, scoped to the serverless cluster", () => {
    const producer = policyOf(named(serverlessJson, "aws_iam_policy", "client-policies_producer"));
    expect(producer.Statement[0].Resource).toEqual(
      ref("aws_msk_serverless_cluster", "msk_serverless-cluster", "arn"),
    );
    expect(JSON.stringify(producer.Statement[1].Resource)).toContain("aws_msk_serverless_cluster");
  });
});

describe("10. outputs", () => {
  const clusterOutputs = (json: TerraformJson) =>
    outputNames(json).filter(
      (name) =>
        !/^(vpc_id|private_subnet_ids|client_security_group_id|connect_security_group_id|broker_security_group_id|sink_|access_log_|connect_|topic_manager_|lambda_consumer_)/.test(
          name,
        ),
    );

  it("prod (KRaft, IAM only): one bootstrap string, no ZooKeeper, key, configuration, policies, alarm topic", () => {
    expect(clusterOutputs(prodJson)).toEqual([
      "alarm_topic_arn",
      "bootstrap_brokers_sasl_iam",
      // prod is shared (multi-VPC connectivity on for IAM): the string other VPCs' clients use.
      "bootstrap_brokers_vpc_connectivity_sasl_iam",
      "cluster_arn",
      "cluster_name",
      "configuration_arn",
      "configuration_revision",
      "consumer_policy_arn",
      "flink_application_arns",
      "msk_kms_key_arn",
      "producer_policy_arn",
      "schema_registry_arn",
      "schema_registry_name",
    ]);
    expect(prodJson.output?.bootstrap_brokers_sasl_iam.value).toEqual(
      ref("aws_msk_cluster", "msk_cluster", "bootstrap_brokers_sasl_iam"),
    );
    expect(prodJson.output?.configuration_revision.value).toEqual(
      ref("aws_msk_configuration", "msk_configuration", "latest_revision"),
    );
  });

  it("SCRAM adds its bootstrap string and the secret ARN per user; mutual TLS adds the TLS string", () => {
    expect(clusterOutputs(prodScramJson)).toEqual(
      expect.arrayContaining([
        "bootstrap_brokers_sasl_iam",
        "bootstrap_brokers_sasl_scram",
        "scram_secret_arns",
      ]),
    );
    expect(prodScramJson.output?.scram_secret_arns.value).toEqual({
      etl: ref("aws_secretsmanager_secret", "msk_scram_secret-etl", "arn"),
      audit: ref("aws_secretsmanager_secret", "msk_scram_secret-audit", "arn"),
    });
    expect(clusterOutputs(prodMtlsJson).filter((n) => n.startsWith("bootstrap"))).toEqual([
      "bootstrap_brokers_sasl_iam",
      "bootstrap_brokers_tls",
    ]);
  });

  it("public access adds the public variants of the enabled listeners", () => {
    // Public access needs brokers in public subnets (an existing VPC) and Kafka ACLs enforced.
    const publicReady: EnvironmentConfig = {
      ...prodScram,
      network: {
        mode: "existing",
        vpcId: "vpc-0123456789abcdef0",
        cidr: "10.30.0.0/16",
        privateSubnets: ["a", "b", "c"].map((az) => ({
          id: `subnet-0${az.repeat(16)}`,
          availabilityZone: `eu-west-1${az}`,
        })),
        clientCidrs: ["203.0.113.0/24"],
        // prod's Lambda consumers: this VPC is said to have the pollers' endpoints already.
        lambdaPollerAccess: "existing-endpoints",
      },
    };
    const json = synthJson(
      withCluster(
        publicReady,
        {
          publicAccess: true,
          kafka: { ...prodCluster.kafka, serverProperties: { "allow.everyone.if.no.acl.found": "false" } },
        },
        "prod-public",
      ),
    );
    expect(clusterOutputs(json).filter((n) => n.startsWith("bootstrap"))).toEqual([
      "bootstrap_brokers_public_sasl_iam",
      "bootstrap_brokers_public_sasl_scram",
      "bootstrap_brokers_sasl_iam",
      "bootstrap_brokers_sasl_scram",
    ]);
  });

  it("plaintext listener output only when plaintext is allowed", () => {
    const json = synthJson(
      withCluster(dev, { clientBroker: "TLS_PLAINTEXT", auth: { iam: true, unauthenticated: true } }),
    );
    expect(clusterOutputs(json).filter((n) => n.startsWith("bootstrap"))).toEqual([
      "bootstrap_brokers_plaintext",
      "bootstrap_brokers_sasl_iam",
      "bootstrap_brokers_tls",
    ]);
  });

  it("ZooKeeper versions export both ZooKeeper connect strings; KRaft versions none", () => {
    expect(outputNames(zookeeperJson)).toEqual(
      expect.arrayContaining(["zookeeper_connect_string", "zookeeper_connect_string_tls"]),
    );
    expect(zookeeperJson.output?.zookeeper_connect_string_tls.value).toEqual(
      ref("aws_msk_cluster", "msk_cluster", "zookeeper_connect_string_tls"),
    );
    for (const json of [devJson, stagingJson, prodJson]) {
      expect(outputNames(json).filter((n) => n.startsWith("zookeeper"))).toEqual([]);
    }
  });

  it("serverless: cluster, IAM bootstrap string and client policies only", () => {
    expect(clusterOutputs(serverlessJson)).toEqual([
      "bootstrap_brokers_sasl_iam",
      "cluster_arn",
      "cluster_name",
      "consumer_policy_arn",
      "producer_policy_arn",
    ]);
  });

  it("every output has a description", () => {
    for (const json of [devJson, prodScramJson, serverlessJson, zookeeperJson]) {
      for (const output of Object.values(json.output ?? {})) expect(output.description).toMatch(/\w{3,}/);
    }
  });
});

describe("11. protection", () => {
  const lifecycleOf = (resource: Record<string, unknown>) =>
    resource.lifecycle as { prevent_destroy?: boolean } | undefined;

  it("prod: cluster, every KMS key, the broker log group and the SCRAM secrets carry prevent_destroy", () => {
    const protectedProd = prodScramJson;
    expect(clusterOf(protectedProd).lifecycle.prevent_destroy).toBe(true);
    for (const key of Object.values(resourcesOf(protectedProd, "aws_kms_key"))) {
      expect(lifecycleOf(key)?.prevent_destroy).toBe(true);
    }
    expect(
      Object.keys(resourcesOf(protectedProd, "aws_kms_key")).filter((k) => k.startsWith("msk_")),
    ).toHaveLength(3);
    expect(
      lifecycleOf(named(protectedProd, "aws_cloudwatch_log_group", "msk_broker-log-group"))?.prevent_destroy,
    ).toBe(true);
    for (const secret of Object.values(resourcesOf(protectedProd, "aws_secretsmanager_secret"))) {
      expect(lifecycleOf(secret)?.prevent_destroy).toBe(true);
    }
  });

  it("prod serverless: the cluster is protected too", () => {
    const json = synthJson({
      ...prod,
      cluster: { type: "serverless", clientAccess: prodCluster.clientAccess },
      sharing: undefined,
      // The MSK topic API does not exist for serverless clusters.
      topics: undefined,
    });
    expect(lifecycleOf(onlyResource(json, "aws_msk_serverless_cluster"))?.prevent_destroy).toBe(true);
  });

  it("the configuration is never protected: version upgrades must be able to replace it", () => {
    expect(lifecycleOf(onlyResource(prodJson, "aws_msk_configuration"))).toEqual({
      create_before_destroy: true,
    });
  });

  it("non-production: nothing is protected and keys use the short deletion window", () => {
    expect(clusterOf(stagingJson).lifecycle.prevent_destroy).toBe(false);
    expect(lifecycleOf(onlyResource(stagingJson, "aws_secretsmanager_secret"))?.prevent_destroy).toBe(false);
    expect(onlyResource(stagingJson, "aws_secretsmanager_secret").recovery_window_in_days).toBe(7);
    for (const key of Object.values(resourcesOf(stagingJson, "aws_kms_key"))) {
      expect(key.deletion_window_in_days).toBe(7);
    }
  });
});

describe("12. Express brokers", () => {
  // prod on express.m7g.large: no volume, no autoscaling (validation refuses both for Express).
  const express = withCluster(prod, {
    instanceType: "express.m7g.large",
    volumeSizeGiB: undefined,
    storageAutoscaling: undefined,
    kafka: { autoCreateTopics: false, logRetentionHours: 72 },
  });
  const json = synthJson(express);
  const cluster = clusterOf(json);
  const alarmsOf = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm"));

  it("emits no storage_info and no storage_mode (AWS answers 400 to storageInfo on Express)", () => {
    expect(cluster.broker_node_group_info.instance_type).toBe("express.m7g.large");
    expect(cluster.broker_node_group_info).not.toHaveProperty("storage_info");
    expect(cluster).not.toHaveProperty("storage_mode");
    expect(cluster.number_of_broker_nodes).toBe(6);
  });

  it("creates no storage autoscaling and ignores no volume drift", () => {
    expect(resourcesOf(json, "aws_appautoscaling_target")).toEqual({});
    expect(resourcesOf(json, "aws_appautoscaling_policy")).toEqual({});
    expect(cluster.lifecycle.ignore_changes).toBeUndefined();
  });

  it("leaves the read-only properties to MSK and sets retention as log.retention.ms", () => {
    expect(serverPropertiesOf(json)).toEqual({
      "auto.create.topics.enable": "false",
      "log.retention.ms": String(72 * 3_600_000),
      "message.max.bytes": "1048588",
      "num.partitions": "3",
    });
  });

  it("alarms on the signals Express brokers publish: CPU, ingress and egress per broker, the controller", () => {
    const names = alarmsOf
      .map((a) => String(a.alarm_name).replace("msk-platform-prod-variant-msk-", ""))
      .sort();
    const perBroker = ["cpu-broker", "egress-broker", "ingress-broker"].flatMap((kind) =>
      [1, 2, 3, 4, 5, 6].map((b) => `${kind}-${b}`),
    );
    expect(names).toEqual([...perBroker, "active-controller-count"].sort());
    const metricNames = JSON.stringify(alarmsOf);
    for (const missing of ["KafkaDataLogsDiskUsed", "UnderReplicatedPartitions", "OfflinePartitionsCount"])
      expect(metricNames).not.toContain(missing);
  });

  it("alarms above the ingress and egress AWS recommends per express.m7g.large broker (15.6 / 31.2 MB/s)", () => {
    const byName = (suffix: string) => alarmsOf.find((a) => String(a.alarm_name).endsWith(suffix));
    const ingress = byName("-ingress-broker-1") as {
      threshold: number;
      metric_query: { metric: { metric_name: string } }[];
    };
    const egress = byName("-egress-broker-1") as {
      threshold: number;
      metric_query: { metric: { metric_name: string } }[];
    };
    expect(ingress.threshold).toBe(15_600_000);
    expect(ingress.metric_query[0].metric.metric_name).toBe("BytesInPerSec");
    expect(egress.threshold).toBe(31_200_000);
    expect(egress.metric_query[0].metric.metric_name).toBe("BytesOutPerSec");
  });

  it("opens no ZooKeeper port and exports no ZooKeeper string, even on a ZooKeeper-mode version", () => {
    const zk = synthJson(withCluster(express, { kafkaVersion: "3.8.x" }, "prod-express-zk"));
    expect(outputNames(zk)).not.toContain("zookeeper_connect_string");
    const ports = Object.values(resourcesOf(zk, "aws_vpc_security_group_ingress_rule")).map(
      (r) => r.from_port,
    );
    expect(ports).not.toContain(2181);
    expect(ports).not.toContain(2182);
  });

  it("passes the production guardrails: MSK fixes RF 3 / min ISR 2, and its alarms are the Express set", () => {
    const stack = buildStack(express);
    Testing.synth(stack);
    const report = PolicyPack.of(stack)?.report;
    expect(report?.rulesEvaluated).toEqual(expect.arrayContaining(["MSKP-REL-002", "MSKP-REL-005"]));
    expect(report?.findings.filter((f) => f.status === "violation")).toEqual([]);
  });
});

describe("module input checks (before any resource exists)", () => {
  const resolvedProd = resolveEnvironment(prod).cluster as ResolvedProvisionedCluster;
  const build =
    (settings: Partial<ResolvedProvisionedCluster>, props: Partial<MskClusterProps> = {}) =>
    () => {
      const stack = new TerraformStack(Testing.app(), "checks");
      new MskCluster(stack, "msk", {
        prefix: "msk-platform-test",
        accountId: "333333333333",
        region: "eu-west-1",
        partition: "aws",
        settings: { ...resolvedProd, ...settings },
        subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
        securityGroupIds: ["sg-broker"],
        logsKmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/logs",
        protect: false,
        ...props,
      });
    };
  const auth = resolvedProd.auth;

  it("accepts prod's resolved settings", () => {
    expect(build({})).not.toThrow();
  });

  it("asserts Express invariants: no EBS volume, three AZs", () => {
    const express = { brokerKind: "express" as const, storageAutoscaling: undefined };
    expect(build({ ...express })).toThrow("express brokers take no volumeSizeGiB");
    expect(build({ ...express, volumeSizeGiB: undefined })).not.toThrow();
    expect(
      build(
        { ...express, volumeSizeGiB: undefined, brokerCount: 2 },
        { subnetIds: ["subnet-a", "subnet-b"] },
      ),
    ).toThrow("express brokers need subnets in 3 AZs, got 2");
  });

  it("refuses SASL or mutual TLS over a plaintext-only client connection", () => {
    expect(build({ clientBroker: "PLAINTEXT" })).toThrow(
      'clientBroker must be "TLS" or "TLS_PLAINTEXT" when IAM, SCRAM or mutual TLS is on, got "PLAINTEXT"',
    );
  });

  it("refuses a cluster with no authentication at all", () => {
    expect(build({ auth: { ...auth, iam: false } })).toThrow(
      "auth must enable at least one of iam, scram, mutualTls, unauthenticated",
    );
  });

  it("refuses a broker count that is not a multiple of the subnets", () => {
    expect(build({ brokerCount: 4 })).toThrow(
      "brokerCount must be a multiple of the subnet count (3), got 4",
    );
  });

  it("refuses provisioned throughput outside 250-2375 MiB/s", () => {
    expect(build({ provisionedThroughputMiBps: 100 })).toThrow(
      "provisionedThroughputMiBps must be an integer 250-2375, got 100",
    );
  });

  it("refuses an autoscaling maximum at or below the current volume", () => {
    expect(build({ storageAutoscaling: { maxVolumeSizeGiB: 1000, targetUtilizationPercent: 60 } })).toThrow(
      "maxVolumeSizeGiB must be > the volume size (1000) and <= 16384, got 1000",
    );
  });

  it("refuses an autoscaling target outside 10-80 %", () => {
    expect(build({ storageAutoscaling: { maxVolumeSizeGiB: 2000, targetUtilizationPercent: 90 } })).toThrow(
      "targetUtilizationPercent must be 10-80, got 90",
    );
  });

  it("refuses associating a SCRAM user that has no secret", () => {
    expect(build({ auth: { ...auth, scramUsers: ["etl"], scramAssociatedUsers: ["ops"] } })).toThrow(
      'associatedUsers must be listed in users, got unknown ["ops"]',
    );
  });

  it("refuses SCRAM user names a secret name cannot carry", () => {
    expect(build({ auth: { ...auth, scramUsers: ["etl user"] } })).toThrow(
      'users: got "etl user"; must be 1-64 letters, digits, ".", "_" or "-"',
    );
  });

  it("refuses topic patterns with a wildcard anywhere but the end", () => {
    expect(build({ clientAccess: { topicPatterns: ["*.orders"], consumerGroupPatterns: ["g"] } })).toThrow(
      'topicPatterns: got "*.orders"; must be letters, digits, ".", "_", "-", optionally ending in "*"',
    );
  });

  it("refuses malformed alarm email endpoints", () => {
    expect(build({}, { alarmEmailEndpoints: ["oncall"] })).toThrow(
      'emailEndpoints: got "oncall"; must be an email address',
    );
  });
});
