/**
 * Flink applications and the Glue Schema Registry on the synthesized Terraform: what a reviewer checks. prod
 * runs the Flink application "balances" and a registry of three schemas; staging has a registry of one.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import {
  type SchemaRegistryAccess,
  schemaConsumerStatements,
  schemaProducerStatements,
} from "../modules/schema-registry/schema-access";
import type { EnvironmentConfig, FlinkApplicationConfig } from "../stacks/config";
import { PolicyPack } from "../stacks/policy";
import { projectRoot } from "../stacks/project-root";
import { buildStack, ENVIRONMENTS, resourcesOf, synthJson, type TerraformJson } from "./support/synth";

const { dev, staging, prod } = ENVIRONMENTS;
const prodJson = synthJson(prod);
const stagingJson = synthJson(staging);
const devJson = synthJson(dev);

type Resource = Record<string, unknown>;
interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

/** The one resource of a type whose Terraform name contains `fragment`, with its name. */
function named(json: TerraformJson, type: string, fragment: string): [string, Resource] {
  const hits = Object.entries(resourcesOf(json, type)).filter(([name]) => name.includes(fragment));
  if (hits.length !== 1) throw new Error(`expected one ${type} named *${fragment}*, found ${hits.length}`);
  return hits[0];
}
const address = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;
const statements = (document: unknown): Statement[] =>
  (JSON.parse(String(document)) as { Statement: Statement[] }).Statement;
const first = <T>(value: unknown): T => (Array.isArray(value) ? value[0] : value) as T;

const prodApp = (prod.consumers?.flink ?? [])[0] as FlinkApplicationConfig;
const withApp = (config: EnvironmentConfig, changes: Partial<FlinkApplicationConfig>): EnvironmentConfig => ({
  ...config,
  consumers: { flink: [{ ...prodApp, ...changes }] },
});

describe("the Flink application of prod", () => {
  const [, app] = named(prodJson, "aws_kinesisanalyticsv2_application", "flink_balances");
  const config = first<Resource>(app.application_configuration);
  const [roleName, role] = named(prodJson, "aws_iam_role", "flink_balances");
  const [groupName] = named(prodJson, "aws_security_group", "flink_balances");
  const [logGroupName, logGroup] = named(prodJson, "aws_cloudwatch_log_group", "flink_balances");
  const [streamName, stream] = named(prodJson, "aws_cloudwatch_log_stream", "flink_balances");

  it("runs the declared JAR from S3 on the declared runtime, started, in streaming mode", () => {
    expect(app).toMatchObject({
      name: "msk-platform-prod-balances",
      runtime_environment: "FLINK-1_20",
      application_mode: "STREAMING",
      start_application: true,
      service_execution_role: address("aws_iam_role", roleName, "arn"),
      description: "Flink application balances of msk-platform-prod",
      lifecycle: { prevent_destroy: true },
    });
    expect(first<Resource>(config.application_code_configuration)).toEqual({
      code_content_type: "ZIPFILE",
      code_content: {
        s3_content_location: {
          bucket_arn: "arn:aws:s3:::acme-flink-apps-333333333333",
          file_key: "payments-balances/payments-balances-1.0.0.jar",
        },
      },
    });
  });

  it("sets checkpoints, parallelism (per KPU, autoscaling), monitoring and snapshots explicitly", () => {
    expect(first<Resource>(config.flink_application_configuration)).toEqual({
      checkpoint_configuration: {
        configuration_type: "CUSTOM",
        checkpointing_enabled: true,
        checkpoint_interval: 60000,
        min_pause_between_checkpoints: 5000,
      },
      monitoring_configuration: {
        configuration_type: "CUSTOM",
        log_level: "INFO",
        metrics_level: "APPLICATION",
      },
      parallelism_configuration: {
        configuration_type: "CUSTOM",
        auto_scaling_enabled: true,
        parallelism: 2,
        parallelism_per_kpu: 1,
      },
    });
    expect(config.application_snapshot_configuration).toEqual({ snapshots_enabled: true });
    expect(config.run_configuration).toEqual({
      application_restore_configuration: { application_restore_type: "RESTORE_FROM_LATEST_SNAPSHOT" },
      flink_run_configuration: { allow_non_restored_state: false },
    });
  });

  it("runs in the private subnets behind its own group, and tells the code where its topics are", () => {
    const vpc = first<Resource>(config.vpc_configuration);
    expect(vpc.security_group_ids).toEqual([address("aws_security_group", groupName, "id")]);
    expect(vpc.subnet_ids).toEqual(prodJson.output?.private_subnet_ids.value);
    const groups = first<Resource>(config.environment_properties).property_group as Resource[];
    expect(groups).toEqual([
      {
        property_group_id: "msk-platform",
        property_map: {
          "bootstrap.servers": expect.stringMatching(
            /^\$\{aws_msk_cluster\.msk_cluster_[0-9A-F]+\.bootstrap_brokers_sasl_iam\}$/,
          ),
          "security.protocol": "SASL_SSL",
          "sasl.mechanism": "AWS_MSK_IAM",
          "input.topics": "payments.settled",
          "output.topics": "payments.balances",
          "transactional.id.prefix": "msk-platform-prod-balances",
          "group.id": "payments-balances",
          "aws.region": "eu-west-1",
          "schema.registry.name": "msk-platform-prod",
          "schema.names": "payments.settled,payments.balances",
        },
      },
    ]);
  });

  it("logs to its own stream of a KMS-encrypted log group with a year's retention", () => {
    expect(logGroup).toMatchObject({
      name: "/aws/kinesis-analytics/msk-platform-prod-balances",
      retention_in_days: 365,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.logs-key_[0-9A-F]+\.arn\}$/),
      lifecycle: { prevent_destroy: true },
    });
    expect(stream.log_group_name).toBe(address("aws_cloudwatch_log_group", logGroupName, "name"));
    expect(app.cloudwatch_logging_options).toEqual({
      log_stream_arn: address("aws_cloudwatch_log_stream", streamName, "arn"),
    });
  });

  it("is trusted by Managed Service for Apache Flink for this application of this account only", () => {
    expect(statements(role.assume_role_policy)).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "kinesisanalytics.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": "333333333333" },
          ArnLike: {
            "aws:SourceArn":
              "arn:aws:kinesisanalytics:eu-west-1:333333333333:application/msk-platform-prod-balances",
          },
        },
      },
    ]);
  });

  it("reads exactly its input topic in its group, writes exactly its output topic, and uses its schemas", () => {
    const [, policy] = named(prodJson, "aws_iam_role_policy", "flink_balances");
    const bySid = Object.fromEntries(statements(policy.policy).map((s) => [s.Sid, s]));
    const scoped = (kind: string, name: string) =>
      expect.stringMatching(
        new RegExp(
          `^arn:aws:kafka:eu-west-1:333333333333:${kind}/\\$\\{aws_msk_cluster\\.msk_cluster_[0-9A-F]+\\.cluster_name\\}/\\$\\{aws_msk_cluster\\.msk_cluster_[0-9A-F]+\\.cluster_uuid\\}/${name.replace(/[.*]/g, "\\$&")}$`,
        ),
      );
    expect(Object.keys(bySid)).toEqual([
      "ReadApplicationCode",
      "ConnectToCluster",
      "ReadInputTopics",
      "UseConsumerGroup",
      "WriteOutputTopics",
      "ExactlyOnceTransactions",
      "WriteApplicationLogs",
      "FindLogGroup",
      "DescribeVpc",
      "CreateApplicationInterfaces",
      "ManageApplicationInterfaces",
      "ReadSchemaVersionsById",
      "LookUpDeclaredSchemas",
    ]);
    expect(bySid.ReadApplicationCode).toMatchObject({
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::acme-flink-apps-333333333333/payments-balances/payments-balances-1.0.0.jar",
    });
    expect(bySid.ReadInputTopics.Resource).toEqual([scoped("topic", "payments.settled")]);
    expect(bySid.UseConsumerGroup.Resource).toEqual(scoped("group", "payments-balances"));
    expect(bySid.WriteOutputTopics.Resource).toEqual([scoped("topic", "payments.balances")]);
    expect(bySid.ExactlyOnceTransactions.Resource).toEqual(
      scoped("transactional-id", "msk-platform-prod-balances*"),
    );
    expect(bySid.LookUpDeclaredSchemas.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_glue_registry\./),
      expect.stringMatching(/^\$\{aws_glue_schema\.schema-registry_schema-payments_settled_/),
      expect.stringMatching(/^\$\{aws_glue_schema\.schema-registry_schema-payments_balances_/),
    ]);
    // ENIs only in its subnets and with its group; "*" only for read-only EC2 and the schema read by id.
    expect([bySid.CreateApplicationInterfaces.Resource].flat()).toEqual(
      expect.arrayContaining([
        "arn:aws:ec2:eu-west-1:333333333333:network-interface/*",
        `arn:aws:ec2:eu-west-1:333333333333:security-group/${address("aws_security_group", groupName, "id")}`,
      ]),
    );
    const starred = statements(policy.policy).filter((s) => [s.Resource].flat().includes("*"));
    expect(starred.map((s) => s.Sid)).toEqual(["DescribeVpc", "ReadSchemaVersionsById"]);
    expect(
      starred
        .flatMap((s) => [s.Action].flat())
        .every((a) => /^(ec2:Describe|glue:GetSchemaVersion$)/.test(a)),
    ).toBe(true);
  });

  it("reaches the brokers on 9098 only, and Glue through the interface endpoint only", () => {
    const rules = (type: string) =>
      Object.values(resourcesOf(prodJson, type)).filter((r) =>
        [r.security_group_id, r.referenced_security_group_id].includes(
          address("aws_security_group", groupName, "id"),
        ),
      );
    const [endpointGroup] = named(prodJson, "aws_security_group", "glue-endpoint");
    const [broker] = named(prodJson, "aws_security_group", "security-groups_broker");
    const ports = (rs: Resource[], other: string) =>
      rs
        .filter((r) =>
          [r.security_group_id, r.referenced_security_group_id].includes(
            address("aws_security_group", other, "id"),
          ),
        )
        .map((r) => `${r.from_port}-${r.to_port}`);
    const ingress = rules("aws_vpc_security_group_ingress_rule");
    const egress = rules("aws_vpc_security_group_egress_rule");
    expect(ports(ingress, broker)).toEqual(["9098-9098"]);
    expect(ports(egress, broker)).toEqual(["9098-9098"]);
    expect(ports(ingress, endpointGroup)).toEqual(["443-443"]);
    expect(ports(egress, endpointGroup)).toEqual(["443-443"]);
    expect(ingress).toHaveLength(2);
    expect(egress).toHaveLength(2);
    const [, endpoint] = named(prodJson, "aws_vpc_endpoint", "glue-endpoint");
    expect(endpoint).toMatchObject({
      service_name: "com.amazonaws.eu-west-1.glue",
      vpc_endpoint_type: "Interface",
      private_dns_enabled: true,
      subnet_ids: prodJson.output?.private_subnet_ids.value,
      security_group_ids: [address("aws_security_group", endpointGroup, "id")],
    });
  });

  it("is exported by name", () => {
    expect(prodJson.output?.flink_application_arns.value).toEqual({
      balances: expect.stringMatching(
        /^\$\{aws_kinesisanalyticsv2_application\.flink_balances_application_[0-9A-F]+\.arn\}$/,
      ),
    });
  });
});

describe("Flink variants", () => {
  it("is created stopped when declared stopped, and restores nothing without snapshots", () => {
    const json = synthJson(withApp(prod, { running: false, snapshots: false }));
    const [, app] = named(json, "aws_kinesisanalyticsv2_application", "flink_balances");
    const config = first<Resource>(app.application_configuration);
    expect(app.start_application).toBe(false);
    expect(config.application_snapshot_configuration).toEqual({ snapshots_enabled: false });
    expect(first<Resource>(config.run_configuration).application_restore_configuration).toEqual({
      application_restore_type: "SKIP_RESTORE_FROM_SNAPSHOT",
    });
  });

  it("reads only, without schemas: no write, transaction, Glue statements, and no Glue endpoint", () => {
    const json = synthJson(withApp(prod, { outputTopics: [], schemas: [] }));
    const [, policy] = named(json, "aws_iam_role_policy", "flink_balances");
    const sids = statements(policy.policy).map((s) => s.Sid);
    expect(sids).not.toEqual(expect.arrayContaining(["WriteOutputTopics"]));
    expect(sids.filter((s) => /Write(Output|Data)|Transactions|Schema/.test(String(s)))).toEqual([]);
    expect(Object.keys(resourcesOf(json, "aws_vpc_endpoint")).filter((n) => n.includes("glue"))).toEqual([]);
  });

  it("in an existing VPC, adds no Glue endpoint (the VPC owner's path to Glue is used)", () => {
    const existing: EnvironmentConfig = {
      ...prod,
      network: {
        mode: "existing",
        vpcId: "vpc-0123456789abcdef0",
        cidr: "10.30.0.0/16",
        privateSubnets: [
          { id: "subnet-0a1a1a1a1a1a1a1a1", availabilityZone: "eu-west-1a" },
          { id: "subnet-0b2b2b2b2b2b2b2b2", availabilityZone: "eu-west-1b" },
          { id: "subnet-0c3c3c3c3c3c3c3c3", availabilityZone: "eu-west-1c" },
        ],
      },
      consumers: { flink: [{ ...prodApp, additionalSecurityGroupIds: ["sg-0123456789abcdef0"] }] },
    };
    const json = synthJson(existing);
    expect(resourcesOf(json, "aws_vpc_endpoint")).toEqual({});
    const [, app] = named(json, "aws_kinesisanalyticsv2_application", "flink_balances");
    const vpc = first<Resource>(first<Resource>(app.application_configuration).vpc_configuration);
    expect(vpc.subnet_ids).toEqual([
      "subnet-0a1a1a1a1a1a1a1a1",
      "subnet-0b2b2b2b2b2b2b2b2",
      "subnet-0c3c3c3c3c3c3c3c3",
    ]);
    expect(vpc.security_group_ids).toEqual([
      expect.stringMatching(/^\$\{aws_security_group\.flink_balances/),
      "sg-0123456789abcdef0",
    ]);
  });

  it("outside production, logs kept less than a year are the file's declared choice, not a violation", () => {
    const stack = buildStack(
      withApp(staging, {
        inputTopics: ["orders.created"],
        outputTopics: [],
        consumerGroup: "orders-enricher",
        schemas: ["orders.created"],
        logging: { retentionDays: 30 },
      }),
    );
    Testing.synth(stack);
    const findings = PolicyPack.of(stack)?.report?.findings ?? [];
    expect(findings.filter((f) => f.status === "violation")).toEqual([]);
    expect(findings.filter((f) => f.ruleId === "MSKP-LOG-001")).toEqual([
      expect.objectContaining({
        status: "excepted",
        constructPath: "staging/flink/balances/log-group",
        exceptionReason:
          "environments/staging.ts sets consumers.flink[0].logging.retentionDays 30: Flink application logs kept less than a year by choice",
      }),
    ]);
  });

  it("has none where none is declared", () => {
    expect(resourcesOf(devJson, "aws_kinesisanalyticsv2_application")).toEqual({});
    expect(resourcesOf(stagingJson, "aws_kinesisanalyticsv2_application")).toEqual({});
  });
});

describe("the schema registry", () => {
  it("staging: one registry named after the environment, its schema's definition read from the repository", () => {
    const [registryName, registry] = named(stagingJson, "aws_glue_registry", "schema-registry");
    expect(registry).toMatchObject({
      registry_name: "msk-platform-staging",
      description: "Schemas of the msk-platform-staging MSK platform",
      lifecycle: { prevent_destroy: false },
    });
    const schemas = Object.values(resourcesOf(stagingJson, "aws_glue_schema"));
    expect(schemas).toEqual([
      {
        schema_name: "orders.created",
        registry_arn: address("aws_glue_registry", registryName, "arn"),
        data_format: "AVRO",
        compatibility: "BACKWARD",
        description: "Declared in schemas/orders-created.avsc",
        schema_definition: readFileSync(join(projectRoot(), "schemas/orders-created.avsc"), "utf8"),
        lifecycle: { prevent_destroy: false },
      },
    ]);
    expect(stagingJson.output?.schema_registry_name.value).toBe(
      address("aws_glue_registry", registryName, "registry_name"),
    );
  });

  it("prod: registry and schemas are protected (their versions decode every record written with them)", () => {
    const [, registry] = named(prodJson, "aws_glue_registry", "schema-registry");
    expect(registry.lifecycle).toEqual({ prevent_destroy: true });
    const schemas = Object.values(resourcesOf(prodJson, "aws_glue_schema"));
    expect(schemas.map((s) => [s.schema_name, s.data_format, s.compatibility]).sort()).toEqual([
      ["orders.created", "AVRO", "BACKWARD"],
      ["payments.balances", "PROTOBUF", "FULL"],
      ["payments.settled", "AVRO", "BACKWARD"],
    ]);
    for (const schema of schemas) expect(schema.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("a schema whose versions producers register: the file is version 1, producers may register on it only", () => {
    const schemas = staging.schemaRegistry?.schemas ?? [];
    const json = synthJson({
      ...staging,
      schemaRegistry: {
        schemas: [
          { ...schemas[0], versions: "producers" },
          { ...schemas[0], name: "orders.cancelled" },
        ],
      },
    });
    const [, produced] = named(json, "aws_glue_schema", "schema-orders_created");
    expect(produced.lifecycle).toEqual({ prevent_destroy: false, ignore_changes: ["schema_definition"] });
    const [, producer] = named(json, "aws_iam_policy", "client-policies_producer");
    const register = statements(producer.policy).find((s) => s.Sid === "RegisterSchemaVersions");
    expect(register?.Action).toEqual(["glue:RegisterSchemaVersion", "glue:PutSchemaVersionMetadata"]);
    expect(register?.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_glue_registry\./),
      expect.stringMatching(/^\$\{aws_glue_schema\.schema-registry_schema-orders_created_/),
    ]);
    expect(statements(producer.policy).flatMap((s) => [s.Action].flat())).not.toContain("glue:CreateSchema");
  });

  it("none where none is declared", () => {
    expect(resourcesOf(devJson, "aws_glue_registry")).toEqual({});
    expect(devJson.output?.schema_registry_arn).toBeUndefined();
  });
});

describe("schema access statements (for the Lambda consumers' roles)", () => {
  const access: SchemaRegistryAccess = {
    registryArn: "arn:aws:glue:eu-west-1:111111111111:registry/r",
    schemaArns: {
      a: "arn:aws:glue:eu-west-1:111111111111:schema/r/a",
      b: "arn:aws:glue:eu-west-1:111111111111:schema/r/b",
    },
    producerRegistered: ["b"],
  };

  it("consumers read versions by id; producers look up their schemas and register only where declared", () => {
    expect(schemaConsumerStatements(access)).toEqual([
      { Sid: "ReadSchemaVersionsById", Effect: "Allow", Action: "glue:GetSchemaVersion", Resource: "*" },
    ]);
    expect(schemaProducerStatements(access, ["a"]).map((s) => s.Sid)).toEqual([
      "ReadSchemaVersionsById",
      "LookUpDeclaredSchemas",
    ]);
    expect(schemaProducerStatements(access).at(-1)).toEqual({
      Sid: "RegisterSchemaVersions",
      Effect: "Allow",
      Action: ["glue:RegisterSchemaVersion", "glue:PutSchemaVersionMetadata"],
      Resource: [access.registryArn, access.schemaArns.b],
    });
    expect(() => schemaConsumerStatements(access, ["c"])).toThrow(
      'schema "c" is not a schema of the registry',
    );
  });
});
