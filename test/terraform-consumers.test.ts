/**
 * A Flink application and a schema registry through real Terraform, offline: an environment with one of each
 * is validated and planned; its creation plan becomes a state and changes are planned against it (a schema
 * removed, the application replaced with and without snapshots), then reviewed. A runtime the pinned
 * provider does not know is shown to fail `terraform validate`, which is why synth refuses it first.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import type { EnvironmentConfig, FlinkApplicationConfig, RegistrySchemaConfig } from "../stacks/config";
import { resolveEnvironment } from "../stacks/defaults";
import { PlatformStack } from "../stacks/platform-stack";
import {
  planAgainstState,
  providerSchemas,
  type RawConfig,
  stateFromPlan,
} from "../tools/review/prior-state";
import {
  type EnvironmentReview,
  EXIT_DESTRUCTIVE,
  EXIT_OK,
  exitCodeOf,
  loadPlanFile,
  renderReport,
  reviewPlan,
} from "../tools/review/review";
import {
  OFFLINE_CREDENTIALS,
  type PlanJson,
  plannedResources,
  planOffline,
  terraform,
  terraformEnv,
  terraformVersion,
  writeCliConfig,
  writeOfflineOverride,
} from "../tools/terraform";
import { buildStack, ENVIRONMENTS } from "./support/synth";

const BUILD = join(__dirname, "..", ".build", "terraform-consumers-test");
const { dev, staging } = ENVIRONMENTS;

const schema = (staging.schemaRegistry?.schemas ?? [])[0] as RegistrySchemaConfig;
const app: FlinkApplicationConfig = {
  name: "enricher",
  runtime: "FLINK-1_20",
  code: { bucketArn: "arn:aws:s3:::acme-flink-apps-111111111111", fileKey: "enricher/enricher-0.3.0.jar" },
  inputTopics: ["dev.orders"],
  consumerGroup: "dev-enricher",
  running: false,
  parallelism: { parallelism: 3, parallelismPerKpu: 2, autoScaling: false },
  schemas: ["orders.created"],
};
/** dev with one Flink application (created stopped) and a registry of two schemas. */
const base: EnvironmentConfig = {
  ...dev,
  schemaRegistry: { schemas: [schema, { ...schema, name: "orders.cancelled" }] },
  consumers: { flink: [app] },
};
const variants = {
  // orders.cancelled removed from the registry: its versions are lost.
  schemaRemoved: { ...base, schemaRegistry: { schemas: [schema] } },
  // Renamed: a new application (ForceNew name); the old one's snapshots go with it.
  renamed: { ...base, consumers: { flink: [{ ...app, name: "enricher2" }] } },
  renamedWithoutSnapshots: {
    ...base,
    consumers: { flink: [{ ...app, name: "enricher2", snapshots: false }] },
  },
  started: { ...base, consumers: { flink: [{ ...app, running: true }] } },
};
type Variant = keyof typeof variants;

function synth(folder: string, config: EnvironmentConfig): string {
  const appDir = new App({ outdir: join(BUILD, folder) });
  buildStack(config, appDir);
  appDir.synth();
  return join(BUILD, folder, "stacks", config.name);
}

let creation: PlanJson;
let creationReview: EnvironmentReview;
const reviews = {} as Record<Variant, EnvironmentReview>;
let unknownRuntime = "";

beforeAll(async () => {
  terraformVersion();
  rmSync(BUILD, { recursive: true, force: true });
  const cliConfig = writeCliConfig(BUILD);
  const baseDir = synth("base", base);
  // The variant with snapshots off starts from a base without snapshots, so the old application had none.
  const noSnapshots = { ...base, consumers: { flink: [{ ...app, snapshots: false }] } };
  const noSnapshotsDir = synth("base-no-snapshots", noSnapshots);
  const dirs = Object.fromEntries(
    Object.entries(variants).map(([name, config]) => [name, synth(name, config)]),
  ) as Record<Variant, string>;
  [creation] = await Promise.all([planOffline(baseDir, cliConfig), planOffline(noSnapshotsDir, cliConfig)]);
  creationReview = reviewPlan(loadPlanFile(join(baseDir, "plan.json")));
  const schemas = await providerSchemas(baseDir, cliConfig);
  const stateOf = (dir: string) =>
    stateFromPlan(
      JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as PlanJson,
      JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as RawConfig,
      schemas,
    );
  const options = { cliConfigFile: cliConfig, initialisedStackDir: baseDir };
  await Promise.all(
    (Object.keys(variants) as Variant[]).map((name) =>
      planAgainstState(
        dirs[name],
        stateOf(name === "renamedWithoutSnapshots" ? noSnapshotsDir : baseDir),
        options,
      ),
    ),
  );
  for (const name of Object.keys(variants) as Variant[])
    reviews[name] = reviewPlan(loadPlanFile(join(dirs[name], "plan.json")));

  // FLINK-2_2 is in AWS's API model but not in the pinned provider: bypass validation and ask Terraform.
  const resolved = resolveEnvironment({ ...base, name: "devflink22" });
  const appFor22 = new App({ outdir: join(BUILD, "runtime-2-2") });
  new PlatformStack(appFor22, {
    ...resolved,
    consumers: { ...resolved.consumers, flink: [{ ...resolved.consumers.flink[0], runtime: "FLINK-2_2" }] },
  });
  appFor22.synth();
  const dir = join(BUILD, "runtime-2-2", "stacks", "devflink22");
  writeOfflineOverride(dir);
  const env = terraformEnv(cliConfig, OFFLINE_CREDENTIALS);
  await terraform(dir, ["init", "-input=false", "-no-color"], env);
  try {
    await terraform(dir, ["validate", "-no-color"], env);
  } catch (error) {
    unknownRuntime = (error as Error).message;
  }
}, 600_000);

describe("an environment with one Flink application and a registry (terraform validate + plan, offline)", () => {
  const planned = () => plannedResources(creation);

  it("plans the application stopped, with its configuration as synthesized", () => {
    const flink = planned().filter((r) => r.type === "aws_kinesisanalyticsv2_application");
    expect(flink).toHaveLength(1);
    expect(flink[0].values).toMatchObject({
      name: "msk-platform-dev-enricher",
      runtime_environment: "FLINK-1_20",
      start_application: false,
      application_mode: "STREAMING",
    });
    const configuration = (flink[0].values.application_configuration as Record<string, unknown>[])[0];
    expect(configuration.flink_application_configuration).toEqual([
      expect.objectContaining({
        parallelism_configuration: [
          {
            configuration_type: "CUSTOM",
            auto_scaling_enabled: false,
            parallelism: 3,
            parallelism_per_kpu: 2,
          },
        ],
      }),
    ]);
  });

  it("plans the registry and both schemas from the repository's file", () => {
    const schemas = planned().filter((r) => r.type === "aws_glue_schema");
    expect(schemas.map((s) => s.values.schema_name).sort()).toEqual(["orders.cancelled", "orders.created"]);
    expect(schemas[0].values.schema_definition).toBe(
      readFileSync(join(__dirname, "..", schema.file), "utf8"),
    );
    expect(
      planned()
        .filter((r) => r.type === "aws_glue_registry")
        .map((r) => r.values.registry_name),
    ).toEqual(["msk-platform-dev"]);
  });

  it("prices a stopped application at zero KPUs and says what starting it costs; running, 2 + 1 KPUs", () => {
    expect(creationReview.cost.planned.lines.find((l) => l.key === "flink-kpu-hours")).toBeUndefined();
    expect(creationReview.cost.planned.notes).toEqual([
      expect.stringMatching(
        /^aws_kinesisanalyticsv2_application\.flink_enricher_application_[0-9A-F]+ is created stopped: no KPU-hours until it is started \(then 3 KPUs, 240\.90 USD\/month\)\.$/,
      ),
    ]);
    const started = reviews.started.cost;
    expect(started.planned.lines.find((l) => l.key === "flink-kpu-hours")).toMatchObject({
      item: "Managed Service for Apache Flink KPUs",
      quantity: 3 * 730,
      unitPriceUsd: 0.11,
      monthlyUsd: 240.9,
      formula: "(2 + 1 orchestration) KPUs x 730 h",
    });
    expect(started.deltaUsd).toBe(240.9);
    expect(started.planned.usageBased).toContain(
      "Managed Service for Apache Flink durable application backups (snapshots, 0.023 USD/GB-month stored)",
    );
    expect(renderReport([reviews.started])).toContain("| Managed Service for Apache Flink KPUs |");
    // The Glue endpoint spans dev's two private subnets, whose ids are unknown until apply.
    expect(
      creationReview.cost.planned.lines.find((l) => l.key === "interface-endpoint-hours glue"),
    ).toMatchObject({
      quantity: 2 * 730,
      formula: "2 AZs x 730 h",
      monthlyUsd: 14.6,
    });
  });

  it("starting it is an in-place update, nothing destructive", () => {
    const change = reviews.started.changes.find((c) => c.type === "aws_kinesisanalyticsv2_application");
    expect(change?.action).toBe("update");
    expect(reviews.started.destructive).toEqual([]);
  });

  it("a removed schema loses its versions: destructive, exit 3", () => {
    const review = reviews.schemaRemoved;
    expect(review.destructive.map((d) => [d.what, d.action, d.consequence])).toEqual([
      [
        "Glue schema",
        "delete",
        "every version of orders.cancelled (AVRO, all versions): records written with them can no longer be decoded; a re-created schema starts again at version 1 with new version ids",
      ],
    ]);
    expect(exitCodeOf([review], false)).toBe(EXIT_DESTRUCTIVE);
  });

  it("a replaced application with snapshots loses its state (destructive); without snapshots it is only disruptive", () => {
    const withSnapshots = reviews.renamed.destructive.filter(
      (d) => d.type === "aws_kinesisanalyticsv2_application",
    );
    expect(withSnapshots.map((d) => [d.action, d.name])).toEqual([["delete", "msk-platform-dev-enricher"]]);
    expect(withSnapshots[0].consequence).toContain("snapshots of msk-platform-dev-enricher");
    expect(exitCodeOf([reviews.renamed], false)).toBe(EXIT_DESTRUCTIVE);
    const without = reviews.renamedWithoutSnapshots;
    expect(without.destructive.filter((d) => d.type === "aws_kinesisanalyticsv2_application")).toEqual([]);
    expect(
      without.disruptive.find((d) => d.type === "aws_kinesisanalyticsv2_application")?.consequence,
    ).toContain("re-created without state");
  });

  it("FLINK-2_2 is refused by the pinned provider's validate, as synth says", () => {
    expect(unknownRuntime).toMatch(/runtime_environment/);
    expect(unknownRuntime).toMatch(/FLINK-1_20/);
    expect(exitCodeOf([creationReview], false)).toBe(EXIT_OK);
  });
});
