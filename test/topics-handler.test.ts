/**
 * The topic manager's AWS calls, through the real @aws-sdk/client-kafka, against the local MSK topic API
 * emulator (tools/rehearsal/msk-topic-emulator.ts), with the topic API's lag shortened to milliseconds.
 * First the emulator itself is checked against botocore's kafka model.
 */
import { request } from "node:http";
import { DescribeTopicPartitionsCommand, KafkaClient, ListTopicsCommand } from "@aws-sdk/client-kafka";
import { type DesiredTopic, INPUT_VERSION, type TopicManagerEvent } from "../modules/topics/handler/contract";
import { reconcileTopics, TopicManagerError } from "../modules/topics/handler/manager";
import { kafkaTopicApi, type TopicApi } from "../modules/topics/handler/topic-api";
import { MskTopicApiEmulator } from "../tools/rehearsal/msk-topic-emulator";
import {
  botocoreKafkaModelFile,
  EMULATED_OPERATIONS,
  extractSubset,
  loadModelSubset,
  readServiceModel,
} from "../tools/rehearsal/msk-topic-model";

const LAG_MS = 40;
let emulator: MskTopicApiEmulator;
let client: KafkaClient;
let api: TopicApi;
let port = 0;

beforeAll(async () => {
  emulator = new MskTopicApiEmulator({ lagMs: LAG_MS });
  const endpoint = await emulator.start();
  port = Number(new URL(endpoint).port);
  client = new KafkaClient({
    endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "offline", secretAccessKey: "offline" },
    maxAttempts: 1,
  });
  api = kafkaTopicApi(client);
});

afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
});

const options = (overrides: Partial<Parameters<typeof reconcileTopics>[2]> = {}) => ({
  pollMs: 15,
  remainingMs: () => 60_000,
  ...overrides,
});

const topic = (
  name: string,
  partitions: number,
  configs: Record<string, string> = {},
  replicationFactor = 3,
): DesiredTopic => ({
  name,
  partitions,
  replicationFactor,
  configs,
});

const event = (
  clusterName: string,
  topics: DesiredTopic[],
  retired: { name: string; reason: string }[] = [],
  tf?: TopicManagerEvent["tf"],
): TopicManagerEvent => ({ version: INPUT_VERSION, clusterName, topics, retired, ...(tf ? { tf } : {}) });

let clusters = 0;
/** A fresh emulated cluster: its ARN (for the emulator and direct calls) and name (for the input). */
function newCluster(spec: Partial<Parameters<MskTopicApiEmulator["addCluster"]>[0]> = {}) {
  const name = spec.name ?? `test-${++clusters}`;
  return { arn: emulator.addCluster({ ...spec, name }), name };
}

const mutations = (from: number) =>
  emulator.exchanges
    .slice(from)
    .filter((e) => ["CreateTopic", "UpdateTopic", "DeleteTopic"].includes(e.operation));

describe("the emulator is botocore's kafka model", () => {
  it("serves exactly the subset extracted from the installed botocore model (re-extracted now)", () => {
    const fresh = extractSubset(readServiceModel(botocoreKafkaModelFile()), EMULATED_OPERATIONS);
    expect(loadModelSubset()).toEqual(JSON.parse(JSON.stringify(fresh)));
    expect(Object.keys(fresh.operations).sort()).toEqual([...EMULATED_OPERATIONS].sort());
  });

  it("answers each operation on the model's method and URI, through the SDK", async () => {
    const { arn, name } = newCluster();
    const from = emulator.exchanges.length;
    await api.createTopic(arn, topic("model.check", 2, { "retention.ms": "3600000" }));
    await new Promise((r) => setTimeout(r, LAG_MS + 10));
    await api.describeTopic(arn, "model.check");
    await client.send(
      new DescribeTopicPartitionsCommand({ ClusterArn: arn, TopicName: "model.check", MaxResults: 1 }),
    );
    await client.send(new ListTopicsCommand({ ClusterArn: arn, TopicNameFilter: "model." }));
    await api.addPartitions(arn, "model.check", 3);
    await api.updateConfigs(arn, "model.check", { "retention.ms": "7200000" });
    await api.deleteTopic(arn, "model.check");
    await api.findCluster(name);
    const served = emulator.exchanges.slice(from);
    expect(new Set(served.map((e) => e.operation))).toEqual(new Set(EMULATED_OPERATIONS));
    const model = loadModelSubset();
    for (const exchange of served) {
      const op = model.operations[exchange.operation];
      expect(exchange.method).toBe(op.http.method);
      const pattern = new RegExp(`^${op.http.requestUri.split("?")[0].replace(/\{\w+\}/g, "[^/]+")}$`);
      expect(exchange.path).toMatch(pattern);
      expect(exchange.status).toBe(op.http.responseCode ?? 200);
    }
    // Pagination as the model declares it: maxResults and nextToken.
    const partitions = served.find((e) => e.operation === "DescribeTopicPartitions")?.response as {
      partitions: unknown[];
      nextToken?: string;
    };
    expect(partitions.partitions).toHaveLength(1);
    expect(partitions.nextToken).toBeDefined();
  });

  it("refuses what the model refuses: a missing required member, a value under its minimum", async () => {
    const { arn } = newCluster();
    const post = (body: unknown) =>
      new Promise<{ status: number; type?: string; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            method: "POST",
            path: `/v1/clusters/${encodeURIComponent(arn)}/topics`,
            headers: { "content-type": "application/json" },
          },
          (res) => {
            let text = "";
            res.on("data", (c) => {
              text += c;
            });
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                type: res.headers["x-amzn-errortype"] as string,
                body: text,
              }),
            );
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify(body));
      });
    const missing = await post({ topicName: "t", partitionCount: 1 });
    expect(missing).toMatchObject({ status: 400, type: "BadRequestException" });
    expect(JSON.parse(missing.body)).toEqual({
      message: "missing required parameter replicationFactor",
      invalidParameter: "replicationFactor",
    });
    const zero = await post({ topicName: "t", partitionCount: 0, replicationFactor: 1 });
    expect(JSON.parse(zero.body).message).toBe("partitionCount: must be >= 1");
    const unknown = await post({ topicName: "t", partitionCount: 1, replicationFactor: 1, partitions: 3 });
    expect(JSON.parse(unknown.body).invalidParameter).toBe("partitions");
  });
});

describe("reconcile against the emulated topic API", () => {
  it("creates every declared topic, then waits until the topic API shows them", async () => {
    const { arn, name } = newCluster();
    const from = emulator.exchanges.length;
    const result = await reconcileTopics(
      api,
      event(
        name,
        [
          topic("orders.created", 6, { "retention.ms": "259200000", "cleanup.policy": "delete" }),
          topic("payments.settled", 3),
        ],
        [],
        {
          action: "create",
          prev_input: null,
        },
      ),
      options(),
    );
    expect(result).toMatchObject({
      action: "create",
      created: ["orders.created", "payments.settled"],
      deleted: [],
    });
    expect(emulator.topicsOf(arn)).toEqual({
      "orders.created": {
        partitions: 6,
        replicationFactor: 3,
        overrides: { "cleanup.policy": "delete", "retention.ms": "259200000" },
      },
      "payments.settled": { partitions: 3, replicationFactor: 3, overrides: {} },
    });
    // The lag made the first reads miss: the manager read again until both were visible.
    const describes = emulator.exchanges.slice(from).filter((e) => e.operation === "DescribeTopic");
    expect(describes.some((e) => e.status === 404)).toBe(true);
    expect(describes.filter((e) => e.status === 200).length).toBeGreaterThanOrEqual(2);
    const creates = mutations(from);
    expect(creates.map((e) => e.request.TopicName)).toEqual(["orders.created", "payments.settled"]);
    // Configs travel as Base64 JSON; a topic without declared configs sends none.
    expect(JSON.parse(Buffer.from(String(creates[0].request.Configs), "base64").toString())).toEqual({
      "cleanup.policy": "delete",
      "retention.ms": "259200000",
    });
    expect(creates[1].request.Configs).toBeUndefined();
  });

  it("raises partitions and changes configs in separate UpdateTopic calls; a second run changes nothing", async () => {
    const { arn, name } = newCluster();
    emulator.seedTopic(arn, "orders", {
      partitions: 3,
      replicationFactor: 3,
      overrides: { "retention.ms": "86400000" },
    });
    const from = emulator.exchanges.length;
    const declared = [topic("orders", 12, { "retention.ms": "172800000" })];
    const result = await reconcileTopics(api, event(name, declared), options());
    expect(result).toMatchObject({ partitionsAdded: ["orders"], configsUpdated: ["orders"], created: [] });
    const updates = mutations(from);
    expect(updates.map((e) => Object.keys(e.request).sort())).toEqual([
      ["ClusterArn", "PartitionCount", "TopicName"],
      ["ClusterArn", "Configs", "TopicName"],
    ]);
    expect(emulator.topicsOf(arn).orders).toEqual({
      partitions: 12,
      replicationFactor: 3,
      overrides: { "retention.ms": "172800000" },
    });
    const again = emulator.exchanges.length;
    const second = await reconcileTopics(api, event(name, declared), options());
    expect(second).toMatchObject({ created: [], partitionsAdded: [], configsUpdated: [], unchanged: 1 });
    expect(mutations(again)).toEqual([]);
  });

  it("adopts a topic made before the platform managed it (the import path): no create when it matches", async () => {
    const { arn, name } = newCluster();
    emulator.seedTopic(arn, "legacy.events", { partitions: 6, replicationFactor: 3, overrides: {} });
    const from = emulator.exchanges.length;
    const result = await reconcileTopics(api, event(name, [topic("legacy.events", 6)]), options());
    expect(result).toMatchObject({ created: [], unchanged: 1 });
    expect(mutations(from)).toEqual([]);
  });

  it("refuses fewer partitions or another replication factor with a precise message, changing nothing", async () => {
    const { arn, name } = newCluster();
    emulator.seedTopic(arn, "orders", { partitions: 12, replicationFactor: 3, overrides: {} });
    const from = emulator.exchanges.length;
    await expect(
      reconcileTopics(api, event(name, [topic("orders", 6), topic("new.topic", 1)]), options()),
    ).rejects.toThrow(
      "no topic was changed: orders: partitions cannot go from 12 down to 6 (Kafka partitions only grow): declare 12 or more, or retire the topic and declare a new one",
    );
    await expect(reconcileTopics(api, event(name, [topic("orders", 12, {}, 2)]), options())).rejects.toThrow(
      "orders: replication factor is 3 on the cluster and 2 in the declaration",
    );
    expect(mutations(from)).toEqual([]);
    expect(emulator.topicsOf(arn)["new.topic"]).toBeUndefined();
  });

  it("deletes a retired topic and waits until it is gone; an already absent one is only noted", async () => {
    const { arn, name } = newCluster();
    emulator.seedTopic(arn, "orders.v1", { partitions: 3, replicationFactor: 3, overrides: {} });
    const result = await reconcileTopics(
      api,
      event(
        name,
        [],
        [
          { name: "orders.v1", reason: "replaced by orders.v2" },
          { name: "never.existed", reason: "typo cleaned up" },
        ],
      ),
      options(),
    );
    expect(result).toMatchObject({
      deleted: ["orders.v1"],
      notes: ["never.existed: retired and already absent"],
    });
    expect(emulator.topicsOf(arn)).toEqual({});
  });

  it("never deletes topics when the topic manager itself is destroyed (tf.action delete)", async () => {
    const { arn, name } = newCluster();
    emulator.seedTopic(arn, "orders", { partitions: 3, replicationFactor: 3, overrides: {} });
    const from = emulator.exchanges.length;
    const result = await reconcileTopics(
      api,
      event(name, [topic("orders", 3)], [], { action: "delete", prev_input: null }),
      options(),
    );
    expect(result.action).toBe("delete");
    expect(emulator.exchanges.slice(from)).toEqual([]);
    expect(emulator.topicsOf(arn).orders).toBeDefined();
  });

  it("waits for a cluster that is not ACTIVE yet, and fails with the cluster's state when it stays so", async () => {
    const { arn, name } = newCluster({ state: "CREATING" });
    let polls = 0;
    const result = await reconcileTopics(api, event(name, [topic("t", 1)]), {
      ...options(),
      sleep: async (ms) => {
        if (++polls === 2) emulator.setClusterState(arn, "ACTIVE");
        await new Promise((r) => setTimeout(r, ms));
      },
    });
    expect(result.created).toEqual(["t"]);
    const { name: stuckName } = newCluster({ state: "MAINTENANCE" });
    const clock = { left: 200 };
    await expect(
      reconcileTopics(
        api,
        event(stuckName, [topic("t", 1)]),
        options({
          remainingMs: () => {
            clock.left -= 100;
            return clock.left + 15_000;
          },
        }),
      ),
    ).rejects.toThrow("is MAINTENANCE, and the MSK topic API needs it ACTIVE; no topic was changed");
  });

  it("refuses a serverless cluster", async () => {
    const { name } = newCluster({ type: "SERVERLESS" });
    await expect(reconcileTopics(api, event(name, [topic("t", 1)]), options())).rejects.toThrow(
      "is a SERVERLESS cluster: the MSK topic API exists only for provisioned clusters",
    );
  });

  it("names the failed operation and what was applied before it", async () => {
    const { name } = newCluster({ brokers: 3 });
    await expect(
      reconcileTopics(api, event(name, [topic("ok", 1), topic("too.wide", 1, {}, 4)]), options()),
    ).rejects.toThrow(
      "create too.wide failed (BadRequestException: replication factor 4 is larger than the 3 available brokers); already applied: create ok",
    );
  });

  it("fails with the lag explained when the topic API does not show the change in time", async () => {
    const slow = new MskTopicApiEmulator({ lagMs: 60_000 });
    const endpoint = await slow.start();
    const slowClient = new KafkaClient({
      endpoint,
      region: "eu-west-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      maxAttempts: 1,
    });
    try {
      slow.addCluster({ name: "slow" });
      let left = 2;
      await expect(
        reconcileTopics(
          kafkaTopicApi(slowClient),
          event("slow", [topic("t", 1)]),
          options({ remainingMs: () => (left-- > 0 ? 60_000 : 1_000) }),
        ),
      ).rejects.toThrow(
        "the changes were made but the MSK topic API does not show them yet for t (not visible yet)",
      );
    } finally {
      slowClient.destroy();
      await slow.stop();
    }
  });

  it("rejects an input that is not the declared topic set", async () => {
    await expect(
      reconcileTopics(api, { version: 1 } as unknown as TopicManagerEvent, options()),
    ).rejects.toThrow(TopicManagerError);
    await expect(
      reconcileTopics(api, { version: 1 } as unknown as TopicManagerEvent, options()),
    ).rejects.toThrow(
      "invalid input: clusterName must be an MSK cluster name, got undefined; topics must be a list; retired must be a list",
    );
  });
});
