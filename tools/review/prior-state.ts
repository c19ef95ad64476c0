/**
 * A Terraform state (format version 4) built from a creation plan's planned values, as if that plan had
 * been applied: values only known after apply (ids, ARNs, values derived from them) are filled with
 * deterministic stand-ins, and attributes the configuration derives from other resources
 * (`${aws_subnet.a.id}`, `${replace(aws_msk_cluster.c.arn, ":cluster/", ":topic/")}`) are evaluated
 * against those stand-ins, so planning the same configuration against the state is a no-op.
 *
 * This is how change plans are produced without AWS: plan, build the state, change the configuration,
 * plan again with -refresh=false. Used by the review tests and available to rehearse a change offline.
 */
import { createHash } from "node:crypto";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  OFFLINE_CREDENTIALS,
  type PlanJson,
  type PlannedResource,
  terraform,
  terraformEnv,
  writeOfflineOverride,
} from "../terraform";
import { type PathStep, valueAt } from "./plan-json";

/** The part of `terraform providers schema -json` the builder reads. */
export interface ProviderSchemas {
  readonly provider_schemas: Record<
    string,
    { readonly resource_schemas: Record<string, { readonly version: number; readonly block: SchemaBlock }> }
  >;
}

export interface SchemaBlock {
  readonly attributes?: Record<string, { readonly type?: unknown; readonly nested_type?: unknown }>;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
}

/** Synthesized Terraform JSON (cdk.tf.json), the raw expressions the builder evaluates. */
export interface RawConfig {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: { readonly aws?: readonly Record<string, unknown>[] };
}

export interface StateV4 {
  readonly version: 4;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Record<string, unknown>;
  readonly resources: readonly {
    readonly module?: string;
    readonly mode: "managed";
    readonly type: string;
    readonly name: string;
    readonly provider: string;
    readonly instances: readonly {
      readonly index_key?: string | number;
      readonly schema_version: number;
      readonly attributes: Record<string, unknown>;
      readonly sensitive_attributes: readonly unknown[];
    }[];
  }[];
  readonly check_results: null;
}

/** The schemas of the providers of an initialised stack folder (about 10 s: the provider starts). */
export async function providerSchemas(stackDir: string, cliConfigFile: string): Promise<ProviderSchemas> {
  const result = await terraform(
    stackDir,
    ["providers", "schema", "-json"],
    terraformEnv(cliConfigFile, OFFLINE_CREDENTIALS),
  );
  return JSON.parse(result.stdout) as ProviderSchemas;
}

const hash = (...parts: readonly unknown[]) =>
  createHash("sha256").update(JSON.stringify(parts)).digest("hex");

const uuid = (...parts: readonly unknown[]) => {
  const h = hash(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Which attribute a resource's id repeats, where the provider sets id to something meaningful. */
const ID_IS: Readonly<Record<string, string>> = {
  aws_s3_bucket: "bucket",
  aws_cloudwatch_log_group: "name",
  aws_iam_role: "name",
  aws_kms_key: "key_id",
  aws_kms_alias: "name",
  aws_msk_cluster: "arn",
  aws_msk_configuration: "arn",
  aws_mskconnect_connector: "arn",
  aws_msk_serverless_cluster: "arn",
  aws_secretsmanager_secret: "arn",
  aws_sns_topic: "arn",
};

/** ARN service and resource-kind per type, so derived ARNs look like the real thing. */
const ARN_SHAPE: Readonly<Record<string, readonly [string, string]>> = {
  aws_msk_cluster: ["kafka", "cluster"],
  aws_msk_serverless_cluster: ["kafka", "cluster"],
  aws_msk_configuration: ["kafka", "configuration"],
  aws_mskconnect_connector: ["kafkaconnect", "connector"],
  aws_kms_key: ["kms", "key"],
  aws_kms_alias: ["kms", "alias"],
  aws_s3_bucket: ["s3", ""],
  aws_iam_role: ["iam", "role"],
  aws_cloudwatch_log_group: ["logs", "log-group"],
  aws_secretsmanager_secret: ["secretsmanager", "secret"],
  aws_sns_topic: ["sns", ""],
};

/** Computed strings AWS leaves empty unless a feature is on; a stand-in would switch the feature on. */
const EMPTY_STRING_STAND_INS: ReadonlySet<string> = new Set([
  "fifo_throughput_scope", // SNS: only FIFO topics have one; the provider rejects it on a standard topic
]);

const NUMBER_STAND_INS: Readonly<Record<string, number>> = {
  latest_revision: 1,
  rotation_period_in_days: 365,
};

class Builder {
  private readonly resolved = new Map<string, Record<string, unknown>>();
  private readonly byAddress: Map<string, PlannedResource>;
  private readonly unknown: Map<string, unknown>;
  private readonly region: string;
  private readonly account: string;

  constructor(
    plan: PlanJson,
    private readonly config: RawConfig,
    private readonly schemas: ProviderSchemas,
  ) {
    const resources = (plan.planned_values?.root_module?.resources ?? []).filter((r) => r.mode === "managed");
    this.byAddress = new Map(resources.map((r) => [r.address, { ...r, values: r.values ?? {} }]));
    this.unknown = new Map(
      (plan.resource_changes ?? []).map((c) => [
        c.address,
        (c.change as { after_unknown?: unknown }).after_unknown,
      ]),
    );
    const provider = config.provider?.aws?.[0] ?? {};
    this.region = typeof provider.region === "string" ? provider.region : "us-east-1";
    const accounts = provider.allowed_account_ids;
    this.account = Array.isArray(accounts) && typeof accounts[0] === "string" ? accounts[0] : "000000000000";
  }

  addresses(): PlannedResource[] {
    return [...this.byAddress.values()];
  }

  /** Full attribute values of a resource, unknowns filled. */
  values(address: string): Record<string, unknown> {
    const done = this.resolved.get(address);
    if (done) return done;
    const resource = this.byAddress.get(address);
    if (!resource) throw new Error(`reference to ${address}, which the plan does not create`);
    const values = structuredClone(resource.values) as Record<string, unknown>;
    const leaves: PathStep[][] = [];
    collectUnknown(this.unknown.get(address), [], leaves);
    // Stand-ins first (ids and ARNs other attributes are built from), then values derived from config.
    const derived = leaves.filter((p) => this.rawAt(resource, p) !== undefined);
    for (const path of leaves.filter((p) => !derived.includes(p)))
      setAt(values, path, this.standIn(resource, values, path));
    // Registered before derived values are evaluated: mutual references then see each other's stand-ins.
    this.resolved.set(address, values);
    for (const path of derived) setAt(values, path, this.evaluate(this.rawAt(resource, path)));
    return values;
  }

  /** The raw configuration value at a state path (cdk.tf.json writes single blocks as objects). */
  private rawAt(resource: PlannedResource, path: readonly PathStep[]): unknown {
    let current: unknown = this.config.resource?.[resource.type]?.[resource.name];
    for (const step of path) {
      if (current === null || current === undefined) return undefined;
      if (typeof step === "number") {
        if (Array.isArray(current)) current = current[step];
        else if (typeof current === "object" && step === 0) continue;
        else return undefined;
      } else {
        if (typeof current !== "object" || Array.isArray(current)) return undefined;
        current = (current as Record<string, unknown>)[step];
      }
    }
    return current;
  }

  private schemaType(resource: PlannedResource, path: readonly PathStep[]): unknown {
    const provider = Object.values(this.schemas.provider_schemas).find(
      (p) => p.resource_schemas[resource.type],
    );
    let block: SchemaBlock | undefined = provider?.resource_schemas[resource.type]?.block;
    let type: unknown;
    for (const step of path) {
      if (type !== undefined) {
        // Inside a typed attribute: lists/sets/maps hold their element type, objects their fields.
        if (Array.isArray(type) && (type[0] === "list" || type[0] === "set" || type[0] === "map"))
          type = type[1];
        else if (Array.isArray(type) && type[0] === "object")
          type = (type[1] as Record<string, unknown>)[String(step)];
        continue;
      }
      if (!block) return undefined;
      if (typeof step === "number") continue;
      const attribute = block.attributes?.[step];
      if (attribute) {
        type = attribute.type ?? ["list", "object"];
        block = undefined;
        continue;
      }
      const nested = block.block_types?.[step];
      if (!nested) return undefined;
      block = nested.block;
      if (path[path.length - 1] === step)
        return nested.nesting_mode === "single" ? "block" : ["list", "block"];
    }
    return type ?? (block ? ["list", "block"] : undefined);
  }

  private standIn(
    resource: PlannedResource,
    values: Record<string, unknown>,
    path: readonly PathStep[],
  ): unknown {
    const type = this.schemaType(resource, path);
    const attribute = String(path[path.length - 1]);
    if (type === "number") return NUMBER_STAND_INS[attribute] ?? 0;
    if (type === "bool") return false;
    if (Array.isArray(type))
      return type[0] === "map" || type[0] === "object" ? (type[0] === "map" ? {} : null) : [];
    if (type === "block") return null;
    if (path.length === 1 && attribute === "id" && ID_IS[resource.type]) {
      const source = ID_IS[resource.type];
      const known = values[source];
      return typeof known === "string" ? known : this.standIn(resource, values, [source]);
    }
    if (EMPTY_STRING_STAND_INS.has(attribute)) return "";
    const tag = hash(resource.address, path);
    if (attribute === "arn" || attribute.endsWith("_arn")) return this.arn(resource, values, tag);
    if (attribute === "key_id") return uuid(resource.address);
    if (attribute === "owner_id") return this.account;
    if (attribute === "id" || attribute.endsWith("_id"))
      return `${resource.type.replace(/^aws_/, "").split("_")[0]}-${tag.slice(0, 17)}`;
    return `offline-${attribute}-${tag.slice(0, 8)}`;
  }

  private arn(resource: PlannedResource, values: Record<string, unknown>, tag: string): string {
    const [service, kind] = ARN_SHAPE[resource.type] ?? [
      resource.type.replace(/^aws_/, "").split("_")[0],
      resource.type.replace(/^aws_/, ""),
    ];
    const name = String(values.cluster_name ?? values.bucket ?? values.name ?? resource.name);
    if (service === "kafka" || service === "kafkaconnect")
      return `arn:aws:${service}:${this.region}:${this.account}:${kind}/${name}/${uuid(resource.address)}`;
    if (service === "s3") return `arn:aws:s3:::${name}`;
    if (service === "iam") return `arn:aws:iam::${this.account}:${kind}/${name}`;
    if (service === "kms" && kind === "key")
      return `arn:aws:kms:${this.region}:${this.account}:key/${uuid(resource.address)}`;
    if (service === "logs") return `arn:aws:logs:${this.region}:${this.account}:log-group:${name}`;
    return `arn:aws:${service}:${this.region}:${this.account}:${kind ? `${kind}/` : ""}${name}-${tag.slice(0, 6)}`;
  }

  /** Evaluates a raw cdk.tf.json value: strings with ${...} interpolations, lists, objects. */
  evaluate(raw: unknown): unknown {
    if (Array.isArray(raw)) return raw.map((v) => this.evaluate(v));
    if (raw !== null && typeof raw === "object")
      return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, this.evaluate(v)]));
    if (typeof raw !== "string") return raw;
    const parts = splitTemplate(raw);
    if (parts.length === 1 && typeof parts[0] !== "string") return this.expression(parts[0].expression);
    return parts.map((p) => (typeof p === "string" ? p : stringify(this.expression(p.expression)))).join("");
  }

  private expression(source: string): unknown {
    const parser = new ExpressionParser(source, (ref) => this.reference(ref));
    const value = parser.parse();
    return value;
  }

  private reference(steps: readonly PathStep[]): unknown {
    const [type, name, ...rest] = steps;
    if (typeof type !== "string" || typeof name !== "string" || !type.startsWith("aws_"))
      throw new Error(`cannot evaluate reference ${steps.join(".")} offline`);
    return valueAt(this.values(`${type}.${name}`), rest);
  }
}

function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Error(`cannot interpolate ${JSON.stringify(value)} into a string`);
}

function collectUnknown(unknown: unknown, path: PathStep[], out: PathStep[][]): void {
  if (unknown === true) out.push(path);
  else if (Array.isArray(unknown)) {
    for (let i = 0; i < unknown.length; i++) collectUnknown(unknown[i], [...path, i], out);
  } else if (unknown !== null && typeof unknown === "object")
    for (const [k, u] of Object.entries(unknown)) collectUnknown(u, [...path, k], out);
}

function setAt(target: Record<string, unknown>, path: readonly PathStep[], value: unknown): void {
  let current: Record<string | number, unknown> = target;
  path.forEach((step, i) => {
    if (i === path.length - 1) {
      current[step] = value;
      return;
    }
    if (current[step] === null || current[step] === undefined)
      current[step] = typeof path[i + 1] === "number" ? [] : {};
    current = current[step] as Record<string | number, unknown>;
  });
}

/** Splits "a${x}b" into ["a", {expression: "x"}, "b"]; "$${" is a literal "${". */
export function splitTemplate(text: string): (string | { readonly expression: string })[] {
  const parts: (string | { expression: string })[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      literal += "${";
      i += 3;
    } else if (text.startsWith("${", i)) {
      let depth = 1;
      let j = i + 2;
      let quoted = false;
      while (j < text.length && depth > 0) {
        const ch = text[j];
        if (quoted) {
          if (ch === "\\") j++;
          else if (ch === '"') quoted = false;
        } else if (ch === '"') quoted = true;
        else if (ch === "{") depth++;
        else if (ch === "}") depth--;
        j++;
      }
      if (depth !== 0) throw new Error(`unterminated interpolation in ${text}`);
      if (literal) parts.push(literal);
      literal = "";
      parts.push({ expression: text.slice(i + 2, j - 1).trim() });
      i = j;
    } else {
      literal += text[i++];
    }
  }
  if (literal || parts.length === 0) parts.push(literal);
  return parts;
}

/** The expression subset CDKTF output uses here: references, string/number literals, a few functions. */
class ExpressionParser {
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly resolve: (steps: readonly PathStep[]) => unknown,
  ) {}

  parse(): unknown {
    const value = this.value();
    this.space();
    if (this.pos !== this.source.length) this.fail("unexpected trailing text");
    return value;
  }

  private fail(why: string): never {
    throw new Error(`cannot evaluate \${${this.source}} offline: ${why} at ${this.pos}`);
  }

  private space(): void {
    while (/\s/.test(this.source[this.pos] ?? "")) this.pos++;
  }

  private value(): unknown {
    this.space();
    const ch = this.source[this.pos];
    if (ch === '"') return this.string();
    if (/[0-9]/.test(ch ?? "")) return Number(this.match(/^[0-9.]+/));
    const name = this.match(/^[A-Za-z_][A-Za-z0-9_-]*/);
    this.space();
    if (this.source[this.pos] === "(") return this.call(name);
    const steps: PathStep[] = [name];
    for (;;) {
      if (this.source[this.pos] === ".") {
        this.pos++;
        steps.push(this.match(/^[A-Za-z0-9_-]+/));
      } else if (this.source[this.pos] === "[") {
        this.pos++;
        steps.push(Number(this.match(/^[0-9]+/)));
        if (this.source[this.pos++] !== "]") this.fail("expected ]");
      } else break;
    }
    return this.resolve(steps);
  }

  private match(pattern: RegExp): string {
    const m = pattern.exec(this.source.slice(this.pos));
    if (!m) this.fail(`expected ${pattern}`);
    this.pos += m[0].length;
    return m[0];
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.source.length && this.source[this.pos] !== '"') {
      if (this.source[this.pos] === "\\") this.pos++;
      this.pos++;
    }
    this.pos++;
    return JSON.parse(this.source.slice(start, this.pos)) as string;
  }

  private call(name: string): unknown {
    this.pos++;
    const args: unknown[] = [];
    this.space();
    while (this.source[this.pos] !== ")") {
      args.push(this.value());
      this.space();
      if (this.source[this.pos] === ",") this.pos++;
      else if (this.source[this.pos] !== ")") this.fail("expected , or )");
    }
    this.pos++;
    const text = (i: number) => stringify(args[i]);
    switch (name) {
      case "replace":
        return text(0).split(text(1)).join(text(2));
      case "lower":
        return text(0).toLowerCase();
      case "upper":
        return text(0).toUpperCase();
      case "tostring":
        return text(0);
      case "join":
        return (args[1] as unknown[]).map(stringify).join(text(0));
      case "element":
        return (args[0] as unknown[])[Number(args[1]) % (args[0] as unknown[]).length];
      case "tolist":
      case "toset":
        return args[0];
      case "jsonencode":
        return JSON.stringify(args[0]);
      default:
        return this.fail(`function ${name}() is not supported`);
    }
  }
}

/** The state a creation plan leaves once applied, with deterministic stand-ins for computed values. */
export function stateFromPlan(plan: PlanJson, config: RawConfig, schemas: ProviderSchemas): StateV4 {
  const builder = new Builder(plan, config, schemas);
  const grouped = new Map<
    string,
    { resource: PlannedResource; instances: StateV4["resources"][number]["instances"][number][] }
  >();
  for (const resource of builder.addresses()) {
    const base = resource.address.replace(/\[[^\]]*\]$/, "");
    const index = (resource as PlannedResource & { index?: string | number }).index;
    const entry = grouped.get(base) ?? { resource, instances: [] };
    entry.instances.push({
      ...(index === undefined ? {} : { index_key: index }),
      schema_version: (resource as PlannedResource & { schema_version?: number }).schema_version ?? 0,
      attributes: builder.values(resource.address),
      sensitive_attributes: [],
    });
    grouped.set(base, entry);
  }
  return {
    version: 4,
    terraform_version: plan.terraform_version,
    serial: 1,
    lineage: uuid("lineage", plan.terraform_version, [...grouped.keys()]),
    outputs: {},
    resources: [...grouped.values()].map(({ resource, instances }) => ({
      mode: "managed" as const,
      type: resource.type,
      name: resource.name,
      provider: `provider["${(resource as PlannedResource & { provider_name?: string }).provider_name ?? "registry.terraform.io/hashicorp/aws"}"]`,
      instances,
    })),
    check_results: null,
  };
}

/** Writes a state where the offline override's local backend reads it (terraform.tfstate in the stack). */
export function writeState(stackDir: string, state: StateV4, file = "terraform.tfstate"): string {
  const path = join(stackDir, file);
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
  return path;
}

/**
 * Plans a synthesized stack folder against a state, offline and with -refresh=false, reusing the
 * provider installation of an already initialised stack (same providers, same offline backend), so no
 * second `terraform init` is needed. Writes plan.json next to the stack and returns it.
 */
export async function planAgainstState(
  stackDir: string,
  state: StateV4,
  options: { readonly cliConfigFile: string; readonly initialisedStackDir: string },
): Promise<PlanJson> {
  writeOfflineOverride(stackDir);
  copyFileSync(
    join(options.initialisedStackDir, ".terraform.lock.hcl"),
    join(stackDir, ".terraform.lock.hcl"),
  );
  writeState(stackDir, state);
  const env = terraformEnv(options.cliConfigFile, {
    ...OFFLINE_CREDENTIALS,
    TF_DATA_DIR: join(options.initialisedStackDir, ".terraform"),
  });
  await terraform(
    stackDir,
    ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=plan.tfplan"],
    env,
  );
  const shown = await terraform(stackDir, ["show", "-json", "plan.tfplan"], env);
  writeFileSync(join(stackDir, "plan.json"), shown.stdout);
  return JSON.parse(shown.stdout) as PlanJson;
}

/** A state with no resources: plans against it are creation plans. */
export function emptyState(terraformVersion: string): StateV4 {
  return {
    version: 4,
    terraform_version: terraformVersion,
    serial: 1,
    lineage: uuid("empty", terraformVersion),
    outputs: {},
    resources: [],
    check_results: null,
  };
}
