// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.
/**
 * The topic manager in the synthesized Terraform: the function, its least-privilege role, its encrypted log
 * group, the CRUD invocation whose input is the declared topic set, and the deployment package (built from
 * this repository at synth: deterministic, cached, present in the stack folder).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storedZip, topicManagerBundle } from "../modules/topics/bundle";
import type { EnvironmentConfig, ManagedTopicConfig } from "../stacks/config";
import {
  ENVIRONMENTS,
  onlyResource,
  resourcesOf,
  synthJson,
  synthToDisk,
  type TerraformJson,
} from "./support/synth";

const { dev, staging, prod } = ENVIRONMENTS;
const stagingJson = synthJson(staging);
const prodJson = synthJson(prod);

interface Statement {
  readonly Sid: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
}
const statements = (json: TerraformJson): Statement[] => {
  const policy = Object.entries(resourcesOf(json, "aws_iam_role_policy")).find(([name]) =>
    name.startsWith("topics_"),
  )?.[1];
  return (JSON.parse(String(policy?.policy)) as { Statement: Statement[] }).Statement;
};
const topicArn = (name: string) =>
  `arn:aws:kafka:eu-west-1:222222222222:topic/\${aws_msk_cluster.msk_cluster_9F1869F9.cluster_name}/\${aws_msk_cluster.msk_cluster_9F1869F9.cluster_uuid}/${name}`;

/** The topic manager among the stack's functions (Lambda consumers add their own). */
const topicManagerFunction = (json: TerraformJson): Record<string, unknown> => {
  const all = Object.values(resourcesOf(json, "aws_lambda_function")).filter((fn) =>
    String(fn.function_name).endsWith("-topic-manager"),
  );
  if (all.length !== 1) throw new Error(`expected exactly one topic manager, found ${all.length}`);
  return all[0];
};

describe("the topic manager in the synthesized stack", () => {
  it("exists only where topics are declared", () => {
    expect(resourcesOf(synthJson(dev), "aws_lambda_function")).toEqual({});
    expect(Object.keys(resourcesOf(stagingJson, "aws_lambda_invocation"))).toHaveLength(1);
  });

  it("is a traced Node.js 22 function outside the VPC, logging JSON to its own group, after its permissions", () => {
    const fn = topicManagerFunction(stagingJson);
    expect(fn).toMatchObject({
      function_name: "msk-platform-staging-topic-manager",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      timeout: 900,
      tracing_config: { mode: "Active" },
      logging_config: {
        log_format: "JSON",
        log_group: expect.stringContaining("aws_cloudwatch_log_group.topics_log-group"),
      },
    });
    expect(fn.vpc_config).toBeUndefined();
    expect(fn.environment).toBeUndefined();
    expect(fn.depends_on).toEqual([
      expect.stringMatching(/^aws_iam_role_policy\.topics_policy/),
      expect.stringMatching(/^aws_cloudwatch_log_group\.topics_log-group/),
    ]);
  });

  it("logs to a KMS-encrypted group with retention, protected in production", () => {
    const group = (json: TerraformJson) =>
      Object.values(resourcesOf(json, "aws_cloudwatch_log_group")).find((g) =>
        String(g.name).includes("topic-manager"),
      );
    expect(group(stagingJson)).toMatchObject({
      name: "/aws/lambda/msk-platform-staging-topic-manager",
      retention_in_days: 365,
      kms_key_id: expect.stringContaining("aws_kms_key.logs-key"),
      lifecycle: { prevent_destroy: false },
    });
    expect(group(prodJson)?.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("has a role trusted by Lambda for this account only, allowed exactly the declared topics", () => {
    const role = Object.entries(resourcesOf(stagingJson, "aws_iam_role")).find(([name]) =>
      name.startsWith("topics_"),
    )?.[1];
    expect(JSON.parse(String(role?.assume_role_policy)).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "222222222222" } },
      },
    ]);
    const bySid = Object.fromEntries(statements(stagingJson).map((s) => [s.Sid, s]));
    expect(Object.keys(bySid)).toEqual([
      "FindCluster",
      "ConnectToCluster",
      "ManageDeclaredTopics",
      "WriteOwnLogs",
      "WriteTraces",
    ]);
    expect(bySid.FindCluster).toMatchObject({ Action: "kafka:ListClustersV2", Resource: "*" });
    expect(bySid.ConnectToCluster.Resource).toBe("${aws_msk_cluster.msk_cluster_9F1869F9.arn}");
    expect(bySid.ManageDeclaredTopics.Resource).toEqual([
      topicArn("orders.created"),
      topicArn("payments.settled"),
    ]);
    expect(bySid.ManageDeclaredTopics.Action).not.toContain("kafka-cluster:DeleteTopic");
    expect(bySid.WriteOwnLogs.Resource).toMatch(
      /^\$\{aws_cloudwatch_log_group\.topics_log-group_[0-9A-F]+\.arn\}:\*$/,
    );
  });

  it("may delete only the retired topics", () => {
    const topics = staging.topics as ManagedTopicConfig[];
    const json = synthJson({
      ...staging,
      topics: [...topics, { name: "orders.v1", retired: true, reason: "replaced by orders.created" }],
    });
    const deletes = statements(json).filter((s) => [s.Action].flat().includes("kafka-cluster:DeleteTopic"));
    expect(deletes).toEqual([
      expect.objectContaining({ Sid: "DeleteRetiredTopics", Resource: [topicArn("orders.v1")] }),
    ]);
  });

  it("is invoked with lifecycle_scope CRUD and the full declared set, re-run for a new cluster", () => {
    const invocation = onlyResource(prodJson, "aws_lambda_invocation");
    expect(invocation.lifecycle_scope).toBe("CRUD");
    expect(invocation.triggers).toEqual({ cluster_arn: "${aws_msk_cluster.msk_cluster_9F1869F9.arn}" });
    expect(JSON.parse(String(invocation.input))).toEqual({
      version: 1,
      clusterName: "msk-platform-prod",
      topics: [
        {
          name: "orders.created",
          partitions: 12,
          replicationFactor: 3,
          configs: { "retention.ms": "604800000" },
          assumedIngressMBps: 1,
        },
        {
          name: "payments.settled",
          partitions: 6,
          replicationFactor: 3,
          configs: { "retention.ms": "2592000000" },
          assumedIngressMBps: 0.2,
        },
        {
          name: "payments.balances",
          partitions: 6,
          replicationFactor: 3,
          configs: { "cleanup.policy": "compact", "min.compaction.lag.ms": "3600000" },
        },
      ],
      retired: [],
    });
  });

  it("exports the function's name", () => {
    expect(prodJson.output?.topic_manager_function_name.value).toMatch(
      /^\$\{aws_lambda_function\.topics_function_[0-9A-F]+\.function_name\}$/,
    );
  });
});

describe("the deployment package", () => {
  it("is deterministic: two cold builds give the same bytes; a second build reuses the cache", () => {
    const first = topicManagerBundle(mkdtempSync(join(tmpdir(), "tm-a-")));
    const second = topicManagerBundle(mkdtempSync(join(tmpdir(), "tm-b-")));
    expect(first.cached).toBe(false);
    expect(second.sha256Hex).toBe(first.sha256Hex);
    expect(readFileSync(second.zipFile).equals(readFileSync(first.zipFile))).toBe(true);
    const again = topicManagerBundle(join(first.zipFile, "..", ".."));
    expect(again).toMatchObject({ cached: true, sha256Hex: first.sha256Hex });
    expect(first.sha256Base64).toBe(
      createHash("sha256").update(readFileSync(first.zipFile)).digest("base64"),
    );
  });

  it("rebuilds when a source file changes, and not when it is only touched", () => {
    const cache = mkdtempSync(join(tmpdir(), "tm-c-"));
    const built = topicManagerBundle(cache);
    const manifestFile = join(cache, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as {
      inputs: Record<string, { sha256: string; mtimeMs: number }>;
    };
    expect(Object.keys(manifest.inputs)).toEqual(
      expect.arrayContaining(["modules/topics/handler/index.ts", "modules/topics/handler/reconcile.ts"]),
    );
    // A different modification time alone: the content hash still matches, the cache holds.
    manifest.inputs["modules/topics/handler/reconcile.ts"].mtimeMs = 1;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(topicManagerBundle(cache)).toMatchObject({ cached: true, sha256Hex: built.sha256Hex });
    // A different content hash: rebuilt.
    manifest.inputs["modules/topics/handler/reconcile.ts"].sha256 = "0".repeat(64);
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(topicManagerBundle(cache)).toMatchObject({ cached: false, sha256Hex: built.sha256Hex });
  });

  it("checks its inputs once per process while the manifest stays the same", () => {
    const cache = mkdtempSync(join(tmpdir(), "tm-d-"));
    const built = topicManagerBundle(cache);
    const checked = topicManagerBundle(cache);
    expect(checked).toMatchObject({ cached: true, sha256Hex: built.sha256Hex });
    // The fs module itself (an `import * as` would be a copy): what the bundle module calls.
    const stat = jest.spyOn(require("node:fs") as typeof import("node:fs"), "statSync");
    try {
      expect(topicManagerBundle(cache)).toEqual(checked);
      expect(stat).not.toHaveBeenCalled();
      // Another manifest (a rebuild by another process, an edit): checked again.
      const manifestFile = join(cache, "manifest.json");
      writeFileSync(manifestFile, `${readFileSync(manifestFile, "utf8").trimEnd()} \n`);
      expect(topicManagerBundle(cache)).toMatchObject({ cached: true, sha256Hex: built.sha256Hex });
      expect(stat).toHaveBeenCalled();
    } finally {
      stat.mockRestore();
    }
  });

  it("is one stored index.js that exports the handler", () => {
    const zip = readFileSync(topicManagerBundle().zipFile);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt16LE(8)).toBe(0); // stored
    const nameLength = zip.readUInt16LE(26);
    expect(zip.subarray(30, 30 + nameLength).toString()).toBe("index.js");
    const code = zip.subarray(30 + nameLength, 30 + nameLength + zip.readUInt32LE(18)).toString();
    const file = join(mkdtempSync(join(tmpdir(), "tm-code-")), "index.js");
    writeFileSync(file, code);
    expect(typeof (require(file) as { handler?: unknown }).handler).toBe("function");
    // The stored layout is exactly what storedZip writes.
    expect(storedZip("index.js", Buffer.from(code)).equals(zip)).toBe(true);
  });

  it("lands in the stack folder, where filename points, with the source_code_hash of its bytes", () => {
    const synth = (configs: EnvironmentConfig[]) => synthToDisk(configs);
    const first = synth([staging]);
    const json = JSON.parse(
      readFileSync(join(first, "stacks", "staging", "cdk.tf.json"), "utf8"),
    ) as TerraformJson;
    const fn = topicManagerFunction(json);
    const bytes = readFileSync(join(first, "stacks", "staging", String(fn.filename)));
    expect(createHash("sha256").update(bytes).digest("base64")).toBe(fn.source_code_hash);
    const second = JSON.parse(
      readFileSync(join(synth([staging]), "stacks", "staging", "cdk.tf.json"), "utf8"),
    ) as TerraformJson;
    expect(topicManagerFunction(second)).toMatchObject({
      filename: fn.filename,
      source_code_hash: fn.source_code_hash,
    });
  });
});
