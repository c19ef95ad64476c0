/**
 * What recovery knows about one object that exists in the account: its Terraform type and id, the
 * attributes the configuration's identity and references read (named as Terraform names them), its tags,
 * and the other objects it uses. Each resource kind (tools/recovery/kinds-*.ts) lists, identifies and, for
 * orphans, deletes its own objects.
 */
import type { AwsClients } from "../aws-clients";

export { pages } from "../aws-clients";

export type Tags = Readonly<Record<string, string>>;

export interface LiveObject {
  /** The Terraform resource type this object is, e.g. "aws_vpc". */
  readonly type: string;
  /** Its Terraform `id`, as a state would hold it. */
  readonly id: string;
  /** The id an `import` block needs (often `id`). */
  readonly importId: string;
  /** For people: what and which, e.g. `VPC vpc-0a1b 10.10.0.0/16 "msk-platform-dev"`. */
  readonly label: string;
  /** Its tags; empty for types that cannot carry tags. */
  readonly tags: Tags;
  /** Terraform-named attributes (id, arn, name, vpc_id, ...): what identity checks and references read. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Ids of other objects it uses (its VPC, subnet, EIP, key): the copy others use is the one to keep. */
  readonly uses: readonly string[];
  readonly createdAt?: Date;
  /** Estimated list price while it exists, USD per month (tools/review/prices.ts); absent when free. */
  readonly monthlyUsd?: number;
}

/** The environment as recovery sees it. */
export interface EnvironmentIdentity {
  readonly name: string;
  readonly project: string;
  readonly accountId: string;
  readonly region: string;
  /** "<project>-<env>": every name the stack gives starts with it or contains it. */
  readonly prefix: string;
}

/** The three tags every resource of the stack carries (the provider's default_tags). */
export function environmentTags(env: EnvironmentIdentity): Tags {
  return { environment: env.name, project: env.project, "managed-by": "cdktf" };
}

/** Whether an object carries this environment's tags: the only objects recovery ever deletes. */
export function hasEnvironmentTags(tags: Tags, env: EnvironmentIdentity): boolean {
  return Object.entries(environmentTags(env)).every(([key, value]) => tags[key] === value);
}

/** Whether an object is tagged for another environment or project: never adopted, never touched. */
export function taggedForOther(tags: Tags, env: EnvironmentIdentity): boolean {
  const own = environmentTags(env);
  return (["environment", "project"] as const).some((k) => tags[k] !== undefined && tags[k] !== own[k]);
}

/** Tag lists of the AWS APIs ({Key, Value} or {key, value}) as a map. */
export function tagMap(
  list: readonly { Key?: string; Value?: string; key?: string; value?: string }[] | undefined,
): Tags {
  const tags: Record<string, string> = {};
  for (const t of list ?? []) {
    const key = t.Key ?? t.key;
    if (key !== undefined) tags[key] = t.Value ?? t.value ?? "";
  }
  return tags;
}

export interface ListContext {
  readonly clients: AwsClients;
  readonly env: EnvironmentIdentity;
  /** Names the configuration and the state give resources of `type` (exact-name lookups). */
  readonly names: (type: string) => readonly string[];
  /**
   * Literal values the configuration and the state give a top-level `attribute` of resources of `type`
   * (a VPC connection's cluster ARN, a log stream's group): lookups by what the stack fixes besides a name.
   */
  readonly values: (type: string, attribute: string) => readonly string[];
}

/** What deleting an orphan did, for the report. */
export type Removal = string;

/** One Terraform resource type: how to find its objects, recognise them and remove an orphan. */
export interface ResourceKind {
  readonly type: string;
  /** For people, e.g. "NAT gateway". */
  readonly what: string;
  /** Lists the objects of this type that may belong to the environment. */
  list(context: ListContext): Promise<LiveObject[]>;
  /**
   * Whether `object` is what the configuration (identity attributes read through `config`) would create.
   * Absent: the type is never imported (its create is idempotent or it has no identity of its own).
   */
  readonly identity?: (config: ConfigView, object: LiveObject) => boolean;
  /** Whether a state resource of this type is `object`. @default state `id` equals object id */
  readonly managedBy?: (values: Readonly<Record<string, unknown>>, object: LiveObject) => boolean;
  /** Deletes an orphan (with this environment's tags); absent: listed, never deleted. */
  readonly remove?: (
    clients: AwsClients,
    object: LiveObject,
    log: (line: string) => void,
  ) => Promise<Removal>;
  /** Deletion order: lower first (NAT gateways before their EIPs, subnets before their VPC). */
  readonly removeOrder?: number;
  /** Why `remove` is absent, shown next to such an orphan. */
  readonly keptBecause?: string;
}

/** A resource's configuration as identity checks read it: references resolved, or UnknownValue. */
export interface ConfigView {
  /** The resolved value at a path like "cidr_block" or "tags.Name"; throws UnknownValue when unresolvable. */
  get(path: string): unknown;
  /** Like get, but undefined when unset or unresolvable. */
  maybe(path: string): unknown;
}

export class UnknownValue extends Error {}

/** An AWS error's name, for messages and "not found" checks. */
export function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? "Error";
}

/** Polls `done` every `ms` until it is true or `attempts` ran out; false on timeout. */
export async function waitFor(done: () => Promise<boolean>, attempts = 120, ms = 5000): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await done()) return true;
    await new Promise((resolveWait) => setTimeout(resolveWait, ms));
  }
  return false;
}
