import { createHash } from "node:crypto";
import { MskconnectConnector } from "@cdktf/provider-aws/lib/mskconnect-connector";
import { MskconnectCustomPlugin } from "@cdktf/provider-aws/lib/mskconnect-custom-plugin";
import { MskconnectWorkerConfiguration } from "@cdktf/provider-aws/lib/mskconnect-worker-configuration";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** Object-key prefix the connector writes under (`topics.dir`); the execution role may write only there. */
export const SINK_TOPICS_DIR = "topics";

/** Output formats of the Confluent S3 sink connector. */
export type SinkFormat = "json" | "avro" | "parquet";

/** Object-key partitioning: by Kafka partition, or by record time (hourly). */
export type SinkPartitioner = "default" | "time";

/** The connector's own settings, defaults already applied. */
export interface S3SinkConnectorSettings {
  /** Plugin artifact in S3: the Confluent S3 sink connector as a ZIP or JAR. */
  readonly plugin: {
    readonly bucketArn: string;
    readonly fileKey: string;
    readonly contentType: "ZIP" | "JAR";
  };
  /** Kafka Connect version of MSK Connect, e.g. "2.7.1" or "3.7.x". */
  readonly kafkaConnectVersion: string;
  /** tasks.max. */
  readonly tasksMax: number;
  /** flush.size: records per object. */
  readonly flushSize: number;
  /** Commit interval in ms (wall clock with the default partitioner, record time with the time partitioner). */
  readonly rotateIntervalMs: number;
  /** Output format. */
  readonly format: SinkFormat;
  /** Object-key partitioning. */
  readonly partitioner: SinkPartitioner;
  /** Worker autoscaling. */
  readonly capacity: {
    readonly mcuCount: number;
    readonly minWorkers: number;
    readonly maxWorkers: number;
    readonly scaleInCpuPercent: number;
    readonly scaleOutCpuPercent: number;
  };
}

export interface S3SinkConnectorProps {
  /** Connector name; its consumer group is `connect-<name>`. */
  readonly name: string;
  /** Region of the sink bucket (`s3.region`). */
  readonly region: string;
  /** Connector settings. */
  readonly settings: S3SinkConnectorSettings;
  /** Topics the connector consumes. */
  readonly topics: readonly string[];
  /** Sink bucket name (`s3.bucket.name`). */
  readonly bucketName: string;
  /** KMS key ARN every object is encrypted with (`s3.sse.kms.key.id`). */
  readonly kmsKeyArn: string;
  /** The cluster's SASL/IAM bootstrap broker string. */
  readonly bootstrapServers: string;
  /** Private subnets the workers run in. */
  readonly subnetIds: readonly string[];
  /** Security groups of the workers (the Connect security group). */
  readonly securityGroupIds: readonly string[];
  /** The service execution role the workers assume. */
  readonly serviceExecutionRoleArn: string;
  /** CloudWatch log group the workers' logs are delivered to. */
  readonly logGroupName: string;
  /** Resources that must exist before the connector starts (the role's permissions policy). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

const FORMAT_CLASSES: Readonly<Record<SinkFormat, string>> = {
  json: "io.confluent.connect.s3.format.json.JsonFormat",
  avro: "io.confluent.connect.s3.format.avro.AvroFormat",
  parquet: "io.confluent.connect.s3.format.parquet.ParquetFormat",
};

/** MCU counts MSK Connect accepts per worker. */
export const MCU_COUNTS: readonly number[] = [1, 2, 4, 8];

/**
 * Worker properties: values arrive as JSON. Avro and Parquet need a schema, so for them the JSON must
 * carry the Connect schema envelope (no schema registry is part of this platform).
 */
export function workerProperties(format: SinkFormat): string {
  return [
    "key.converter=org.apache.kafka.connect.storage.StringConverter",
    "value.converter=org.apache.kafka.connect.json.JsonConverter",
    `value.converter.schemas.enable=${format !== "json"}`,
    "",
  ].join("\n");
}

/** The S3 sink connector's configuration, every value a string as MSK Connect requires. */
export function s3SinkConnectorConfiguration(
  props: Pick<S3SinkConnectorProps, "settings" | "topics" | "bucketName" | "region" | "kmsKeyArn">,
): Record<string, string> {
  const s = props.settings;
  const base: Record<string, string> = {
    "connector.class": "io.confluent.connect.s3.S3SinkConnector",
    "tasks.max": String(s.tasksMax),
    topics: props.topics.join(","),
    "s3.bucket.name": props.bucketName,
    "s3.region": props.region,
    "topics.dir": SINK_TOPICS_DIR,
    "storage.class": "io.confluent.connect.s3.storage.S3Storage",
    "format.class": FORMAT_CLASSES[s.format],
    "flush.size": String(s.flushSize),
    "schema.compatibility": "NONE",
    // Explicit SSE-KMS with the bucket's key, which is exactly what the bucket policy accepts.
    "s3.ssea.name": "aws:kms",
    "s3.sse.kms.key.id": props.kmsKeyArn,
  };
  if (s.partitioner === "time") {
    return {
      ...base,
      "partitioner.class": "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
      "path.format": "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
      "partition.duration.ms": "3600000",
      locale: "en-US",
      timezone: "UTC",
      "timestamp.extractor": "Record",
      // Record-time rotation keeps re-deliveries deterministic (exactly-once object contents).
      "rotate.interval.ms": String(s.rotateIntervalMs),
    };
  }
  return {
    ...base,
    "partitioner.class": "io.confluent.connect.storage.partitioner.DefaultPartitioner",
    // rotate.interval.ms is ignored unless the partitioner is time-based: rotate on the wall clock instead.
    "rotate.schedule.interval.ms": String(s.rotateIntervalMs),
    timezone: "UTC",
  };
}

/** Short content hash: names change (and resources are replaced first) only when content changes. */
function contentHash(...parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 8);
}

function check(condition: boolean, property: string, value: unknown, allowed: string): void {
  if (!condition) throw new Error(`${property} must be ${allowed}, got ${JSON.stringify(value)}`);
}

/**
 * The Confluent S3 sink connector on MSK Connect: the custom plugin from its S3 artifact, a worker
 * configuration, and the autoscaled connector in the private subnets, IAM-authenticated over TLS.
 */
export class S3SinkConnector extends Construct {
  readonly connector: MskconnectConnector;
  readonly plugin: MskconnectCustomPlugin;
  readonly workerConfiguration: MskconnectWorkerConfiguration;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: S3SinkConnectorProps) {
    super(scope, id);
    const s = props.settings;
    const c = s.capacity;
    check(MCU_COUNTS.includes(c.mcuCount), "capacity.mcuCount", c.mcuCount, "1, 2, 4 or 8");
    check(
      Number.isInteger(c.minWorkers) && c.minWorkers >= 1 && c.minWorkers <= 10,
      "capacity.minWorkers",
      c.minWorkers,
      "an integer from 1 to 10",
    );
    check(
      Number.isInteger(c.maxWorkers) && c.maxWorkers >= c.minWorkers && c.maxWorkers <= 10,
      "capacity.maxWorkers",
      c.maxWorkers,
      `an integer from minWorkers (${c.minWorkers}) to 10`,
    );
    check(
      c.scaleInCpuPercent >= 1 && c.scaleInCpuPercent < c.scaleOutCpuPercent,
      "capacity.scaleInCpuPercent",
      c.scaleInCpuPercent,
      `at least 1 and below scaleOutCpuPercent (${c.scaleOutCpuPercent})`,
    );
    check(c.scaleOutCpuPercent <= 100, "capacity.scaleOutCpuPercent", c.scaleOutCpuPercent, "at most 100");
    check(Number.isInteger(s.tasksMax) && s.tasksMax >= 1, "tasksMax", s.tasksMax, "an integer >= 1");
    check(Number.isInteger(s.flushSize) && s.flushSize >= 1, "flushSize", s.flushSize, "an integer >= 1");
    check(props.topics.length > 0, "topics", props.topics, "a non-empty list");

    // Plugins and worker configurations are immutable and cannot be deleted while a connector uses
    // them: each name carries a hash of its content and the replacement is created first.
    const pluginHash = contentHash(s.plugin.bucketArn, s.plugin.fileKey, s.plugin.contentType);
    this.plugin = new MskconnectCustomPlugin(this, "plugin", {
      name: `${props.name}-plugin-${pluginHash}`,
      description: `Confluent S3 sink connector from ${s.plugin.fileKey}`,
      contentType: s.plugin.contentType,
      location: { s3: { bucketArn: s.plugin.bucketArn, fileKey: s.plugin.fileKey } },
      lifecycle: { createBeforeDestroy: true },
    });

    const properties = workerProperties(s.format);
    this.workerConfiguration = new MskconnectWorkerConfiguration(this, "worker-configuration", {
      name: `${props.name}-workers-${contentHash(properties)}`,
      description: `Converters of ${props.name}`,
      propertiesFileContent: properties,
      lifecycle: { createBeforeDestroy: true },
    });

    this.connector = new MskconnectConnector(this, "connector", {
      name: props.name,
      description: `S3 sink of ${props.topics.join(", ")} into ${props.bucketName}`,
      kafkaconnectVersion: s.kafkaConnectVersion,
      connectorConfiguration: s3SinkConnectorConfiguration(props),
      capacity: {
        autoscaling: {
          mcuCount: c.mcuCount,
          minWorkerCount: c.minWorkers,
          maxWorkerCount: c.maxWorkers,
          scaleInPolicy: { cpuUtilizationPercentage: c.scaleInCpuPercent },
          scaleOutPolicy: { cpuUtilizationPercentage: c.scaleOutCpuPercent },
        },
      },
      kafkaCluster: {
        apacheKafkaCluster: {
          bootstrapServers: props.bootstrapServers,
          vpc: { subnets: [...props.subnetIds], securityGroups: [...props.securityGroupIds] },
        },
      },
      kafkaClusterClientAuthentication: { authenticationType: "IAM" },
      kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
      logDelivery: {
        workerLogDelivery: { cloudwatchLogs: { enabled: true, logGroup: props.logGroupName } },
      },
      plugin: [{ customPlugin: { arn: this.plugin.arn, revision: this.plugin.latestRevision } }],
      workerConfiguration: {
        arn: this.workerConfiguration.arn,
        revision: this.workerConfiguration.latestRevision,
      },
      serviceExecutionRoleArn: props.serviceExecutionRoleArn,
      dependsOn: [...(props.dependsOn ?? [])],
    });
    this.arn = this.connector.arn;
  }
}
