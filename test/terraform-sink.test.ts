/**
 * Real Terraform, offline, for an environment with the S3 sink connector enabled: one synth and one
 * init in beforeAll, then validate + plan; assertions read `terraform show -json`.
 */
import { type PlanJson, type PlannedResource, plannedResources } from "../tools/terraform";
import { planEnvironmentsOffline } from "./support/offline-plans";
import { ENVIRONMENTS } from "./support/synth";

const prod = ENVIRONMENTS.prod;
/** Production with the connector on: the riskiest combination (protected state, autoscaled workers). */
const prodWithConnector = {
  ...prod,
  connect: {
    ...prod.connect,
    connector: {
      plugin: {
        bucketArn: "arn:aws:s3:::acme-connect-plugins-333333333333",
        fileKey: "confluentinc-kafka-connect-s3-10.5.13.zip",
        contentType: "ZIP" as const,
      },
      tasksMax: 6,
      flushSize: 10000,
      rotateIntervalMs: 300000,
      format: "parquet" as const,
      partitioner: "time" as const,
      capacity: { mcuCount: 2, minWorkers: 2, maxWorkers: 6, scaleInCpuPercent: 25, scaleOutCpuPercent: 75 },
    },
  },
};

let plan: PlanJson;

beforeAll(async () => {
  plan = (await planEnvironmentsOffline([prodWithConnector], "terraform-sink-test"))[prodWithConnector.name];
}, 300_000);

interface Expression {
  readonly constant_value?: unknown;
  readonly references: readonly string[];
}
interface ConnectorExpressions {
  readonly connector_configuration: Expression;
  readonly kafka_cluster: {
    readonly apache_kafka_cluster: {
      readonly bootstrap_servers: Expression;
      readonly vpc: { readonly subnets: Expression; readonly security_groups: Expression }[];
    }[];
  }[];
}

/** The connector's expressions as Terraform read them from the configuration (values and references). */
function connectorExpressions(): ConnectorExpressions {
  const configuration = plan.configuration as {
    root_module: { resources: { type: string; expressions: ConnectorExpressions }[] };
  };
  const connector = configuration.root_module.resources.find((r) => r.type === "aws_mskconnect_connector");
  if (!connector) throw new Error("no aws_mskconnect_connector in the plan's configuration");
  return connector.expressions;
}

const of = (type: string): PlannedResource[] => plannedResources(plan).filter((r) => r.type === type);
const only = (type: string): PlannedResource => {
  const all = of(type);
  expect(all).toHaveLength(1);
  return all[0];
};

describe("terraform plan of prod with the S3 sink connector (offline)", () => {
  it("validates and plans a complete, error-free creation", () => {
    expect(plan.errored).toBe(false);
    const actions = new Set((plan.resource_changes ?? []).flatMap((c) => c.change.actions));
    expect([...actions]).toEqual(["create"]);
  });

  it("plans the connector with IAM over TLS, autoscaling capacity and the sink configuration", () => {
    const values = only("aws_mskconnect_connector").values as {
      name: string;
      kafkaconnect_version: string;
      capacity: { autoscaling: Record<string, unknown>[] }[];
      kafka_cluster_client_authentication: { authentication_type: string }[];
      kafka_cluster_encryption_in_transit: { encryption_type: string }[];
    };
    expect(values.name).toBe("msk-platform-prod-s3-sink");
    expect(values.kafkaconnect_version).toBe("2.7.1");
    expect(values.capacity[0].autoscaling[0]).toMatchObject({
      mcu_count: 2,
      min_worker_count: 2,
      max_worker_count: 6,
      scale_in_policy: [{ cpu_utilization_percentage: 25 }],
      scale_out_policy: [{ cpu_utilization_percentage: 75 }],
    });
    expect(values.kafka_cluster_client_authentication).toEqual([{ authentication_type: "IAM" }]);
    expect(values.kafka_cluster_encryption_in_transit).toEqual([{ encryption_type: "TLS" }]);
    // The configuration names the sink key's ARN, unknown until apply: read it from the configuration.
    const expressions = connectorExpressions();
    expect(expressions.connector_configuration.constant_value).toMatchObject({
      "connector.class": "io.confluent.connect.s3.S3SinkConnector",
      "tasks.max": "6",
      topics: "orders.created,payments.settled",
      "s3.region": "eu-west-1",
      "flush.size": "10000",
      "rotate.interval.ms": "300000",
      "format.class": "io.confluent.connect.s3.format.parquet.ParquetFormat",
      "partitioner.class": "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
      "s3.ssea.name": "aws:kms",
    });
    expect(expressions.connector_configuration.references).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_s3_bucket\.sink_bucket_\w+\.bucket$/),
        expect.stringMatching(/^aws_kms_key\.sink_key_\w+\.arn$/),
      ]),
    );
  });

  it("wires the connector to the IAM bootstrap brokers, the private subnets and the Connect group", () => {
    const [cluster] = connectorExpressions().kafka_cluster;
    const [apache] = cluster.apache_kafka_cluster;
    expect(apache.bootstrap_servers.references).toContainEqual(
      expect.stringMatching(/^aws_msk_cluster\.msk_cluster_\w+\.bootstrap_brokers_sasl_iam$/),
    );
    const [vpc] = apache.vpc;
    expect(
      vpc.subnets.references.filter((r) => /^aws_subnet\.network_private-subnet-[\w-]+\.id$/.test(r)),
    ).toHaveLength(3);
    expect(vpc.security_groups.references).toContainEqual(
      expect.stringMatching(/^aws_security_group\.security-groups_connect_\w+\.id$/),
    );
  });

  it("plans the custom plugin from the artifact and the worker configuration", () => {
    expect(only("aws_mskconnect_custom_plugin").values).toMatchObject({
      content_type: "ZIP",
      location: [
        {
          s3: [
            {
              bucket_arn: "arn:aws:s3:::acme-connect-plugins-333333333333",
              file_key: "confluentinc-kafka-connect-s3-10.5.13.zip",
            },
          ],
        },
      ],
    });
    expect(only("aws_mskconnect_worker_configuration").values.properties_file_content).toContain(
      "value.converter.schemas.enable=true",
    );
  });

  it("plans server access logging of the sink bucket into an SSE-S3 log bucket", () => {
    expect(only("aws_s3_bucket_logging").values).toMatchObject({ target_prefix: "s3-access-logs/sink/" });
    const buckets = of("aws_s3_bucket").map((b) => b.values.bucket);
    expect(buckets.sort()).toEqual([
      "msk-platform-prod-sink-333333333333-eu-west-1",
      "msk-platform-prod-sink-logs-333333333333-eu-west-1",
    ]);
    const algorithms = of("aws_s3_bucket_server_side_encryption_configuration").map(
      (e) =>
        (e.values.rule as { apply_server_side_encryption_by_default: { sse_algorithm: string }[] }[])[0]
          .apply_server_side_encryption_by_default[0].sse_algorithm,
    );
    expect(algorithms.sort()).toEqual(["AES256", "aws:kms"]);
  });

  it("plans the execution role with the trust policy pinned to this account's connector", () => {
    const role = of("aws_iam_role").find((r) => r.values.name === "msk-platform-prod-msk-connect");
    const trust = JSON.parse(role?.values.assume_role_policy as string) as {
      Statement: { Principal: unknown; Condition: unknown }[];
    };
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Principal).toEqual({ Service: "kafkaconnect.amazonaws.com" });
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "333333333333" },
      ArnLike: {
        "aws:SourceArn": "arn:aws:kafkaconnect:eu-west-1:333333333333:connector/msk-platform-prod-s3-sink/*",
      },
    });
  });

  it("outputs the connector ARN, the log bucket and the log group", () => {
    expect(Object.keys(plan.output_changes ?? {})).toEqual(
      expect.arrayContaining([
        "connector_arn",
        "access_log_bucket_name",
        "connect_log_group_name",
        "connect_execution_role_arn",
        "sink_bucket_name",
        "sink_bucket_arn",
      ]),
    );
    expect(plan.planned_values?.outputs?.access_log_bucket_name?.value).toBe(
      "msk-platform-prod-sink-logs-333333333333-eu-west-1",
    );
    expect(plan.planned_values?.outputs?.connect_log_group_name?.value).toBe(
      "/aws/mskconnect/msk-platform-prod",
    );
  });
});
