/**
 * The part of botocore's kafka service model (the published AWS API model, installed with moto) that the
 * MSK topic API emulator serves: the topic operations and ListClustersV2, with every shape they reach,
 * documentation stripped. The emulator reads only this subset (msk-topic-model.json); a test re-extracts
 * it from botocore and fails when the two differ, so the emulator is built strictly from the model.
 *
 * Regenerate after a botocore upgrade: npm run --silent build && node dist/tools/rehearsal/msk-topic-model.js
 * && npx biome format --write tools/rehearsal/msk-topic-model.json
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { gunzipSync } from "node:zlib";

/** The operations emulated: the six topic operations, and ListClustersV2 to find the cluster and its state. */
export const EMULATED_OPERATIONS = [
  "CreateTopic",
  "DescribeTopic",
  "DescribeTopicPartitions",
  "UpdateTopic",
  "DeleteTopic",
  "ListTopics",
  "ListClustersV2",
] as const;

export type EmulatedOperation = (typeof EMULATED_OPERATIONS)[number];

export interface ModelMember {
  readonly shape: string;
  readonly locationName?: string;
  readonly location?: string;
}

export interface ModelShape {
  readonly type: string;
  readonly members?: Readonly<Record<string, ModelMember>>;
  readonly required?: readonly string[];
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly exception?: boolean;
  readonly error?: { readonly httpStatusCode: number };
  readonly timestampFormat?: string;
}

export interface ModelOperation {
  readonly http: { readonly method: string; readonly requestUri: string; readonly responseCode?: number };
  readonly input: { readonly shape: string };
  readonly output: { readonly shape: string };
  readonly errors: readonly { readonly shape: string }[];
}

export interface ServiceModelSubset {
  readonly metadata: { readonly apiVersion: string; readonly protocol: string; readonly uid?: string };
  readonly operations: Readonly<Record<string, ModelOperation>>;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

interface RawModel {
  readonly metadata: Record<string, unknown>;
  readonly operations: Record<string, Record<string, unknown>>;
  readonly shapes: Record<string, Record<string, unknown>>;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "documentation" && key !== "documentationUrl")
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, v]) => [key, strip(v)]),
    );
  return value;
}

/** The subset for `operations`: their http, input, output and errors, and every shape reachable from them. */
export function extractSubset(model: RawModel, operations: readonly string[]): ServiceModelSubset {
  const shapes: Record<string, unknown> = {};
  const visit = (name: string) => {
    if (name in shapes) return;
    const shape = model.shapes[name];
    if (shape === undefined) throw new Error(`shape ${name} is not in the model`);
    shapes[name] = strip(shape);
    for (const member of Object.values((shape.members ?? {}) as Record<string, ModelMember>))
      visit(member.shape);
    for (const key of ["member", "key", "value"] as const) {
      const ref = shape[key] as { shape: string } | undefined;
      if (ref) visit(ref.shape);
    }
  };
  const ops: Record<string, unknown> = {};
  for (const name of operations) {
    const op = model.operations[name];
    if (op === undefined) throw new Error(`operation ${name} is not in the model`);
    const { http, input, output, errors } = op as unknown as ModelOperation;
    ops[name] = strip({
      http,
      input: { shape: input.shape },
      output: { shape: output.shape },
      errors: (errors ?? []).map((e) => ({ shape: e.shape })),
    });
    visit(input.shape);
    visit(output.shape);
    for (const error of errors ?? []) visit(error.shape);
  }
  const sortedShapes = Object.fromEntries(
    Object.keys(shapes)
      .sort()
      .map((k) => [k, shapes[k]]),
  );
  return {
    metadata: {
      apiVersion: String(model.metadata.apiVersion),
      protocol: String(model.metadata.protocol),
      uid: model.metadata.uid === undefined ? undefined : String(model.metadata.uid),
    },
    operations: ops as Record<string, ModelOperation>,
    shapes: sortedShapes as Record<string, ModelShape>,
  };
}

/** botocore's kafka model file, found through the Python that has botocore (installed with moto). */
export function botocoreKafkaModelFile(python = "python3"): string {
  const root = execFileSync(python, ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"], {
    encoding: "utf8",
  }).trim();
  for (const name of ["service-2.json.gz", "service-2.json"]) {
    const file = join(root, "data", "kafka", "2018-11-14", name);
    if (existsSync(file)) return file;
  }
  throw new Error(`no kafka service model under ${root}/data/kafka/2018-11-14`);
}

export function readServiceModel(file: string): RawModel {
  const bytes = readFileSync(file);
  return JSON.parse((file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8")) as RawModel;
}

/** The committed subset, next to this module in the sources (also when running from dist/). */
export const MODEL_SUBSET_FILE = join(
  __dirname.split(sep).includes("dist") ? join(__dirname, "..", "..", "..", "tools", "rehearsal") : __dirname,
  "msk-topic-model.json",
);

export function loadModelSubset(): ServiceModelSubset {
  return JSON.parse(readFileSync(MODEL_SUBSET_FILE, "utf8")) as ServiceModelSubset;
}

if (require.main === module) {
  const subset = extractSubset(readServiceModel(botocoreKafkaModelFile()), EMULATED_OPERATIONS);
  writeFileSync(MODEL_SUBSET_FILE, `${JSON.stringify(subset, null, 2)}\n`);
  console.log(`wrote ${MODEL_SUBSET_FILE} (${Object.keys(subset.shapes).length} shapes)`);
}
