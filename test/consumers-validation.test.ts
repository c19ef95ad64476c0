/**
 * Validation of `consumers.flink` and `schemaRegistry`: each rule fed one bad value, with the line a user
 * sees (file, field, value, what is allowed). Schema files come from a temporary repository root, so every
 * parsing check runs on a real file.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  EnvironmentConfig,
  FlinkApplicationConfig,
  ProvisionedClusterConfig,
  RegistrySchemaConfig,
} from "../stacks/config";
import { projectRoot } from "../stacks/project-root";
import { checkEnvironment } from "../stacks/validation";
import { formatIssue, formatWarning } from "../stacks/validation/checker";
import { creatableFlinkRuntimes, FLINK_RUNTIMES } from "../stacks/validation/flink-runtimes";
import { checkSchemaDefinition } from "../stacks/validation/schema-definitions";
import { ENVIRONMENTS } from "./support/synth";

const { staging, prod } = ENVIRONMENTS;
const FILE = "environments/prod.ts";
const root = mkdtempSync(join(tmpdir(), "msk-schemas-"));
mkdirSync(join(root, "schemas"));
const write = (name: string, text: string) => writeFileSync(join(root, "schemas", name), text);
// The example environments' own definitions, so variants of prod and staging validate against this root too.
for (const schema of [...(prod.schemaRegistry?.schemas ?? []), ...(staging.schemaRegistry?.schemas ?? [])])
  writeFileSync(join(root, schema.file), readFileSync(join(projectRoot(), schema.file), "utf8"));

/** Error and warning lines of a config validated against the temporary repository root. */
function check(config: EnvironmentConfig, base = root) {
  const { issues, warnings } = checkEnvironment(config, config.name, {
    today: "2026-11-30",
    projectRoot: base,
  });
  return {
    errors: issues.map((i) => formatIssue(`environments/${config.name}.ts`, i)),
    warnings: warnings.map((w) => formatWarning(`environments/${config.name}.ts`, w)),
  };
}
const errors = (config: EnvironmentConfig, base = root) => check(config, base).errors;

const prodApp = (prod.consumers?.flink ?? [])[0];
/** prod with its Flink application changed. */
const withApp = (changes: Partial<FlinkApplicationConfig>): EnvironmentConfig => ({
  ...prod,
  consumers: { flink: [{ ...prodApp, ...changes } as FlinkApplicationConfig] },
});
/** staging whose only schema is `schema` (files under the temporary root). */
const withSchema = (schema: Partial<RegistrySchemaConfig>): EnvironmentConfig => ({
  ...staging,
  schemaRegistry: {
    schemas: [
      {
        name: "orders.created",
        dataFormat: "AVRO",
        compatibility: "BACKWARD",
        file: "schemas/orders.avsc",
        ...schema,
      } as RegistrySchemaConfig,
    ],
  },
});

write(
  "orders.avsc",
  JSON.stringify({ type: "record", name: "Order", fields: [{ name: "id", type: "string" }] }),
);

describe("the example environments", () => {
  it.each(Object.keys(ENVIRONMENTS))("%s validates with its schema files and Flink applications", (name) => {
    expect(check(ENVIRONMENTS[name], projectRoot()).errors).toEqual([]);
    expect(check(ENVIRONMENTS[name], projectRoot()).warnings).toEqual([]);
  });
});

describe("consumers.flink", () => {
  it("accepts only runtimes the API model, the pinned provider and AWS's support dates all allow", () => {
    expect(creatableFlinkRuntimes()).toEqual(["FLINK-1_15", "FLINK-1_18", "FLINK-1_19", "FLINK-1_20"]);
    expect(errors(withApp({ runtime: "FLINK-1_13" }))).toEqual([
      `${FILE}: consumers.flink[0].runtime: got "FLINK-1_13"; reached end of support in 2025-10-16 and AWS no longer creates applications on it (${FLINK_RUNTIMES.find((r) => r.runtime === "FLINK-1_13")?.source}); use FLINK-1_15, FLINK-1_18, FLINK-1_19, FLINK-1_20 (table of 2026-11-30)`,
    ]);
    expect(errors(withApp({ runtime: "FLINK-2_2" }))).toEqual([
      `${FILE}: consumers.flink[0].runtime: got "FLINK-2_2"; is accepted by AWS, but the pinned provider hashicorp/aws 5.100.0 refuses it at plan; use FLINK-1_15, FLINK-1_18, FLINK-1_19, FLINK-1_20`,
    ]);
    expect(errors(withApp({ runtime: "ZEPPELIN-FLINK-3_0" }))).toEqual([
      `${FILE}: consumers.flink[0].runtime: got "ZEPPELIN-FLINK-3_0"; must be a Managed Service for Apache Flink runtime: FLINK-1_15, FLINK-1_18, FLINK-1_19, FLINK-1_20`,
    ]);
  });

  it("reads and writes declared topics only, and names a valid group", () => {
    expect(errors(withApp({ inputTopics: ["payments.refunded"] }))).toEqual([
      `${FILE}: consumers.flink[0].inputTopics[0]: got "payments.refunded"; must be a declared topic (orders.created, payments.settled, payments.balances): declare it in topics or fix the name`,
    ]);
    expect(errors(withApp({ inputTopics: [] }))).toEqual([
      `${FILE}: consumers.flink[0].inputTopics: got []; must list at least one topic`,
    ]);
    expect(errors(withApp({ outputTopics: ["payments balances"] }))).toEqual([
      `${FILE}: consumers.flink[0].outputTopics[0]: got "payments balances"; may contain only letters, digits, '.', '_' and '-'`,
    ]);
    expect(errors(withApp({ consumerGroup: "payments*" }))).toEqual([
      `${FILE}: consumers.flink[0].consumerGroup: got "payments*"; may contain only letters, digits, '.', '_' and '-' (a consumer group id)`,
    ]);
  });

  it("keeps parallelism, checkpoints and logs within the API's limits", () => {
    expect(errors(withApp({ parallelism: { parallelism: 0, parallelismPerKpu: 9 } }))).toEqual([
      `${FILE}: consumers.flink[0].parallelism.parallelism: got 0; must be an integer >= 1`,
      `${FILE}: consumers.flink[0].parallelism.parallelismPerKpu: got 9; must be an integer between 1 and 8`,
    ]);
    expect(errors(withApp({ checkpoints: { intervalMs: 0, minPauseMs: -1 } }))).toEqual([
      `${FILE}: consumers.flink[0].checkpoints.intervalMs: got 0; must be an integer >= 1`,
      `${FILE}: consumers.flink[0].checkpoints.minPauseMs: got -1; must be an integer >= 0`,
    ]);
    const logs = errors(withApp({ logging: { level: "TRACE" as "INFO", retentionDays: 500 } }));
    expect(logs[0]).toBe(
      `${FILE}: consumers.flink[0].logging.level: got "TRACE"; must be one of "INFO", "WARN", "ERROR", "DEBUG"`,
    );
    expect(logs[1]).toMatch(
      /^environments\/prod\.ts: consumers\.flink\[0\]\.logging\.retentionDays: got 500; must be a retention CloudWatch Logs accepts: /,
    );
  });

  it("warns, without refusing, above the default KPU quota", () => {
    const { errors: e, warnings } = check(
      withApp({ parallelism: { parallelism: 130, parallelismPerKpu: 2 } }),
    );
    expect(e).toEqual([]);
    expect(warnings).toEqual([
      `${FILE}: consumers.flink[0].parallelism.parallelism: got 130; needs 65 KPUs, above the default quota of 64 KPUs per application: request a raise in Service Quotas first, or the application fails to start`,
    ]);
  });

  it("refuses names whose role would pass IAM's 64 characters, and repeated names", () => {
    const long = "payments-balances-with-a-very-long-suffix-name";
    expect(errors(withApp({ name: long }))).toEqual([
      `${FILE}: consumers.flink[0].name: got "${long}"; must be at most 40 characters: its execution role "msk-platform-prod-flink-${long}" exceeds IAM's 64`,
    ]);
    expect(errors({ ...prod, consumers: { flink: [prodApp, prodApp] } })).toEqual([
      `${FILE}: consumers.flink[1].name: got "balances"; is declared twice (also consumers.flink[0])`,
    ]);
  });

  it("checks runtime properties and keeps the platform's group for the platform", () => {
    expect(
      errors(
        withApp({
          properties: {
            "msk-platform": { x: "y" },
            "bad group!": { x: "y" },
            empty: {},
            sink: { "bucket.name": "" },
          },
        }),
      ),
    ).toEqual([
      `${FILE}: consumers.flink[0].properties.msk-platform: got "msk-platform"; is the platform's own group (bootstrap servers, topics, group id): use another id`,
      `${FILE}: consumers.flink[0].properties.bad group!: got "bad group!"; must be a property group id of 1-50 letters, digits, '_', '.' or '-'`,
      `${FILE}: consumers.flink[0].properties.empty: got "0 properties"; must hold 1-50 properties`,
      `${FILE}: consumers.flink[0].properties.sink.bucket.name: got ""; must be a string of 1-2048 characters`,
    ]);
  });

  it("names only declared schemas, and only with a registry", () => {
    expect(errors(withApp({ schemas: ["payments.refunded"] }))).toEqual([
      `${FILE}: consumers.flink[0].schemas[0]: got "payments.refunded"; must be a schema of schemaRegistry.schemas (orders.created, payments.settled, payments.balances)`,
    ]);
    expect(errors({ ...withApp({}), schemaRegistry: undefined })).toEqual([
      `${FILE}: consumers.flink[0].schemas[0]: got "payments.settled"; names a schema, but the environment has no schemaRegistry: declare the registry and the schema`,
      `${FILE}: consumers.flink[0].schemas[1]: got "payments.balances"; names a schema, but the environment has no schemaRegistry: declare the registry and the schema`,
    ]);
  });

  it("checks the code location and the extra security groups", () => {
    expect(
      errors(
        withApp({
          code: { bucketArn: "arn:aws-cn:s3:::acme-flink-apps", fileKey: "" },
          additionalSecurityGroupIds: [
            "sg-0123456789abcdef0",
            "sg-0123456789abcdef1",
            "sg-0123456789abcdef2",
            "sg-0123456789abcdef3",
            "sg-0123456789abcdef4",
          ],
        }),
      ),
    ).toEqual([
      `${FILE}: consumers.flink[0].code.bucketArn: got "arn:aws-cn:s3:::acme-flink-apps"; must be in the environment's partition "aws"`,
      `${FILE}: consumers.flink[0].code.fileKey: got ""; must be an object key of 1-1024 characters, e.g. "order-enricher/order-enricher-1.4.2.jar"`,
      `${FILE}: consumers.flink[0].additionalSecurityGroupIds: got ["sg-0123456789abcdef0","sg-0123456789abcdef1","sg-0123456789abcdef2","sg-012...; must list at most 4 groups (the API takes 5; one is the application's own)`,
    ]);
  });

  it("needs IAM authentication on the cluster", () => {
    const noIam: EnvironmentConfig = {
      ...prod,
      cluster: {
        ...(prod.cluster as ProvisionedClusterConfig),
        auth: { iam: false, scram: { users: ["etl"] } },
      },
      sharing: undefined,
    };
    expect(errors(noIam)).toContain(
      `${FILE}: cluster.auth.iam: got false; must be true (with TLS to clients) while consumers.flink is set: Flink applications authenticate with their IAM role on 9098`,
    );
  });
});

describe("schemaRegistry", () => {
  const STAGING = "environments/staging.ts";

  it("needs the file, inside the repository, with the extension of its format", () => {
    expect(errors(withSchema({ file: "schemas/missing.avsc" }))).toEqual([
      `${STAGING}: schemaRegistry.schemas[0].file: got "schemas/missing.avsc"; must name an existing file of the repository (the schema definition)`,
    ]);
    expect(errors(withSchema({ file: "../outside.avsc" }))).toEqual([
      `${STAGING}: schemaRegistry.schemas[0].file: got "../outside.avsc"; must name a file inside the repository`,
    ]);
    expect(errors(withSchema({ file: "/etc/passwd" }))).toEqual([
      `${STAGING}: schemaRegistry.schemas[0].file: got "/etc/passwd"; must be relative to the repository root, e.g. "schemas/orders.avsc"`,
    ]);
    expect(errors(withSchema({ dataFormat: "PROTOBUF" }))).toEqual([
      `${STAGING}: schemaRegistry.schemas[0].file: got "schemas/orders.avsc"; must end in ".proto" for dataFormat PROTOBUF`,
    ]);
  });

  it("takes the API's formats and compatibility modes, unique names Glue and the provider accept", () => {
    expect(
      errors(withSchema({ dataFormat: "XML" as "AVRO", compatibility: "BACKWARDS" as "BACKWARD" })),
    ).toEqual([
      `${STAGING}: schemaRegistry.schemas[0].dataFormat: got "XML"; must be one of "AVRO", "JSON", "PROTOBUF"`,
      `${STAGING}: schemaRegistry.schemas[0].compatibility: got "BACKWARDS"; must be one of "NONE", "DISABLED", "BACKWARD", "BACKWARD_ALL", "FORWARD", "FORWARD_ALL", "FULL", "FULL_ALL"`,
    ]);
    // (staging's Lambda consumer names the schema, so the renamed one is also reported as a missing reference.)
    expect(errors(withSchema({ name: "orders." })).filter((e) => e.includes(": schemaRegistry."))).toEqual([
      `${STAGING}: schemaRegistry.schemas[0].name: got "orders."; must end in a letter, digit, '-', '_', '$' or '#' (hashicorp/aws 5.100 refuses a trailing '.')`,
    ]);
    expect(errors(withSchema({ name: "orders created" })).join("\n")).toContain("Glue schema name");
    const twice = withSchema({});
    const schemas = twice.schemaRegistry?.schemas ?? [];
    expect(errors({ ...twice, schemaRegistry: { schemas: [...schemas, ...schemas] } })).toEqual([
      `${STAGING}: schemaRegistry.schemas[1].name: got "orders.created"; is declared twice (also schemaRegistry.schemas[0]): declare each schema once`,
    ]);
  });

  it("parses Avro as Avro: unknown types, bad defaults and unnamed records are refused", () => {
    write(
      "unknown-type.avsc",
      JSON.stringify({ type: "record", name: "A", fields: [{ name: "a", type: "strin" }] }),
    );
    write(
      "bad-default.avsc",
      JSON.stringify({ type: "record", name: "A", fields: [{ name: "a", type: "int", default: "x" }] }),
    );
    write("not-json.avsc", "{ type: record }");
    const avro = (file: string) => errors(withSchema({ file: `schemas/${file}` }));
    expect(avro("unknown-type.avsc")[0]).toMatch(
      /schemaRegistry\.schemas\[0\]\.file: got "schemas\/unknown-type\.avsc"; is not a valid Avro schema: .*strin.* \(dataFormat AVRO\)$/,
    );
    expect(avro("bad-default.avsc")[0]).toMatch(/is not a valid Avro schema: .*default/);
    expect(avro("not-json.avsc")[0]).toMatch(/is not valid JSON/);
  });

  it("parses JSON Schema for the drafts Glue validates", () => {
    write(
      "draft2020.json",
      JSON.stringify({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" }),
    );
    write("bad-type.json", JSON.stringify({ type: "object", properties: { a: { type: "text" } } }));
    write(
      "ok.json",
      JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", required: ["a"] }),
    );
    const json = (file: string) => errors(withSchema({ dataFormat: "JSON", file: `schemas/${file}` }));
    expect(json("draft2020.json")[0]).toContain(
      'declares $schema "https://json-schema.org/draft/2020-12/schema"; the Glue Schema Registry validates draft-04, draft-06 and draft-07 only',
    );
    expect(json("bad-type.json")[0]).toContain(
      "is not a valid JSON Schema: (root).properties.a.type must be one of array, boolean, integer, null, number, object, string",
    );
    expect(json("ok.json")).toEqual([]);
  });

  it("parses Protobuf: syntax errors, unknown types, editions, extensions and groups are refused", () => {
    write("syntax.proto", 'syntax = "proto3";\nmessage A { int32 a = 1 }\n');
    write("unknown.proto", 'syntax = "proto3";\nmessage A { Missing m = 1; }\n');
    write("editions.proto", 'edition = "2023";\nmessage A { int32 a = 1; }\n');
    write("extend.proto", 'syntax = "proto2";\nmessage A { extensions 100 to 199; }\n');
    write(
      "group.proto",
      'syntax = "proto2";\nmessage A { optional group G = 1 { optional int32 x = 2; } }\n',
    );
    write(
      "wkt.proto",
      'syntax = "proto3";\nimport "google/protobuf/timestamp.proto";\nmessage A { google.protobuf.Timestamp at = 1; }\n',
    );
    write(
      "foreign.proto",
      'syntax = "proto3";\nimport "acme/common.proto";\nmessage A { acme.Money m = 1; }\n',
    );
    const proto = (file: string) => check(withSchema({ dataFormat: "PROTOBUF", file: `schemas/${file}` }));
    expect(proto("syntax.proto").errors[0]).toMatch(/is not a valid \.proto file: illegal token '}'/);
    expect(proto("unknown.proto").errors[0]).toMatch(/does not resolve: no such Type or Enum 'Missing'/);
    expect(proto("editions.proto").errors[0]).toMatch(
      /(declares edition "2023"|is not a valid \.proto file)/,
    );
    expect(proto("extend.proto").errors[0]).toContain(
      "declares extension ranges (`extensions`), which the Glue Schema Registry does not support (dataFormat PROTOBUF)",
    );
    expect(proto("group.proto").errors[0]).toContain(
      "declares a group, which the Glue Schema Registry does not support",
    );
    expect(proto("wkt.proto")).toEqual({ errors: [], warnings: [] });
    // An import this check cannot resolve is a warning, never a refusal: AWS may well accept it.
    expect(proto("foreign.proto")).toEqual({
      errors: [],
      warnings: [
        `${STAGING}: schemaRegistry.schemas[0].file: got "schemas/foreign.proto"; imports "acme/common.proto": type references into it are not checked at synth`,
      ],
    });
  });

  it("refuses empty and oversized definitions (the model's 1-170000 characters)", () => {
    expect(checkSchemaDefinition("AVRO", "  \n").problem).toBe("is empty");
    expect(checkSchemaDefinition("JSON", `{"a":"${"x".repeat(170000)}"}`).problem).toMatch(
      /takes at most 170000/,
    );
  });

  it("parses the repository's own schema files", () => {
    for (const schema of prod.schemaRegistry?.schemas ?? []) {
      const text = readFileSync(join(projectRoot(), schema.file), "utf8");
      expect(checkSchemaDefinition(schema.dataFormat, text)).toEqual({ warnings: [] });
    }
  });
});
