import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeAll } from "../stacks/app";
import { resolveEnvironment } from "../stacks/defaults";
import { discoverEnvironments, loadEnvironments } from "../stacks/environments";
import {
  ENVIRONMENTS,
  ENVIRONMENTS_DIR,
  onlyResource,
  resourcesOf,
  synthJson,
  synthToDisk,
  withChanges,
} from "./support/synth";

describe("environments", () => {
  it("discovers every file in environments/ and names each stack after its file", () => {
    const sources = readdirSync(ENVIRONMENTS_DIR)
      .filter((f) => f.endsWith(".ts"))
      .sort();
    expect(sources.length).toBeGreaterThan(0);
    const files = discoverEnvironments(ENVIRONMENTS_DIR);
    expect(files.map((f) => f.file)).toEqual(sources.map((f) => `environments/${f}`));
    expect(loadEnvironments(files).map((e) => e.name)).toEqual(sources.map((f) => f.replace(/\.ts$/, "")));
    expect(Object.keys(ENVIRONMENTS)).toEqual(sources.map((f) => f.replace(/\.ts$/, "")));
  });

  it("ignores a compiled environment whose source file was deleted (tsc leaves its output behind)", () => {
    const root = mkdtempSync(join(tmpdir(), "msk-dist-"));
    mkdirSync(join(root, "environments"));
    mkdirSync(join(root, "dist", "environments"), { recursive: true });
    for (const name of ["dev", "removed"]) {
      const config = { ...ENVIRONMENTS.dev, name };
      writeFileSync(
        join(root, "dist", "environments", `${name}.js`),
        `exports.default = ${JSON.stringify(config)};`,
      );
    }
    writeFileSync(join(root, "environments", "dev.ts"), "// source of dev");
    const found = discoverEnvironments(join(root, "dist", "environments"), join(root, "environments"), ".js");
    expect(found.map((f) => f.file)).toEqual(["environments/dev.ts"]);
  });

  it("differ realistically: dev small and cheap, prod three AZs with RF 3", () => {
    const dev = loadEnvironments([{ file: "environments/dev.ts", config: ENVIRONMENTS.dev }])[0];
    const prod = loadEnvironments([{ file: "environments/prod.ts", config: ENVIRONMENTS.prod }])[0];
    expect(dev.network.availabilityZones).toHaveLength(2);
    expect(dev.network.mode === "create" && dev.network.natGateways).toBe("none");
    expect(dev.cluster.type === "provisioned" && dev.cluster.instanceType).toBe("kafka.t3.small");
    expect(prod.network.availabilityZones).toHaveLength(3);
    expect(prod.cluster.type === "provisioned" && prod.cluster.kafka.defaultReplicationFactor).toBe(3);
    expect(prod.cluster.type === "provisioned" && prod.cluster.kafka.minInsyncReplicas).toBe(2);
  });

  it("refuses a file whose name field differs from its file name", () => {
    const renamed = withChanges(ENVIRONMENTS.dev, { name: "sandbox" });
    expect(() => loadEnvironments([{ file: "environments/dev.ts", config: renamed }])).toThrow(
      'environments/dev.ts: name: got "sandbox"; must equal the file name "dev"',
    );
  });
});

describe.each(Object.keys(ENVIRONMENTS))("stack %s", (name) => {
  const config = ENVIRONMENTS[name];
  const json = synthJson(config);

  it("pins the provider to the environment's region and account, with default tags", () => {
    const provider = json.provider.aws[0];
    expect(provider.region).toBe(config.region);
    expect(provider.allowed_account_ids).toEqual([config.accountId]);
    const tags = (provider.default_tags as { tags: Record<string, string> }[])[0].tags;
    expect(tags).toMatchObject({
      environment: name,
      project: "msk-platform",
      "managed-by": "cdktf",
      ...config.tags,
    });
  });

  it("uses the configured state backend, encrypted and locked when remote", () => {
    const backend = json.terraform.backend ?? {};
    if (config.backend.type === "s3") {
      expect(backend.s3).toMatchObject({
        bucket: config.backend.bucket,
        key: `msk-platform/${name}/terraform.tfstate`,
        encrypt: true,
        use_lockfile: true,
      });
    } else {
      expect(backend.local).toEqual({ path: `../../../terraform.${name}.tfstate` });
    }
  });

  it("renders every policy document as valid JSON, so scanners can read it from cdk.tf.json", () => {
    const documents = Object.values(json.resource).flatMap((byName) =>
      Object.values(byName).flatMap((r) =>
        ["policy", "assume_role_policy"].filter((k) => typeof r[k] === "string").map((k) => r[k] as string),
      ),
    );
    expect(documents.length).toBeGreaterThan(5);
    for (const document of documents) expect(() => JSON.parse(document)).not.toThrow();
  });

  it("has no data sources that would call AWS at plan time", () => {
    expect(json.data ?? {}).toEqual({});
  });

  it("builds a TLS + IAM cluster in the private subnets behind the broker security group", () => {
    const cluster = onlyResource(json, "aws_msk_cluster") as {
      encryption_info: { encryption_in_transit: { client_broker: string; in_cluster: boolean } };
      broker_node_group_info: { client_subnets: string[]; security_groups: string[] };
      client_authentication: { sasl: { iam: boolean } };
    };
    expect(cluster.encryption_info.encryption_in_transit).toEqual({ client_broker: "TLS", in_cluster: true });
    expect(cluster.client_authentication.sasl.iam).toBe(true);
    const subnets = Object.keys(resourcesOf(json, "aws_subnet")).filter((id) => id.includes("private"));
    expect(cluster.broker_node_group_info.client_subnets).toHaveLength(subnets.length);
    expect(cluster.broker_node_group_info.security_groups).toEqual([
      expect.stringContaining("aws_security_group.security-groups_broker"),
    ]);
  });

  it("exports the bootstrap brokers and the handles clients need", () => {
    expect(Object.keys(json.output ?? {})).toEqual(
      expect.arrayContaining([
        "bootstrap_brokers_sasl_iam",
        "cluster_arn",
        "client_security_group_id",
        "sink_bucket_name",
        "connect_execution_role_arn",
      ]),
    );
  });
});

describe("npm run synth", () => {
  it("writes one cdk.tf.json per environment without AWS credentials", () => {
    const outdir = synthToDisk(Object.values(ENVIRONMENTS));
    for (const name of Object.keys(ENVIRONMENTS)) {
      const file = join(outdir, "stacks", name, "cdk.tf.json");
      expect(existsSync(file)).toBe(true);
      expect(JSON.parse(readFileSync(file, "utf8")).provider.aws[0].region).toBe(ENVIRONMENTS[name].region);
    }
  });

  it("records no token creation stacks while it builds and synthesizes, and restores cdktf's recording after", () => {
    // The suites record none at all (jest.config.js): fresh modules record them as cdktf does by default.
    jest.isolateModules(() => {
      const { Lazy } = require("cdktf") as typeof import("cdktf");
      const app = require("../stacks/app") as typeof import("../stacks/app");
      const { withoutTokenCreationStacks } =
        require("../stacks/creation-stacks") as typeof import("../stacks/creation-stacks");
      const { PlatformStack } =
        require("../stacks/platform-stack") as typeof import("../stacks/platform-stack");
      const creationStack = () => Lazy.anyValue({ produce: () => 1 }).creationStack;
      expect(creationStack().length).toBeGreaterThan(0);
      let during: string[] | undefined;
      const outdir = mkdtempSync(join(tmpdir(), "msk-synth-"));
      const code = app.synthesizeEnvironments(
        [resolveEnvironment(ENVIRONMENTS.dev)],
        outdir,
        () => {},
        (scope, env) => {
          during = creationStack();
          return new PlatformStack(scope, env);
        },
      );
      expect(code).toBe(0);
      expect(during).toEqual([]);
      expect(creationStack().length).toBeGreaterThan(0);
      expect(() =>
        withoutTokenCreationStacks(() => {
          throw new Error("failed inside");
        }),
      ).toThrow("failed inside");
      expect(creationStack().length).toBeGreaterThan(0);
    });
  });

  const broken = (dir: string, body: string) => {
    writeFileSync(join(dir, "broken.ts"), `export default ${body};\n`);
  };

  it("writes nothing and returns a non-zero exit code when any environment is invalid", () => {
    const dir = mkdtempSync(join(tmpdir(), "msk-envs-"));
    copyFileSync(join(__dirname, "..", "environments", "dev.ts"), join(dir, "dev.ts"));
    broken(dir, JSON.stringify({ ...ENVIRONMENTS.dev, name: "broken", accountId: "12345" }));
    rewriteImports(dir);
    const outdir = join(dir, "out");
    const lines: string[] = [];
    expect(synthesizeAll(dir, outdir, (l) => lines.push(l))).toBe(1);
    expect(lines.join("\n")).toContain(
      'environments/broken.ts: accountId: got "12345"; must be a 12-digit AWS account id',
    );
    expect(lines.join("\n")).toContain("Nothing was synthesized.");
    expect(existsSync(outdir)).toBe(false);
  });

  it("replaces a previous synth in place and keeps Terraform's working files", () => {
    const dir = mkdtempSync(join(tmpdir(), "msk-envs-"));
    copyFileSync(join(__dirname, "..", "environments", "dev.ts"), join(dir, "dev.ts"));
    rewriteImports(dir);
    const outdir = join(dir, "out");
    expect(synthesizeAll(dir, outdir, () => undefined)).toBe(0);
    mkdirSync(join(outdir, "stacks", "dev", ".terraform"));
    mkdirSync(join(outdir, "stacks", "removed-env"));
    expect(synthesizeAll(dir, outdir, () => undefined)).toBe(0);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["dev"]);
    expect(existsSync(join(outdir, "stacks", "dev", ".terraform"))).toBe(true);
    expect(existsSync(join(outdir, "stacks", "dev", "cdk.tf.json"))).toBe(true);
  });
});

/** Environment files import their type from ../stacks; point copies in a temp folder back at the repo. */
function rewriteImports(dir: string): void {
  for (const file of readdirSync(dir)) {
    const path = join(dir, file);
    const text = readFileSync(path, "utf8").replace(
      '"../stacks/config"',
      JSON.stringify(join(__dirname, "..", "stacks", "config")),
    );
    writeFileSync(path, text);
  }
}
