/**
 * A local HTTP emulator of the MSK topic API (CreateTopic, DescribeTopic, DescribeTopicPartitions,
 * UpdateTopic, DeleteTopic, ListTopics) and ListClustersV2, for testing the topic manager's AWS calls
 * through the real @aws-sdk/client-kafka. moto 5.2.1 has none of these operations, and its kafka clusters
 * never leave CREATING, so the emulator keeps its own clusters, registered by the test in the state it
 * needs (ACTIVE, or CREATING/MAINTENANCE to exercise the wait).
 *
 * Built strictly from botocore's kafka model (msk-topic-model.json): routes, request members and their
 * locations, required members and numeric bounds are read from it; every response body is checked against
 * the operation's output shape, and every error against the operation's declared errors, before it is sent
 * (a mismatch is an emulator bug and answers 500). Behaviour the model does not describe follows the MSK
 * Developer Guide and is listed in the README ("What is emulated").
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type EmulatedOperation,
  loadModelSubset,
  type ModelOperation,
  type ModelShape,
  type ServiceModelSubset,
} from "./msk-topic-model";

/** A cluster the emulator knows, as a test registers it. */
export interface EmulatedCluster {
  readonly name: string;
  /** @default "ACTIVE" */
  readonly state?: string;
  /** @default "PROVISIONED" */
  readonly type?: "PROVISIONED" | "SERVERLESS";
  /** @default "3.7.x.kraft" */
  readonly kafkaVersion?: string;
  /** @default 3 */
  readonly brokers?: number;
  /** Broker defaults DescribeTopic reports for configs a topic does not set. */
  readonly brokerDefaults?: Readonly<Record<string, string>>;
}

/** One request and its answer, for tests to inspect. */
export interface Exchange {
  readonly operation: EmulatedOperation | "unknown";
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly request: Record<string, unknown>;
  readonly response: unknown;
}

/** A topic as the cluster holds it (what Kafka has applied). */
export interface TopicTruth {
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level overrides; DescribeTopic adds the broker defaults. */
  readonly overrides: Readonly<Record<string, string>>;
}

interface TopicHistory {
  /** Applied states with the time they were applied; undefined marks a deletion. */
  readonly versions: { readonly at: number; readonly topic: TopicTruth | undefined }[];
}

interface ClusterRecord {
  readonly arn: string;
  readonly spec: Required<Omit<EmulatedCluster, "state">>;
  state: string;
  readonly topics: Map<string, TopicHistory>;
}

class ApiError extends Error {
  constructor(
    readonly shape: string,
    message: string,
    readonly invalidParameter?: string,
  ) {
    super(message);
  }
}

const DEFAULT_BROKER_CONFIGS: Readonly<Record<string, string>> = {
  "cleanup.policy": "delete",
  "retention.ms": "604800000",
  "retention.bytes": "-1",
  "min.insync.replicas": "2",
  "max.message.bytes": "1048588",
};

/** Kafka topic names: the same rule the validation applies. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export class MskTopicApiEmulator {
  readonly exchanges: Exchange[] = [];
  private readonly model: ServiceModelSubset;
  private readonly clusters = new Map<string, ClusterRecord>();
  private server?: Server;
  private readonly lagMs: number;
  private readonly now: () => number;
  private readonly region: string;
  private readonly account: string;

  constructor(
    options: {
      /** How long a change takes to show in Describe/List responses (MSK: about a minute). @default 0 */
      readonly lagMs?: number;
      readonly now?: () => number;
      readonly region?: string;
      readonly account?: string;
      readonly model?: ServiceModelSubset;
    } = {},
  ) {
    this.model = options.model ?? loadModelSubset();
    this.lagMs = options.lagMs ?? 0;
    this.now = options.now ?? Date.now;
    this.region = options.region ?? "eu-west-1";
    this.account = options.account ?? "111111111111";
  }

  /** Starts on a free loopback port; returns the endpoint for the SDK client. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: `emulator error: ${(error as Error).message}` }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  /** Registers a cluster; returns its ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID-SUFFIX). */
  addCluster(cluster: EmulatedCluster): string {
    const arn = `arn:aws:kafka:${this.region}:${this.account}:cluster/${cluster.name}/${fakeUuid(cluster.name)}-3`;
    this.clusters.set(arn, {
      arn,
      spec: {
        name: cluster.name,
        type: cluster.type ?? "PROVISIONED",
        kafkaVersion: cluster.kafkaVersion ?? "3.7.x.kraft",
        brokers: cluster.brokers ?? 3,
        brokerDefaults: { ...DEFAULT_BROKER_CONFIGS, ...(cluster.brokerDefaults ?? {}) },
      },
      state: cluster.state ?? "ACTIVE",
      topics: new Map(),
    });
    return arn;
  }

  setClusterState(arn: string, state: string): void {
    this.cluster(arn).state = state;
  }

  /** What the cluster holds now (no lag), for assertions. */
  topicsOf(arn: string): Record<string, TopicTruth> {
    const out: Record<string, TopicTruth> = {};
    for (const [name, history] of this.cluster(arn).topics) {
      const latest = history.versions[history.versions.length - 1]?.topic;
      if (latest) out[name] = latest;
    }
    return out;
  }

  /** Puts a topic on the cluster directly, visible at once (a topic made before the platform managed it). */
  seedTopic(arn: string, name: string, topic: TopicTruth): void {
    this.cluster(arn).topics.set(name, { versions: [{ at: Number.NEGATIVE_INFINITY, topic }] });
  }

  /** Operations (by name) of the recorded exchanges, in order. */
  operations(): string[] {
    return this.exchanges.map((e) => e.operation);
  }

  private cluster(arn: string): ClusterRecord {
    const cluster = this.clusters.get(arn);
    if (!cluster) throw new Error(`no emulated cluster ${arn}`);
    return cluster;
  }

  // ---------------------------------------------------------------- HTTP and the model

  private route(
    method: string,
    segments: readonly string[],
  ): { name: EmulatedOperation; params: Record<string, string> } | undefined {
    for (const [name, op] of Object.entries(this.model.operations)) {
      if (op.http.method !== method) continue;
      const template = op.http.requestUri.split("?")[0].split("/").filter(Boolean);
      if (template.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = template.every((part, i) => {
        const label = /^\{(\w+)\}$/.exec(part);
        if (label) {
          params[label[1]] = segments[i];
          return true;
        }
        return part === segments[i];
      });
      if (matches) return { name: name as EmulatedOperation, params };
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? "GET";
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const route = this.route(method, segments);
    const record = (status: number, request: Record<string, unknown>, response: unknown) =>
      this.exchanges.push({
        operation: route?.name ?? "unknown",
        method,
        path: url.pathname,
        status,
        request,
        response,
      });
    if (!route) {
      record(404, {}, { message: "unknown route" });
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ message: `no operation of the emulated model serves ${method} ${url.pathname}` }),
      );
      return;
    }
    const op = this.model.operations[route.name];
    let request: Record<string, unknown> = {};
    try {
      request = this.readInput(op, route.params, url.searchParams, text);
      const output = this.dispatch(route.name, request);
      this.checkShape(op.output.shape, output, `${route.name} response`);
      const status = op.http.responseCode ?? 200;
      record(status, request, output);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(output));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!op.errors.some((e) => e.shape === error.shape))
        throw new Error(`${route.name} may not answer ${error.shape} (not among its errors in the model)`);
      const shape = this.shape(error.shape);
      const body = {
        message: error.message,
        ...(error.invalidParameter ? { invalidParameter: error.invalidParameter } : {}),
      };
      this.checkShape(error.shape, body, `${error.shape} body`);
      const status = shape.error?.httpStatusCode ?? 400;
      record(status, request, { error: error.shape, ...body });
      res.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": error.shape });
      res.end(JSON.stringify(body));
    }
  }

  private shape(name: string): ModelShape {
    const shape = this.model.shapes[name];
    if (!shape) throw new Error(`shape ${name} is not in the model subset`);
    return shape;
  }

  /** The request's members by model name, from the path, the query string and the JSON body. */
  private readInput(
    op: ModelOperation,
    params: Record<string, string>,
    query: URLSearchParams,
    text: string,
  ): Record<string, unknown> {
    const shape = this.shape(op.input.shape);
    let body: Record<string, unknown> = {};
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new ApiError("BadRequestException", "the request body is not JSON");
      }
    }
    const members = shape.members ?? {};
    const known = new Set(
      Object.entries(members)
        .filter(([, m]) => !m.location)
        .map(([n, m]) => m.locationName ?? n),
    );
    for (const key of Object.keys(body))
      if (!known.has(key)) throw new ApiError("BadRequestException", `unexpected member ${key}`, key);
    const input: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(members)) {
      const wire = member.locationName ?? name;
      let value: unknown;
      if (member.location === "uri") value = params[wire];
      else if (member.location === "querystring") value = query.get(wire) ?? undefined;
      else value = body[wire];
      const target = this.shape(member.shape);
      if (value !== undefined && member.location === "querystring" && target.type === "integer")
        value = Number(value);
      if (value === undefined) {
        if (shape.required?.includes(name))
          throw new ApiError("BadRequestException", `missing required parameter ${wire}`, wire);
        continue;
      }
      this.checkValue(member.shape, value, wire);
      input[name] = value;
    }
    return input;
  }

  /** A request value against its shape: type, enum, min/max. */
  private checkValue(shapeName: string, value: unknown, wire: string): void {
    const shape = this.shape(shapeName);
    const bad = (why: string) => new ApiError("BadRequestException", `${wire}: ${why}`, wire);
    if (shape.type === "string") {
      if (typeof value !== "string") throw bad("must be a string");
      if (shape.enum && !shape.enum.includes(value)) throw bad(`must be one of ${shape.enum.join(", ")}`);
    } else if (shape.type === "integer" || shape.type === "long") {
      if (typeof value !== "number" || !Number.isInteger(value)) throw bad("must be an integer");
      if (shape.min !== undefined && value < shape.min) throw bad(`must be >= ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) throw bad(`must be <= ${shape.max}`);
    } else if (shape.type === "boolean" && typeof value !== "boolean") throw bad("must be a boolean");
  }

  /** A response value against the model: an emulator bug when it does not fit. */
  private checkShape(shapeName: string, value: unknown, where: string): void {
    const shape = this.shape(shapeName);
    const fail = (why: string) => {
      throw new Error(`emulator response does not fit the model: ${where}: ${why}`);
    };
    switch (shape.type) {
      case "structure": {
        if (typeof value !== "object" || value === null || Array.isArray(value)) fail("must be an object");
        const members = Object.entries(shape.members ?? {});
        const byWire = new Map(members.map(([name, m]) => [m.locationName ?? name, { name, m }]));
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
          const member = byWire.get(key);
          if (!member) fail(`${key} is not a member of ${shapeName}`);
          else this.checkShape(member.m.shape, v, `${where}.${key}`);
        }
        for (const required of shape.required ?? []) {
          const wire = shape.members?.[required]?.locationName ?? required;
          if ((value as Record<string, unknown>)[wire] === undefined)
            fail(`required member ${wire} is missing`);
        }
        return;
      }
      case "list":
        if (!Array.isArray(value)) fail("must be a list");
        for (const [i, item] of (value as unknown[]).entries())
          this.checkShape(shape.member?.shape ?? "", item, `${where}[${i}]`);
        return;
      case "map":
        if (typeof value !== "object" || value === null) fail("must be an object");
        for (const [k, v] of Object.entries(value as Record<string, unknown>))
          this.checkShape(shape.value?.shape ?? "", v, `${where}.${k}`);
        return;
      case "string":
        if (typeof value !== "string") fail("must be a string");
        if (shape.enum && !shape.enum.includes(value as string))
          fail(`${String(value)} is not one of ${shape.enum.join(", ")}`);
        return;
      case "integer":
      case "long":
        if (typeof value !== "number" || !Number.isInteger(value)) fail("must be an integer");
        if (shape.min !== undefined && (value as number) < shape.min) fail(`must be >= ${shape.min}`);
        if (shape.max !== undefined && (value as number) > shape.max) fail(`must be <= ${shape.max}`);
        return;
      case "boolean":
        if (typeof value !== "boolean") fail("must be a boolean");
        return;
      case "timestamp":
        if (typeof value !== "string" || Number.isNaN(Date.parse(value)))
          fail("must be an ISO 8601 timestamp");
        return;
      default:
        fail(`type ${shape.type} is not emulated`);
    }
  }

  // ---------------------------------------------------------------- behaviour

  private dispatch(operation: EmulatedOperation, input: Record<string, unknown>): Record<string, unknown> {
    if (operation === "ListClustersV2") return this.listClusters(input);
    const cluster = this.topicCluster(String(input.ClusterArn), operation);
    const name = input.TopicName === undefined ? undefined : String(input.TopicName);
    switch (operation) {
      case "CreateTopic":
        return this.createTopic(cluster, name ?? "", input);
      case "DescribeTopic":
        return this.describeTopic(cluster, name ?? "");
      case "DescribeTopicPartitions":
        return this.describePartitions(cluster, name ?? "", input);
      case "UpdateTopic":
        return this.updateTopic(cluster, name ?? "", input);
      case "DeleteTopic":
        return this.deleteTopic(cluster, name ?? "");
      case "ListTopics":
        return this.listTopics(cluster, input);
    }
  }

  private listClusters(input: Record<string, unknown>): Record<string, unknown> {
    const prefix = input.ClusterNameFilter === undefined ? "" : String(input.ClusterNameFilter);
    const type = input.ClusterTypeFilter === undefined ? undefined : String(input.ClusterTypeFilter);
    const infos = [...this.clusters.values()]
      .filter((c) => c.spec.name.startsWith(prefix) && (type === undefined || c.spec.type === type))
      .sort((a, b) => a.spec.name.localeCompare(b.spec.name))
      .map((cluster) => this.clusterInfo(cluster));
    return this.page(infos, input, "clusterInfoList");
  }

  private clusterInfo(cluster: ClusterRecord): Record<string, unknown> {
    const info: Record<string, unknown> = {
      clusterArn: cluster.arn,
      clusterName: cluster.spec.name,
      clusterType: cluster.spec.type,
      state: cluster.state,
      currentVersion: "K3AEGXETSR30VB",
    };
    if (cluster.spec.type === "PROVISIONED") {
      info.provisioned = {
        brokerNodeGroupInfo: {
          clientSubnets: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"],
          instanceType: "kafka.m5.large",
        },
        currentBrokerSoftwareInfo: { kafkaVersion: cluster.spec.kafkaVersion },
        numberOfBrokerNodes: cluster.spec.brokers,
      };
    } else {
      info.serverless = {
        vpcConfigs: [{ subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"] }],
      };
    }
    return info;
  }

  /**
   * The cluster of a topic operation, checked against the topic API's requirements (MSK Developer Guide,
   * "Topic Operations"): provisioned, Kafka 3.6.0 or later, ACTIVE.
   */
  private topicCluster(arn: string, operation: EmulatedOperation): ClusterRecord {
    const cluster = this.clusters.get(arn);
    // CreateTopic and ListTopics declare no NotFoundException in the model: they answer BadRequest.
    const missing = ["CreateTopic", "ListTopics"].includes(operation)
      ? "BadRequestException"
      : "NotFoundException";
    if (!cluster) throw new ApiError(missing, `cluster ${arn} does not exist`, "clusterArn");
    if (cluster.spec.type !== "PROVISIONED")
      throw new ApiError(
        "BadRequestException",
        "topic operations are not supported for serverless clusters",
        "clusterArn",
      );
    const [major, minor] = cluster.spec.kafkaVersion.split(".").map(Number);
    if (major < 3 || (major === 3 && minor < 6))
      throw new ApiError(
        "BadRequestException",
        `topic operations need Apache Kafka 3.6.0 or later; the cluster runs ${cluster.spec.kafkaVersion}`,
        "clusterArn",
      );
    if (cluster.state !== "ACTIVE")
      throw new ApiError(
        "BadRequestException",
        `the cluster is ${cluster.state}; topic operations need it ACTIVE`,
        "clusterArn",
      );
    return cluster;
  }

  /** The applied state now (what Kafka holds). */
  private truth(cluster: ClusterRecord, name: string): TopicTruth | undefined {
    const versions = cluster.topics.get(name)?.versions ?? [];
    return versions[versions.length - 1]?.topic;
  }

  /** What the API shows: the state as of `lagMs` ago, and the kind of change still on its way. */
  private visible(
    cluster: ClusterRecord,
    name: string,
  ): { topic?: TopicTruth; pending?: "CREATING" | "UPDATING" | "DELETING" } {
    const versions = cluster.topics.get(name)?.versions ?? [];
    const horizon = this.now() - this.lagMs;
    const shown = [...versions].reverse().find((v) => v.at <= horizon);
    const latest = versions[versions.length - 1];
    if (!latest || latest === shown) return { topic: shown?.topic };
    const pending =
      latest.topic === undefined ? "DELETING" : shown?.topic === undefined ? "CREATING" : "UPDATING";
    return { topic: shown?.topic, pending };
  }

  private apply(cluster: ClusterRecord, name: string, topic: TopicTruth | undefined): void {
    const history = cluster.topics.get(name) ?? { versions: [] };
    history.versions.push({ at: this.now(), topic });
    cluster.topics.set(name, history);
  }

  private topicArn(cluster: ClusterRecord, name: string): string {
    return `${cluster.arn.replace(":cluster/", ":topic/")}/${name}`;
  }

  private decodeConfigs(encoded: unknown): Record<string, string> {
    if (encoded === undefined) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(String(encoded), "base64").toString("utf8"));
    } catch {
      throw new ApiError("BadRequestException", "configs must be Base64 of a JSON object", "configs");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new ApiError("BadRequestException", "configs must be Base64 of a JSON object", "configs");
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }

  private createTopic(
    cluster: ClusterRecord,
    name: string,
    input: Record<string, unknown>,
  ): Record<string, unknown> {
    if (!TOPIC_NAME.test(name) || name === "." || name === "..")
      throw new ApiError("BadRequestException", `invalid topic name ${name}`, "topicName");
    if (this.truth(cluster, name))
      throw new ApiError("TopicExistsException", `topic ${name} already exists`, "topicName");
    const replicationFactor = Number(input.ReplicationFactor);
    if (replicationFactor > cluster.spec.brokers)
      throw new ApiError(
        "BadRequestException",
        `replication factor ${replicationFactor} is larger than the ${cluster.spec.brokers} available brokers`,
        "replicationFactor",
      );
    const overrides = this.decodeConfigs(input.Configs);
    this.apply(cluster, name, { partitions: Number(input.PartitionCount), replicationFactor, overrides });
    return { topicArn: this.topicArn(cluster, name), topicName: name, status: "CREATING" };
  }

  private describeTopic(cluster: ClusterRecord, name: string): Record<string, unknown> {
    const { topic, pending } = this.visible(cluster, name);
    if (!topic) throw new ApiError("NotFoundException", `topic ${name} does not exist`, "topicName");
    const configs = { ...cluster.spec.brokerDefaults, ...topic.overrides };
    return {
      topicArn: this.topicArn(cluster, name),
      topicName: name,
      replicationFactor: topic.replicationFactor,
      partitionCount: topic.partitions,
      configs: Buffer.from(JSON.stringify(configs), "utf8").toString("base64"),
      status: pending ?? "ACTIVE",
    };
  }

  private describePartitions(
    cluster: ClusterRecord,
    name: string,
    input: Record<string, unknown>,
  ): Record<string, unknown> {
    const { topic } = this.visible(cluster, name);
    if (!topic) throw new ApiError("NotFoundException", `topic ${name} does not exist`, "topicName");
    const brokers = cluster.spec.brokers;
    const all = Array.from({ length: topic.partitions }, (_, p) => {
      const replicas = Array.from({ length: topic.replicationFactor }, (_, r) => ((p + r) % brokers) + 1);
      return { partition: p, leader: replicas[0], replicas, isr: replicas };
    });
    return this.page(all, input, "partitions");
  }

  private updateTopic(
    cluster: ClusterRecord,
    name: string,
    input: Record<string, unknown>,
  ): Record<string, unknown> {
    const current = this.truth(cluster, name);
    if (!current) throw new ApiError("NotFoundException", `topic ${name} does not exist`, "topicName");
    const hasConfigs = input.Configs !== undefined;
    const hasPartitions = input.PartitionCount !== undefined;
    // MSK Developer Guide, "Update a topic": partitions or configs in one call, not both.
    if (hasConfigs === hasPartitions)
      throw new ApiError(
        "BadRequestException",
        "update either the partition count or the configs, in separate calls",
        hasConfigs ? "partitionCount" : "configs",
      );
    if (hasPartitions) {
      const partitions = Number(input.PartitionCount);
      if (partitions <= current.partitions)
        throw new ApiError(
          "BadRequestException",
          `topic ${name} has ${current.partitions} partitions; the partition count can only be increased`,
          "partitionCount",
        );
      this.apply(cluster, name, { ...current, partitions });
    } else {
      // The configs replace the topic's overrides: unlisted keys return to the broker defaults.
      this.apply(cluster, name, { ...current, overrides: this.decodeConfigs(input.Configs) });
    }
    return { topicArn: this.topicArn(cluster, name), topicName: name, status: "UPDATING" };
  }

  private deleteTopic(cluster: ClusterRecord, name: string): Record<string, unknown> {
    if (!this.truth(cluster, name))
      throw new ApiError("NotFoundException", `topic ${name} does not exist`, "topicName");
    this.apply(cluster, name, undefined);
    return { topicArn: this.topicArn(cluster, name), topicName: name, status: "DELETING" };
  }

  private listTopics(cluster: ClusterRecord, input: Record<string, unknown>): Record<string, unknown> {
    const filter = input.TopicNameFilter === undefined ? "" : String(input.TopicNameFilter);
    const topics = [...cluster.topics.keys()]
      .sort()
      .filter((name) => name.startsWith(filter))
      .flatMap((name) => {
        const { topic } = this.visible(cluster, name);
        return topic
          ? [
              {
                topicArn: this.topicArn(cluster, name),
                topicName: name,
                replicationFactor: topic.replicationFactor,
                partitionCount: topic.partitions,
                outOfSyncReplicaCount: 0,
              },
            ]
          : [];
      });
    return this.page(topics, input, "topics");
  }

  private page(
    items: readonly unknown[],
    input: Record<string, unknown>,
    key: string,
  ): Record<string, unknown> {
    const size = input.MaxResults === undefined ? 100 : Number(input.MaxResults);
    const start =
      input.NextToken === undefined
        ? 0
        : Number(Buffer.from(String(input.NextToken), "base64").toString("utf8"));
    if (!Number.isInteger(start) || start < 0)
      throw new ApiError("BadRequestException", "invalid nextToken", "nextToken");
    const slice = items.slice(start, start + size);
    const next =
      start + size < items.length ? Buffer.from(String(start + size)).toString("base64") : undefined;
    return { [key]: slice, ...(next ? { nextToken: next } : {}) };
  }
}

/** A stable UUID-shaped id for a cluster name, so ARNs are predictable in tests. */
function fakeUuid(seed: string): string {
  let h = 2166136261;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${seed}/${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    hex.push(h.toString(16).padStart(8, "0"));
  }
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}
