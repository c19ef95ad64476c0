/**
 * The sink bucket, its access-log bucket, the MSK Connect execution role and the optional S3 sink
 * connector, proven on the synthesized Terraform JSON of every environment and of connector variants.
 */
import { TerraformStack, Testing } from "cdktf";
import { policyExceptionsOf } from "../modules/common/policy-exceptions";
import { S3SinkConnector, type S3SinkConnectorSettings } from "../modules/connect/s3-sink-connector";
import type { EnvironmentConfig, S3SinkConnectorConfig } from "../stacks/config";
import { buildStack, ENVIRONMENTS, resourcesOf, synthJson, type TerraformJson } from "./support/synth";

interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Plain JSON.parse on purpose: scanners (checkov, trivy) must be able to read every policy as rendered. */
function statementsOf(policy: unknown): Statement[] {
  return (JSON.parse(policy as string) as { Statement: Statement[] }).Statement;
}
const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The one resource of a type whose Terraform name starts with a construct-path prefix. */
function named(
  json: TerraformJson,
  type: string,
  prefix: string,
): { name: string; config: Record<string, unknown> } {
  const matches = Object.entries(resourcesOf(json, type)).filter(([name]) => name.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${matches.length}`);
  return { name: matches[0][0], config: matches[0][1] };
}

/** A Terraform reference `${type.name.attribute}`. */
const ref = (type: string, name: string, attribute = "id") => `\${${type}.${name}.${attribute}}`;

const PLUGIN: S3SinkConnectorConfig["plugin"] = {
  bucketArn: "arn:aws:s3:::acme-connect-plugins-222222222222",
  fileKey: "confluentinc-kafka-connect-s3-10.5.13.zip",
  contentType: "ZIP",
};

/** An environment with the connector enabled. */
function withConnector(base: EnvironmentConfig, connector: S3SinkConnectorConfig): EnvironmentConfig {
  return { ...base, connect: { ...base.connect, connector } };
}

describe.each(Object.keys(ENVIRONMENTS))("sink bucket of %s", (envName) => {
  const config = ENVIRONMENTS[envName];
  const json = synthJson(config);
  const bucket = named(json, "aws_s3_bucket", "sink_bucket_");
  const bucketRef = ref("aws_s3_bucket", bucket.name);
  const bucketArn = ref("aws_s3_bucket", bucket.name, "arn");
  const key = named(json, "aws_kms_key", "sink_key_");
  const companion = (type: string, prefix: string) => {
    const resource = named(json, type, prefix).config;
    expect(resource.bucket).toBe(bucketRef);
    return resource;
  };

  it("is named from account, region and environment, never force-destroyed, protected in production", () => {
    expect(bucket.config.bucket).toBe(`msk-platform-${envName}-sink-${config.accountId}-${config.region}`);
    expect(bucket.config.force_destroy).toBe(false);
    expect(bucket.config.lifecycle).toEqual({ prevent_destroy: config.production });
    expect(key.config.lifecycle).toEqual({ prevent_destroy: config.production });
  });

  it("encrypts with SSE-KMS under its own rotating customer key, with the bucket key on", () => {
    expect(companion("aws_s3_bucket_server_side_encryption_configuration", "sink_encryption_").rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: ref("aws_kms_key", key.name, "arn"),
        },
        bucket_key_enabled: true,
      },
    ]);
    expect(key.config.enable_key_rotation).toBe(true);
  });

  it("is versioned, blocks every kind of public access and disables ACLs, all tied by reference", () => {
    expect(companion("aws_s3_bucket_versioning", "sink_versioning_").versioning_configuration).toEqual({
      status: "Enabled",
    });
    expect(companion("aws_s3_bucket_public_access_block", "sink_public-access-block_")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(companion("aws_s3_bucket_ownership_controls", "sink_ownership_").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
  });

  it("archives to the environment's Glacier class, expires old versions and aborts stale uploads", () => {
    const [rule] = companion("aws_s3_bucket_lifecycle_configuration", "sink_lifecycle_").rule as Record<
      string,
      unknown
    >[];
    expect(rule).toMatchObject({
      status: "Enabled",
      filter: [{ prefix: "" }],
      transition: [{ days: config.sink.archive.afterDays, storage_class: config.sink.archive.storageClass }],
      noncurrent_version_expiration: [{ noncurrent_days: config.sink.noncurrentVersionExpirationDays ?? 30 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(rule.expiration).toEqual([
      config.sink.expireAfterDays === undefined
        ? { expired_object_delete_marker: true }
        : { days: config.sink.expireAfterDays },
    ]);
  });

  it("denies plaintext and pre-1.2 TLS access, and puts under any encryption but its own key", () => {
    const policy = companion("aws_s3_bucket_policy", "sink_policy_");
    const everything = [bucketArn, `${bucketArn}/*`];
    expect(statementsOf(policy.policy)).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: everything,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyOutdatedTls",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: everything,
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      },
      {
        Sid: "DenyPutsNotEncryptedWithKms",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${bucketArn}/*`,
        Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
      },
      {
        Sid: "DenyPutsWithAnotherKmsKey",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${bucketArn}/*`,
        Condition: {
          StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
          StringNotEquals: {
            "s3:x-amz-server-side-encryption-aws-kms-key-id": ref("aws_kms_key", key.name, "arn"),
          },
        },
      },
    ]);
  });

  it("sends its server access logs to the log bucket, date-partitioned", () => {
    const logBucket = named(json, "aws_s3_bucket", "sink_access-logs_bucket_");
    expect(companion("aws_s3_bucket_logging", "sink_logging_")).toMatchObject({
      target_bucket: ref("aws_s3_bucket", logBucket.name),
      target_prefix: "s3-access-logs/sink/",
      target_object_key_format: { partitioned_prefix: { partition_date_source: "DeliveryTime" } },
    });
  });

  it("turns logging on only after the log bucket lets the logging service write (found by the rehearsal)", () => {
    const logPolicy = named(json, "aws_s3_bucket_policy", "sink_access-logs_policy_");
    expect(companion("aws_s3_bucket_logging", "sink_logging_").depends_on).toEqual([
      `aws_s3_bucket_policy.${logPolicy.name}`,
    ]);
  });

  it("declares the checks it deliberately fails, with reasons, and no others", () => {
    const stack = buildStack(config);
    const checks = policyExceptionsOf(stack.sink.bucket).flatMap((e) => e.checks);
    expect(checks.sort()).toEqual(["CKV2_AWS_62", "CKV_AWS_144"]);
    for (const exception of policyExceptionsOf(stack.sink.bucket))
      expect(exception.reason.length).toBeGreaterThan(20);
  });
});

describe.each(Object.keys(ENVIRONMENTS))("access-log bucket of %s", (envName) => {
  const config = ENVIRONMENTS[envName];
  const json = synthJson(config);
  const logBucket = named(json, "aws_s3_bucket", "sink_access-logs_bucket_");
  const sinkBucket = named(json, "aws_s3_bucket", "sink_bucket_");
  const logRef = ref("aws_s3_bucket", logBucket.name);
  const logArn = ref("aws_s3_bucket", logBucket.name, "arn");
  const companion = (type: string, prefix: string) => {
    const resource = named(json, type, prefix).config;
    expect(resource.bucket).toBe(logRef);
    return resource;
  };

  it("is its own bucket, never force-destroyed, protected in production", () => {
    expect(logBucket.config.bucket).toBe(
      `msk-platform-${envName}-sink-logs-${config.accountId}-${config.region}`,
    );
    expect(logBucket.config.force_destroy).toBe(false);
    expect(logBucket.config.lifecycle).toEqual({ prevent_destroy: config.production });
  });

  it("uses SSE-S3, the only default encryption S3 access-log delivery accepts", () => {
    expect(
      companion("aws_s3_bucket_server_side_encryption_configuration", "sink_access-logs_encryption_").rule,
    ).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
  });

  it("is versioned, private and owner-enforced, tied by reference", () => {
    expect(
      companion("aws_s3_bucket_versioning", "sink_access-logs_versioning_").versioning_configuration,
    ).toEqual({ status: "Enabled" });
    expect(
      companion("aws_s3_bucket_public_access_block", "sink_access-logs_public-access-block_"),
    ).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(companion("aws_s3_bucket_ownership_controls", "sink_access-logs_ownership_").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
  });

  it("expires logs after the configured days and aborts stale uploads", () => {
    const [rule] = companion("aws_s3_bucket_lifecycle_configuration", "sink_access-logs_lifecycle_")
      .rule as Record<string, unknown>[];
    expect(rule).toMatchObject({
      status: "Enabled",
      expiration: [{ days: config.sink.accessLogExpirationDays ?? 365 }],
      noncurrent_version_expiration: [{ noncurrent_days: config.sink.noncurrentVersionExpirationDays ?? 30 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
  });

  it("lets only the S3 logging service write, only for the sink bucket of this account, only over TLS", () => {
    const policy = companion("aws_s3_bucket_policy", "sink_access-logs_policy_");
    expect(statementsOf(policy.policy)).toEqual([
      {
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${logArn}/s3-access-logs/sink/*`,
        Condition: {
          ArnLike: { "aws:SourceArn": [ref("aws_s3_bucket", sinkBucket.name, "arn")] },
          StringEquals: { "aws:SourceAccount": config.accountId },
        },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [logArn, `${logArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("declares exceptions for self-logging, SSE-S3, notifications and replication", () => {
    const exceptions = policyExceptionsOf(buildStack(config).sink.accessLogs.bucket);
    expect(exceptions.flatMap((e) => e.checks).sort()).toEqual([
      "AVD-AWS-0089",
      "AVD-AWS-0132",
      "CKV2_AWS_62",
      "CKV_AWS_144",
      "CKV_AWS_145",
      "CKV_AWS_18",
    ]);
  });
});

describe.each(Object.keys(ENVIRONMENTS))("MSK Connect execution role of %s", (envName) => {
  const config = ENVIRONMENTS[envName];
  const json = synthJson(config);
  const connectorName = `msk-platform-${envName}-s3-sink`;
  const role = named(json, "aws_iam_role", "connect_execution-role_");
  const policy = named(json, "aws_iam_role_policy", "connect_execution-policy_");
  const cluster = Object.keys(resourcesOf(json, "aws_msk_cluster"))[0];
  const clusterArn = ref("aws_msk_cluster", cluster, "arn");
  const scoped = (kind: "topic" | "group", name: string) =>
    `arn:aws:kafka:${config.region}:${config.accountId}:${kind}/\${aws_msk_cluster.${cluster}.cluster_name}/\${aws_msk_cluster.${cluster}.cluster_uuid}/${name}`;
  const sinkBucketArn = ref("aws_s3_bucket", named(json, "aws_s3_bucket", "sink_bucket_").name, "arn");
  const sinkKeyArn = ref("aws_kms_key", named(json, "aws_kms_key", "sink_key_").name, "arn");

  it("is assumable only by MSK Connect, for this account's connector of this environment", () => {
    expect(statementsOf(role.config.assume_role_policy)).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "kafkaconnect.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": config.accountId },
          ArnLike: {
            "aws:SourceArn": `arn:aws:kafkaconnect:${config.region}:${config.accountId}:connector/${connectorName}/*`,
          },
        },
      },
    ]);
  });

  it("grants exactly what the S3 sink needs, on exactly its cluster, topics, groups, bucket and key", () => {
    expect(policy.config.role).toBe(ref("aws_iam_role", role.name));
    expect(statementsOf(policy.config.policy)).toEqual([
      {
        Sid: "ConnectToCluster",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
        Resource: clusterArn,
      },
      {
        Sid: "ReadSinkTopics",
        Effect: "Allow",
        Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
        Resource: config.connect.topics.map((t) => scoped("topic", t)),
      },
      {
        Sid: "ConnectInternalTopics",
        Effect: "Allow",
        Action: [
          "kafka-cluster:CreateTopic",
          "kafka-cluster:DescribeTopic",
          "kafka-cluster:ReadData",
          "kafka-cluster:WriteData",
        ],
        Resource: scoped("topic", `__amazon_msk_connect_*_${connectorName}_*`),
      },
      {
        Sid: "UseConnectorGroups",
        Effect: "Allow",
        Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
        Resource: [scoped("group", `connect-${connectorName}`), scoped("group", "__amazon_msk_connect_*")],
      },
      { Sid: "FindSinkBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: sinkBucketArn },
      {
        Sid: "WriteSinkObjects",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: `${sinkBucketArn}/topics/*`,
      },
      {
        Sid: "UseSinkBucketKey",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: sinkKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${config.region}.amazonaws.com` } },
      },
    ]);
  });

  it("has no wildcard action, no `*` resource, no log or object-read permissions, and no other policy", () => {
    const statements = statementsOf(policy.config.policy);
    const actions = statements.flatMap((s) => asList(s.Action));
    for (const action of actions) expect(action).not.toMatch(/\*/);
    for (const resource of statements.flatMap((s) => asList(s.Resource))) expect(resource).not.toBe("*");
    expect(actions.filter((a) => a.startsWith("logs:") || a === "s3:GetObject")).toEqual([]);
    const attached = [
      ...Object.values(resourcesOf(json, "aws_iam_role_policy")),
      ...Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")),
    ].filter((p) => p.role === ref("aws_iam_role", role.name));
    expect(attached).toHaveLength(1);
    expect(role.config.managed_policy_arns).toBeUndefined();
  });

  it("logs to its own KMS-encrypted log group with the configured retention", () => {
    const logGroup = named(json, "aws_cloudwatch_log_group", "connect_log-group_").config;
    expect(logGroup).toMatchObject({
      name: `/aws/mskconnect/msk-platform-${envName}`,
      retention_in_days: config.connect.logRetentionDays ?? 365,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.logs-key_\w+\.arn\}$/),
      lifecycle: { prevent_destroy: config.production },
    });
  });

  it("creates no connector, plugin or worker configuration and no connector_arn output", () => {
    expect(config.connect.connector).toBeUndefined();
    for (const type of [
      "aws_mskconnect_connector",
      "aws_mskconnect_custom_plugin",
      "aws_mskconnect_worker_configuration",
    ])
      expect(resourcesOf(json, type)).toEqual({});
    expect(Object.keys(json.output ?? {})).toEqual(
      expect.arrayContaining([
        "sink_bucket_name",
        "sink_bucket_arn",
        "access_log_bucket_name",
        "connect_execution_role_arn",
        "connect_log_group_name",
      ]),
    );
    expect(json.output?.connector_arn).toBeUndefined();
  });
});

describe("S3 sink connector, enabled with defaults (staging variant)", () => {
  const config = withConnector(ENVIRONMENTS.staging, {
    plugin: PLUGIN,
    tasksMax: 4,
    flushSize: 1000,
    capacity: { mcuCount: 2, minWorkers: 1, maxWorkers: 4 },
  });
  const json = synthJson(config);
  const connector = named(json, "aws_mskconnect_connector", "connect_connector_");
  const plugin = named(json, "aws_mskconnect_custom_plugin", "connect_connector_plugin_");
  const workers = named(
    json,
    "aws_mskconnect_worker_configuration",
    "connect_connector_worker-configuration_",
  );
  const sinkBucket = named(json, "aws_s3_bucket", "sink_bucket_").name;
  const cluster = Object.keys(resourcesOf(json, "aws_msk_cluster"))[0];

  it("creates the custom plugin from the S3 artifact, replaced before destroy under a content-hashed name", () => {
    expect(plugin.config).toMatchObject({
      content_type: "ZIP",
      location: { s3: { bucket_arn: PLUGIN.bucketArn, file_key: PLUGIN.fileKey } },
      lifecycle: { create_before_destroy: true },
    });
    expect(plugin.config.name).toMatch(/^msk-platform-staging-s3-sink-plugin-[0-9a-f]{8}$/);
  });

  it("configures schemaless JSON converters for the JSON format", () => {
    expect(workers.config.properties_file_content).toBe(
      [
        "key.converter=org.apache.kafka.connect.storage.StringConverter",
        "value.converter=org.apache.kafka.connect.json.JsonConverter",
        "value.converter.schemas.enable=false",
        "",
      ].join("\n"),
    );
    expect(workers.config.lifecycle).toEqual({ create_before_destroy: true });
  });

  it("autoscales between the configured workers with the default CPU targets", () => {
    expect(connector.config.capacity).toEqual({
      autoscaling: {
        mcu_count: 2,
        min_worker_count: 1,
        max_worker_count: 4,
        scale_in_policy: { cpu_utilization_percentage: 20 },
        scale_out_policy: { cpu_utilization_percentage: 80 },
      },
    });
    expect(connector.config.kafkaconnect_version).toBe("2.7.1");
  });

  it("writes JSON by Kafka partition into the sink bucket under its key, rotating on the wall clock", () => {
    expect(connector.config.connector_configuration).toEqual({
      "connector.class": "io.confluent.connect.s3.S3SinkConnector",
      "tasks.max": "4",
      topics: "orders.created,payments.settled",
      "s3.bucket.name": ref("aws_s3_bucket", sinkBucket, "bucket"),
      "s3.region": "eu-west-1",
      "topics.dir": "topics",
      "storage.class": "io.confluent.connect.s3.storage.S3Storage",
      "format.class": "io.confluent.connect.s3.format.json.JsonFormat",
      "flush.size": "1000",
      "schema.compatibility": "NONE",
      "s3.ssea.name": "aws:kms",
      "s3.sse.kms.key.id": ref("aws_kms_key", named(json, "aws_kms_key", "sink_key_").name, "arn"),
      "partitioner.class": "io.confluent.connect.storage.partitioner.DefaultPartitioner",
      "rotate.schedule.interval.ms": "600000",
      timezone: "UTC",
    });
  });

  it("reaches the cluster over TLS with IAM, from the private subnets behind the Connect security group", () => {
    const privateSubnets = Object.keys(resourcesOf(json, "aws_subnet"))
      .filter((name) => name.startsWith("network_private-subnet-"))
      .map((name) => ref("aws_subnet", name));
    expect(privateSubnets).toHaveLength(3);
    expect(connector.config.kafka_cluster).toEqual({
      apache_kafka_cluster: {
        bootstrap_servers: ref("aws_msk_cluster", cluster, "bootstrap_brokers_sasl_iam"),
        vpc: {
          subnets: privateSubnets,
          security_groups: [
            ref("aws_security_group", named(json, "aws_security_group", "security-groups_connect_").name),
          ],
        },
      },
    });
    expect(connector.config.kafka_cluster_client_authentication).toEqual({ authentication_type: "IAM" });
    expect(connector.config.kafka_cluster_encryption_in_transit).toEqual({ encryption_type: "TLS" });
  });

  it("runs as the execution role once its policy exists, logs to the Connect log group, uses plugin and workers", () => {
    const role = named(json, "aws_iam_role", "connect_execution-role_").name;
    const policy = named(json, "aws_iam_role_policy", "connect_execution-policy_").name;
    const logGroup = named(json, "aws_cloudwatch_log_group", "connect_log-group_").name;
    expect(connector.config).toMatchObject({
      name: "msk-platform-staging-s3-sink",
      service_execution_role_arn: ref("aws_iam_role", role, "arn"),
      depends_on: [`aws_iam_role_policy.${policy}`],
      log_delivery: {
        worker_log_delivery: {
          cloudwatch_logs: { enabled: true, log_group: ref("aws_cloudwatch_log_group", logGroup, "name") },
        },
      },
      plugin: [
        {
          custom_plugin: {
            arn: ref("aws_mskconnect_custom_plugin", plugin.name, "arn"),
            revision: ref("aws_mskconnect_custom_plugin", plugin.name, "latest_revision"),
          },
        },
      ],
      worker_configuration: {
        arn: ref("aws_mskconnect_worker_configuration", workers.name, "arn"),
        revision: ref("aws_mskconnect_worker_configuration", workers.name, "latest_revision"),
      },
    });
  });

  it("exports the connector ARN", () => {
    expect(json.output?.connector_arn?.value).toBe(ref("aws_mskconnect_connector", connector.name, "arn"));
  });

  it("keeps the execution role scoped to the connector it creates", () => {
    const trust = statementsOf(
      named(json, "aws_iam_role", "connect_execution-role_").config.assume_role_policy,
    );
    expect(trust[0].Condition?.ArnLike).toEqual({
      "aws:SourceArn": `arn:aws:kafkaconnect:eu-west-1:222222222222:connector/${connector.config.name}/*`,
    });
  });
});

describe("S3 sink connector, Parquet partitioned by record time (prod variant)", () => {
  const settings: S3SinkConnectorConfig = {
    plugin: { ...PLUGIN, contentType: "JAR", fileKey: "kafka-connect-s3-10.5.13-all.jar" },
    kafkaConnectVersion: "3.7.x",
    tasksMax: 6,
    flushSize: 50000,
    rotateIntervalMs: 300000,
    format: "parquet",
    partitioner: "time",
    capacity: { mcuCount: 4, minWorkers: 2, maxWorkers: 8, scaleInCpuPercent: 30, scaleOutCpuPercent: 70 },
  };
  const json = synthJson(withConnector(ENVIRONMENTS.prod, settings));
  const connector = named(json, "aws_mskconnect_connector", "connect_connector_").config;

  it("uses the configured capacity and Kafka Connect version", () => {
    expect(connector.kafkaconnect_version).toBe("3.7.x");
    expect(connector.capacity).toEqual({
      autoscaling: {
        mcu_count: 4,
        min_worker_count: 2,
        max_worker_count: 8,
        scale_in_policy: { cpu_utilization_percentage: 30 },
        scale_out_policy: { cpu_utilization_percentage: 70 },
      },
    });
  });

  it("writes Parquet into hourly record-time paths, rotating on record time", () => {
    const configuration = connector.connector_configuration as Record<string, string>;
    expect(configuration).toMatchObject({
      "tasks.max": "6",
      "flush.size": "50000",
      "format.class": "io.confluent.connect.s3.format.parquet.ParquetFormat",
      "partitioner.class": "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
      "path.format": "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
      "partition.duration.ms": "3600000",
      "timestamp.extractor": "Record",
      locale: "en-US",
      timezone: "UTC",
      "rotate.interval.ms": "300000",
    });
    expect(configuration["rotate.schedule.interval.ms"]).toBeUndefined();
  });

  it("gives Parquet the schemas it needs through schema-carrying JSON values", () => {
    const workers = named(
      json,
      "aws_mskconnect_worker_configuration",
      "connect_connector_worker-configuration_",
    );
    expect(workers.config.properties_file_content).toContain("value.converter.schemas.enable=true\n");
  });

  it("creates the plugin from the JAR", () => {
    expect(named(json, "aws_mskconnect_custom_plugin", "connect_connector_plugin_").config).toMatchObject({
      content_type: "JAR",
      location: { s3: { file_key: "kafka-connect-s3-10.5.13-all.jar" } },
    });
  });

  it("renames the plugin and worker configuration when, and only when, their content changes", () => {
    const names = (json: TerraformJson) => [
      named(json, "aws_mskconnect_custom_plugin", "connect_connector_plugin_").config.name,
      named(json, "aws_mskconnect_worker_configuration", "connect_connector_worker-configuration_").config
        .name,
    ];
    const same = synthJson(withConnector(ENVIRONMENTS.prod, { ...settings, tasksMax: 2 }));
    expect(names(same)).toEqual(names(json));
    const otherArtifact = synthJson(
      withConnector(ENVIRONMENTS.prod, { ...settings, plugin: { ...settings.plugin, fileKey: "v2.jar" } }),
    );
    expect(names(otherArtifact)[0]).not.toBe(names(json)[0]);
    expect(names(otherArtifact)[1]).toBe(names(json)[1]);
    const otherFormat = synthJson(withConnector(ENVIRONMENTS.prod, { ...settings, format: "json" }));
    expect(names(otherFormat)[1]).not.toBe(names(json)[1]);
  });
});

describe("S3SinkConnector input checks", () => {
  const valid: S3SinkConnectorSettings = {
    plugin: PLUGIN,
    kafkaConnectVersion: "2.7.1",
    tasksMax: 1,
    flushSize: 1,
    rotateIntervalMs: 60000,
    format: "json",
    partitioner: "default",
    capacity: { mcuCount: 1, minWorkers: 1, maxWorkers: 2, scaleInCpuPercent: 20, scaleOutCpuPercent: 80 },
  };
  const build =
    (settings: S3SinkConnectorSettings, topics: readonly string[] = ["orders"]) =>
    () =>
      new S3SinkConnector(new TerraformStack(Testing.app(), "checks"), "connector", {
        name: "c",
        region: "eu-west-1",
        settings,
        topics,
        bucketName: "b",
        kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k",
        bootstrapServers: "b-1:9098",
        subnetIds: ["subnet-1"],
        securityGroupIds: ["sg-1"],
        serviceExecutionRoleArn: "arn:aws:iam::111111111111:role/r",
        logGroupName: "/aws/mskconnect/c",
      });
  const capacity = (changes: Partial<S3SinkConnectorSettings["capacity"]>) => ({
    ...valid,
    capacity: { ...valid.capacity, ...changes },
  });

  it("accepts valid settings", () => {
    expect(build(valid)).not.toThrow();
  });

  it.each([
    [capacity({ mcuCount: 3 }), "capacity.mcuCount must be 1, 2, 4 or 8, got 3"],
    [capacity({ minWorkers: 0 }), "capacity.minWorkers must be an integer from 1 to 10, got 0"],
    [
      capacity({ maxWorkers: 11 }),
      "capacity.maxWorkers must be an integer from minWorkers (1) to 10, got 11",
    ],
    [
      capacity({ scaleInCpuPercent: 80 }),
      "capacity.scaleInCpuPercent must be at least 1 and below scaleOutCpuPercent (80), got 80",
    ],
    [capacity({ scaleOutCpuPercent: 101 }), "capacity.scaleOutCpuPercent must be at most 100, got 101"],
    [{ ...valid, tasksMax: 0 }, "tasksMax must be an integer >= 1, got 0"],
    [{ ...valid, flushSize: 1.5 }, "flushSize must be an integer >= 1, got 1.5"],
  ])("refuses %j", (settings, message) => {
    expect(build(settings)).toThrow(message);
  });

  it("refuses an empty topic list", () => {
    expect(build(valid, [])).toThrow("topics must be a non-empty list, got []");
  });
});
