/**
 * The deploy rehearsal's building blocks, without Terraform or the emulator: which resources are applied
 * and which are left out (transitively), the rehearsal copy and override, reference resolution, policy
 * comparison and drift reading. The rehearsal itself runs in test/rehearsal.test.ts.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checker, canonicalPolicy, checkTags } from "../tools/rehearsal/checks";
import { chooseRehearsals } from "../tools/rehearsal/coverage";
import { driftOf, formatDrift } from "../tools/rehearsal/drift";
import { MOTO_INSTALL_HINT, motoAvailable } from "../tools/rehearsal/emulator";
import { inProgress, lastEmulatorError, STEP_BOUNDS } from "../tools/rehearsal/run";
import { endpointServices, type StackJson, selectTargets, stackResources } from "../tools/rehearsal/stack";
import { appliedResources, resolve, UnresolvableReferenceError } from "../tools/rehearsal/state";
import { emulatorEnv, liftPreventDestroy, rehearsalOverride } from "../tools/rehearsal/workspace";
import type { PlanJson } from "../tools/terraform";
import { ENVIRONMENTS, synthJson } from "./support/synth";

const stack = (resource: StackJson["resource"]): StackJson => ({ resource });

describe("target selection", () => {
  it("leaves out MSK and everything that references it, transitively, and says why", () => {
    const { targets, excluded } = selectTargets(
      stackResources(
        stack({
          aws_msk_cluster: { main: { cluster_name: "c" } },
          aws_iam_policy: {
            producer: { policy: '{"Statement":[{"Resource":"${aws_msk_cluster.main.arn}/*"}]}' },
          },
          aws_iam_role_policy_attachment: {
            producer: { role: "${aws_iam_role.app.name}", policy_arn: "${aws_iam_policy.producer.arn}" },
          },
          aws_iam_role: { app: { name: "app" } },
          aws_cloudwatch_metric_alarm: { disk: { depends_on: ["aws_msk_cluster.main"] } },
          aws_sns_topic: { alarms: { lifecycle: { replace_triggered_by: ["aws_msk_cluster.main.id"] } } },
          aws_mskconnect_connector: { sink: { name: "s" } },
          aws_redshift_cluster: { unknown: { cluster_identifier: "r" } },
        }),
      ),
    );
    expect(targets).toEqual(["aws_iam_role.app"]);
    expect(Object.fromEntries(excluded.map((e) => [e.address, e.reason]))).toEqual({
      "aws_msk_cluster.main": "moto never brings an MSK cluster past CREATING",
      "aws_iam_policy.producer": "depends on aws_msk_cluster.main, which is left out",
      "aws_iam_role_policy_attachment.producer":
        "depends on aws_iam_policy.producer, which is left out (it leads to aws_msk_cluster.main)",
      "aws_cloudwatch_metric_alarm.disk": "depends on aws_msk_cluster.main, which is left out",
      "aws_sns_topic.alarms": "depends on aws_msk_cluster.main, which is left out",
      "aws_mskconnect_connector.sink": "moto has no MSK Connect service",
      "aws_redshift_cluster.unknown": expect.stringContaining(
        "no emulator support recorded for aws_redshift_cluster",
      ),
    });
  });

  it.each(Object.keys(ENVIRONMENTS))("applies everything in %s except MSK and what depends on it", (name) => {
    const resources = stackResources(synthJson(ENVIRONMENTS[name]));
    const { targets, excluded } = selectTargets(resources);
    expect(targets.length + excluded.length).toBe(resources.length);
    expect(targets.filter((t) => t.startsWith("aws_msk"))).toEqual([]);
    for (const type of [
      "aws_vpc",
      "aws_subnet",
      "aws_security_group",
      "aws_kms_key",
      "aws_s3_bucket",
      "aws_iam_role",
    ])
      expect(targets.some((t) => t.startsWith(`${type}.`))).toBe(true);
    // The Connect execution policy names the cluster ARN; the role itself (trust policy) does not.
    expect(excluded.map((e) => e.address)).toContain("aws_iam_role_policy.connect_execution-policy_E20C8B40");
    expect(targets).toContain("aws_iam_role.connect_execution-role_C3E03ADA");
    // The topic manager's invocation would run Lambda code, which moto does only in Docker; a Flink application
    // could be created but never started, updated or destroyed.
    for (const e of excluded)
      expect(e.reason).toMatch(
        /MSK|aws_msk|moto runs Lambda code only in Docker|aws_kinesisanalyticsv2|kinesisanalyticsv2/,
      );
    // The schema registry and its schemas are applied; the Flink application's role, group and logs too.
    const config = ENVIRONMENTS[name];
    if (config.schemaRegistry) {
      expect(targets.filter((t) => t.startsWith("aws_glue_schema.")).length).toBe(
        config.schemaRegistry.schemas.length,
      );
      expect(targets.filter((t) => t.startsWith("aws_glue_registry."))).toHaveLength(1);
    }
    const flink = resources.filter((r) => r.type === "aws_kinesisanalyticsv2_application");
    expect(flink.length).toBe(config.consumers?.flink?.length ?? 0);
    for (const app of flink) {
      expect(excluded.find((e) => e.address === app.address)?.reason).toContain("no DeleteApplication");
      for (const ref of app.references.filter(
        (r) => !r.startsWith("aws_msk") && !r.includes("execution-policy"),
      ))
        expect(targets).toContain(ref);
    }
  });

  it("points every service the stack uses at the emulator, plus STS for the account check", () => {
    const services = endpointServices(stackResources(synthJson(ENVIRONMENTS.prod)));
    expect(services).toEqual(
      expect.arrayContaining([
        "ec2",
        "s3",
        "iam",
        "kms",
        "logs",
        "sts",
        "kafka",
        "glue",
        "kinesisanalyticsv2",
      ]),
    );
  });
});

describe("the rehearsal copy", () => {
  it("lifts prevent_destroy in the copy only, and lists where it was on", () => {
    const original = synthJson(ENVIRONMENTS.prod) as unknown as StackJson;
    const before = JSON.stringify(original);
    const { stack: copy, lifted } = liftPreventDestroy(original);
    expect(lifted).toEqual(
      expect.arrayContaining(["aws_kms_key.logs-key_44F95A88", "aws_s3_bucket.sink_bucket_89B78E20"]),
    );
    const protectedIn = (s: StackJson) =>
      stackResources(s).filter((r) => (r.config.lifecycle as { prevent_destroy?: boolean })?.prevent_destroy);
    expect(protectedIn(copy)).toEqual([]);
    expect(protectedIn(original).map((r) => r.address)).toEqual(lifted);
    expect(JSON.stringify(original)).toBe(before);
  });

  it("overrides endpoints, path-style S3 and the backend, but keeps the account pin", () => {
    const override = rehearsalOverride("http://127.0.0.1:5000", ["ec2", "s3", "sts"]) as {
      terraform: unknown;
      provider: { aws: Record<string, unknown>[] };
    };
    expect(override.terraform).toEqual({ backend: { local: { path: "terraform.tfstate" } } });
    const provider = override.provider.aws[0];
    expect(provider.endpoints).toEqual([
      { ec2: "http://127.0.0.1:5000", s3: "http://127.0.0.1:5000", sts: "http://127.0.0.1:5000" },
    ]);
    expect(provider.s3_use_path_style).toBe(true);
    expect(provider.skip_metadata_api_check).toBe(true);
    expect(provider).not.toHaveProperty("allowed_account_ids");
    expect(provider).not.toHaveProperty("skip_requesting_account_id");
  });

  it("never passes the caller's AWS settings to Terraform", () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_PROFILE: "prod-admin",
      AWS_SESSION_TOKEN: "t",
      AWS_REGION: "us-east-1",
    });
    try {
      const env = emulatorEnv("/tmp/terraform.rc", "http://127.0.0.1:5000");
      expect(
        Object.keys(env)
          .filter((k) => k.startsWith("AWS_"))
          .sort(),
      ).toEqual([
        "AWS_ACCESS_KEY_ID",
        "AWS_EC2_METADATA_DISABLED",
        "AWS_ENDPOINT_URL",
        "AWS_SECRET_ACCESS_KEY",
      ]);
      expect(env.TF_CLI_CONFIG_FILE).toBe("/tmp/terraform.rc");
    } finally {
      process.env = saved;
    }
  });
});

describe("intended values", () => {
  const state = appliedResources({
    values: {
      root_module: {
        resources: [
          {
            address: "aws_s3_bucket.b",
            mode: "managed",
            type: "aws_s3_bucket",
            name: "b",
            values: { id: "bkt", arn: "arn:aws:s3:::bkt", tags: { a: "1" } },
          },
        ],
      },
    },
  });

  it("resolves whole and embedded references against the applied state", () => {
    expect(
      resolve(
        {
          bucket: "${aws_s3_bucket.b.id}",
          policy: '{"Resource":["${aws_s3_bucket.b.arn}","${aws_s3_bucket.b.arn}/*"]}',
          tags: "${aws_s3_bucket.b.tags}",
          lifecycle: { prevent_destroy: true },
        },
        state,
      ),
    ).toEqual({
      bucket: "bkt",
      policy: '{"Resource":["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"]}',
      tags: { a: "1" },
    });
  });

  it("refuses expressions it cannot evaluate instead of guessing", () => {
    expect(() => resolve("${upper(aws_s3_bucket.b.id)}", state)).toThrow(UnresolvableReferenceError);
    expect(() => resolve("${aws_s3_bucket.other.id}", state)).toThrow("is not applied");
  });
});

describe("comparisons", () => {
  it("compares policies as IAM does: string or list, any order, URL-encoded or not", () => {
    const intended = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::b/*" },
      ],
    });
    const found = encodeURIComponent(
      JSON.stringify({
        Version: "2012-10-17",
        Statement: {
          Resource: ["arn:aws:s3:::b/*"],
          Action: ["s3:PutObject", "s3:GetObject"],
          Effect: "Allow",
        },
      }),
    );
    expect(canonicalPolicy(found)).toEqual(canonicalPolicy(intended));
    expect(canonicalPolicy(intended.replace("b/*", "c/*"))).not.toEqual(canonicalPolicy(intended));
  });

  it("records every mismatch with the resource, the attribute and both values", () => {
    const check = new Checker();
    check.equal("aws_subnet.a", "availability_zone", "eu-west-1a", "eu-west-1a");
    check.equal("aws_subnet.a", "cidr_block", "10.0.0.0/24", "10.0.1.0/24");
    check.sameItems("aws_security_group.s", "rules", ["ingress 9098"], ["ingress 9098", "egress all"]);
    expect(check.checked).toBe(3);
    expect(check.failures).toEqual([
      'aws_subnet.a: cidr_block: intended "10.0.0.0/24", found "10.0.1.0/24"',
      "aws_security_group.s: rules: missing nothing; unexpected [egress all]",
    ]);
  });

  it("expects default_tags plus the resource's own tags, ignoring AWS-reserved ones", () => {
    const check = new Checker();
    const resource = {
      address: "aws_vpc.v",
      type: "aws_vpc",
      intended: { tags: { Name: "v" } },
      state: { tags_all: {} },
    };
    const context = { check, applied: [], defaultTags: { environment: "dev" } } as unknown as Parameters<
      typeof checkTags
    >[1];
    checkTags(resource, context, [
      { Key: "Name", Value: "v" },
      { Key: "environment", Value: "dev" },
      { Key: "aws:cloudformation:stack-name", Value: "x" },
    ]);
    checkTags(resource, context, [{ Key: "Name", Value: "v" }]);
    expect(check.failures).toEqual([
      'aws_vpc.v: tags: intended {"Name":"v","environment":"dev"}, found {"Name":"v"}',
    ]);
  });
});

describe("drift", () => {
  const change = (address: string, actions: string[], before: unknown, after: unknown) => ({
    address,
    mode: "managed",
    type: address.split(".")[0],
    name: address.split(".")[1],
    change: { actions, before, after, after_unknown: {} },
  });

  it("names the resource and each attribute that would change, with both values", () => {
    const plan = {
      resource_changes: [
        change("aws_s3_bucket.b", ["no-op"], { bucket: "b" }, { bucket: "b" }),
        change(
          "aws_vpc_security_group_ingress_rule.r",
          ["update"],
          { description: null, from_port: 9098, tags: { a: "1" } },
          { description: "Kafka iam", from_port: 9098, tags: { a: "2" } },
        ),
        change("aws_kms_alias.a", ["create"], null, { name: "alias/x" }),
      ],
    } as unknown as PlanJson;
    const drift = driftOf(plan);
    expect(drift.map((d) => [d.address, d.attributes])).toEqual([
      ["aws_vpc_security_group_ingress_rule.r", ["description", "tags.a"]],
      ["aws_kms_alias.a", ["(resource is missing: it would be created again)"]],
    ]);
    expect(formatDrift(drift[0])).toEqual([
      "DRIFT aws_vpc_security_group_ingress_rule.r: update on description, tags.a",
      '    description: null -> "Kafka iam"',
      '    tags.a: "1" -> "2"',
    ]);
  });
});

describe("the emulator", () => {
  it("fails loudly, with the install command, when moto_server is missing", () => {
    expect(() => motoAvailable("moto_server-not-installed-here")).toThrow(MOTO_INSTALL_HINT);
    expect(MOTO_INSTALL_HINT).toBe('pip install "moto[server]"');
  });
});

describe("which environments npm test rehearses", () => {
  const resource = (type: string, name: string, config: Record<string, unknown>) => ({
    address: `${type}.${name}`,
    type,
    name,
    config,
    references: [],
  });
  const vpc = resource("aws_vpc", "v", { cidr_block: "10.0.0.0/16" });
  const key = (protect: boolean) => resource("aws_kms_key", "k", { lifecycle: { prevent_destroy: protect } });
  const secret = resource("aws_secretsmanager_secret", "s", { name: "x" });
  const cluster = resource("aws_msk_cluster", "c", { cluster_name: "x" });

  it("covers every resource shape with the fewest environments, production first on a tie", () => {
    const choice = chooseRehearsals([
      { name: "dev", production: false, resources: [vpc, key(false)] },
      { name: "prod", production: true, resources: [vpc, key(true)] },
      { name: "staging", production: false, resources: [vpc, key(false), secret] },
    ]);
    expect(choice.environments).toEqual(["staging", "prod"]);
    expect(choice.covers.prod).toEqual(["aws_kms_key{lifecycle.prevent_destroy=true}"]);
    const covered = new Set(Object.values(choice.covers).flat());
    expect(choice.shapes.every((s) => covered.has(s))).toBe(true);
  });

  it("adds no rehearsal for a copied environment, and one for an environment with a new resource", () => {
    const base = [
      { name: "prod", production: true, resources: [vpc, key(true)] },
      { name: "staging", production: false, resources: [vpc, key(false), secret] },
    ];
    const copy = { name: "perf", production: false, resources: [vpc, key(false), secret] };
    expect(chooseRehearsals([...base, copy]).environments).toHaveLength(2);
    const extra = { name: "qa", production: false, resources: [vpc, resource("aws_sns_topic", "t", {})] };
    expect(chooseRehearsals([...base, extra]).environments).toContain("qa");
  });

  it("ignores what the emulator cannot take (MSK is plan-only)", () => {
    const choice = chooseRehearsals([
      { name: "a", production: false, resources: [vpc] },
      { name: "b", production: false, resources: [vpc, cluster] },
    ]);
    expect(choice.environments).toEqual(["a"]);
  });

  it("chooses from the real environments a set that covers them all", () => {
    const candidates = Object.values(ENVIRONMENTS).map((config) => ({
      name: config.name,
      production: config.production,
      resources: stackResources(synthJson(config) as unknown as StackJson),
    }));
    const choice = chooseRehearsals(candidates);
    expect(choice.environments.length).toBeGreaterThan(0);
    expect(choice.environments.length).toBeLessThanOrEqual(candidates.length);
    const covered = new Set(Object.values(choice.covers).flat());
    expect(choice.shapes.filter((s) => !covered.has(s))).toEqual([]);
  });
});

describe("a bounded Terraform step", () => {
  it("names what Terraform was still working on, from its progress output", () => {
    const output = [
      "aws_vpc.net: Destroying... [id=vpc-1]",
      "aws_subnet.a: Destroying... [id=subnet-1]",
      "aws_subnet.a: Destruction complete after 1s",
      "aws_vpc.net: Still destroying... [id=vpc-1, 9m50s elapsed]",
      "aws_nat_gateway.n: Creating...",
    ].join("\n");
    expect(inProgress(output)).toEqual([
      "aws_vpc.net (destroying, 9m50s elapsed)",
      "aws_nat_gateway.n (creating)",
    ]);
    expect(inProgress("Apply complete!")).toEqual([]);
  });

  it("reads the emulator's last error from its log", () => {
    const dir = mkdtempSync(join(tmpdir(), "moto-log-"));
    const log = join(dir, "moto.log");
    expect(lastEmulatorError(log)).toBeUndefined();
    writeFileSync(
      log,
      [
        '127.0.0.1 - - [30/Nov/2026 15:44:43] "POST / HTTP/1.1" 400 -',
        "[rehearsal-error] ec2 DescribeVpcs 400 InvalidVpcID.NotFound: VpcID {'vpc-1'} does not exist.",
        '127.0.0.1 - - [30/Nov/2026 17:02:57] "[rehearsal-error] ec2 DeleteVpc 400 DependencyViolation: The vpc vpc-2 has dependencies and cannot be deleted.',
        '127.0.0.1 - - [30/Nov/2026 15:44:44] "POST / HTTP/1.1" 400 -',
      ].join("\n"),
    );
    expect(lastEmulatorError(log)).toBe(
      "ec2 DeleteVpc 400 DependencyViolation: The vpc vpc-2 has dependencies and cannot be deleted.",
    );
  });

  it("has a bound for every Terraform command the rehearsal runs, well below Terraform's own 20-minute waits", () => {
    expect(Object.keys(STEP_BOUNDS).sort()).toEqual(["apply", "destroy", "init", "plan", "show"]);
    for (const seconds of Object.values(STEP_BOUNDS)) expect(seconds).toBeLessThanOrEqual(15 * 60);
  });
});
