/**
 * The heart of `npm run recover`: compares what exists in the account with the state and the
 * configuration. An object the configuration would create with that identity (its name, or for unnamed
 * types the identity attributes: a subnet's VPC and CIDR, a NAT gateway's subnet and Name tag, a key's
 * description, ...) but that the state does not hold gets an `import` block; any other object with this
 * environment's tags that the state does not hold is an orphan (a duplicate when it has the identity of a
 * resource the state already holds). Read-only: nothing here changes the account.
 */
import type { AwsClients } from "../aws-clients";
import { type StackJson, type StackResource, stackResources } from "../rehearsal/stack";
import { type AppliedState, resolve, UnresolvableReferenceError } from "../rehearsal/state";
import type { PlannedResource } from "../terraform";
import { consumerKinds } from "./kinds-consumers";
import { networkKinds } from "./kinds-network";
import { serviceKinds } from "./kinds-services";
import {
  type ConfigView,
  type EnvironmentIdentity,
  errorName,
  hasEnvironmentTags,
  type LiveObject,
  type ResourceKind,
  taggedForOther,
  UnknownValue,
} from "./live";

/** Every kind recovery knows, network first. */
export const RESOURCE_KINDS: readonly ResourceKind[] = [...networkKinds, ...serviceKinds, ...consumerKinds];

/**
 * Types whose create writes over or adopts what exists (a PUT of a bucket's configuration, a role's inline
 * policy, an attachment, a scalable target; the VPC's default group), or that have no object of their own:
 * an interrupted create of one leaves nothing to import and no orphan, and the next apply just sends it
 * again. Any other type without a kind is reported as not checked.
 */
export const NOTHING_TO_RECOVER: ReadonlySet<string> = new Set([
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_logging",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_policy_attachment",
  "aws_iam_role_policies_exclusive",
  "aws_iam_role_policy_attachments_exclusive",
  "aws_sns_topic_policy",
  "aws_sns_topic_subscription",
  "aws_secretsmanager_secret_policy",
  "aws_appautoscaling_target",
  "aws_appautoscaling_policy",
  "aws_default_security_group",
  // PutClusterPolicy without a current version: the create overwrites whatever policy the cluster has, and the
  // policy is part of the cluster (its id is the cluster ARN), so there is nothing to duplicate or adopt.
  "aws_msk_cluster_policy",
  // A Terraform-side call with no AWS object: an interrupted invocation is not in the state, so the next apply
  // invokes again (the topic manager reconciles the declared topics idempotently).
  "aws_lambda_invocation",
]);

/** The attribute that holds a type's fixed name, for exact-name lookups. */
const NAME_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_s3_bucket: "bucket",
  aws_msk_cluster: "cluster_name",
  aws_msk_serverless_cluster: "cluster_name",
  aws_cloudwatch_metric_alarm: "alarm_name",
  aws_lambda_function: "function_name",
  aws_glue_registry: "registry_name",
  aws_glue_schema: "schema_name",
};
const nameAttribute = (type: string) => NAME_ATTRIBUTES[type] ?? "name";

export interface ImportBlock {
  /** Terraform address the object is imported to. */
  readonly to: string;
  readonly id: string;
  readonly object: LiveObject;
}

export interface Orphan {
  readonly object: LiveObject;
  readonly kind: ResourceKind;
  /** The address whose identity it has, when it is a second copy of something the state holds. */
  readonly duplicateOf?: string;
}

export interface Reconciliation {
  readonly imports: readonly ImportBlock[];
  readonly orphans: readonly Orphan[];
  /** Objects of the environment the state holds. */
  readonly managed: number;
  /** Types that could not be listed, with the reason: recovery is incomplete for them. */
  readonly unlisted: readonly string[];
  /** Objects with a name the stack would give but another environment's or project's tags: left alone. */
  readonly conflicts: readonly string[];
  /** Ids that objects of the state or adopted ones use: an orphan among them is not deleted yet. */
  readonly inUse: ReadonlySet<string>;
}

export interface ReconcileOptions {
  /** The synthesized stack (cdk.tf.json). */
  readonly stack: StackJson;
  /** The state's resources by address (`terraform show -json`). */
  readonly state: AppliedState;
  readonly env: EnvironmentIdentity;
  readonly clients: AwsClients;
  /** @default RESOURCE_KINDS */
  readonly kinds?: readonly ResourceKind[];
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

const literal = (value: unknown): value is string => typeof value === "string" && !value.includes("${");

/** Reads a config through references resolved against what is known (state and adopted objects). */
export function configView(config: Record<string, unknown>, known: AppliedState): ConfigView {
  const get = (path: string): unknown => {
    let value: unknown = config;
    for (const step of path.split(".")) value = (value as Record<string, unknown> | undefined)?.[step];
    if (value === undefined || value === null) return undefined;
    try {
      return resolve(value, known);
    } catch (error) {
      if (error instanceof UnresolvableReferenceError) throw new UnknownValue(error.message);
      throw error;
    }
  };
  return {
    get,
    maybe: (path) => {
      try {
        return get(path);
      } catch (error) {
        if (error instanceof UnknownValue) return undefined;
        throw error;
      }
    },
  };
}

/** Whether `object` has the identity `resource` would create; unknown references mean no. */
function hasIdentity(
  kind: ResourceKind,
  resource: StackResource,
  known: AppliedState,
  object: LiveObject,
): boolean {
  if (!kind.identity) return false;
  try {
    return kind.identity(configView(resource.config, known), object);
  } catch (error) {
    if (error instanceof UnknownValue) return false;
    throw error;
  }
}

/** Resources ordered so that every resource comes after the ones it references. */
function topological(resources: readonly StackResource[]): StackResource[] {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const done = new Set<string>();
  const ordered: StackResource[] = [];
  const visit = (r: StackResource, path: Set<string>) => {
    if (done.has(r.address) || path.has(r.address)) return;
    path.add(r.address);
    for (const ref of r.references) {
      const target = byAddress.get(ref);
      if (target) visit(target, path);
    }
    done.add(r.address);
    ordered.push(r);
  };
  for (const r of resources) visit(r, new Set());
  return ordered;
}

function asApplied(address: string, object: LiveObject): PlannedResource {
  const [type, name] = address.split(".");
  return { address, mode: "managed", type, name, values: { ...object.attributes } };
}

export async function reconcile(options: ReconcileOptions): Promise<Reconciliation> {
  const log = options.log ?? (() => {});
  const kinds = options.kinds ?? RESOURCE_KINDS;
  const resources = stackResources(options.stack);
  const stateByType = new Map<string, PlannedResource[]>();
  for (const r of options.state.values()) stateByType.set(r.type, [...(stateByType.get(r.type) ?? []), r]);
  const types = new Set([...resources.map((r) => r.type), ...stateByType.keys()]);

  const values = (type: string, attribute: string): string[] =>
    [
      ...new Set([
        ...resources.filter((r) => r.type === type).map((r) => r.config[attribute]),
        ...(stateByType.get(type) ?? []).map((r) => r.values[attribute]),
      ]),
    ].filter(literal);
  const names = (type: string): string[] => values(type, nameAttribute(type));

  const objects = new Map<string, LiveObject[]>();
  const unlisted: string[] = [...types]
    .filter((t) => !RESOURCE_KINDS.some((k) => k.type === t) && !NOTHING_TO_RECOVER.has(t))
    .sort()
    .map((t) => `${t}: recover has no rule for this type yet (add a kind in tools/recovery/kinds-*.ts)`);
  for (const kind of kinds.filter((k) => types.has(k.type))) {
    try {
      const listed = await kind.list({ clients: options.clients, env: options.env, names, values });
      objects.set(kind.type, listed);
      log(`  ${kind.what}: ${listed.length} found`);
    } catch (error) {
      unlisted.push(
        `${kind.type} (${kind.what}): ${errorName(error)}: ${(error as Error).message.split("\n")[0]}`,
      );
    }
  }

  const isManaged = (kind: ResourceKind, object: LiveObject) =>
    (stateByType.get(kind.type) ?? []).some((r) =>
      kind.managedBy ? kind.managedBy(r.values, object) : r.values.id === object.id,
    );
  const all = [...objects.values()].flat();
  const managedIds = new Set(
    kinds.flatMap((k) => (objects.get(k.type) ?? []).filter((o) => isManaged(k, o)).map((o) => o.id)),
  );
  const usedByManaged = new Set(all.filter((o) => managedIds.has(o.id)).flatMap((o) => o.uses));
  const usedByAny = new Set(all.flatMap((o) => o.uses));
  /** The copy to adopt: the one objects of the state use, then one anything uses, then the oldest. */
  const rank = (o: LiveObject): [number, number, number, string] => [
    usedByManaged.has(o.id) ? 0 : 1,
    usedByAny.has(o.id) ? 0 : 1,
    o.createdAt?.getTime() ?? Number.MAX_SAFE_INTEGER,
    o.id,
  ];
  const compare = (a: LiveObject, b: LiveObject) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  };

  const known = new Map(options.state);
  const claimed = new Set<LiveObject>();
  const imports: ImportBlock[] = [];
  const conflicts: string[] = [];
  const kindOf = new Map(kinds.map((k) => [k.type, k]));
  for (const resource of topological(resources)) {
    if (options.state.has(resource.address)) continue;
    const kind = kindOf.get(resource.type);
    if (!kind?.identity) continue;
    const candidates = (objects.get(resource.type) ?? []).filter(
      (o) => !claimed.has(o) && !isManaged(kind, o) && hasIdentity(kind, resource, known, o),
    );
    const foreign = candidates.filter((o) => taggedForOther(o.tags, options.env));
    for (const o of foreign)
      conflicts.push(`${o.label}: has the identity of ${resource.address} but another environment's tags`);
    const chosen = candidates.filter((o) => !foreign.includes(o)).sort(compare)[0];
    if (!chosen) continue;
    claimed.add(chosen);
    imports.push({ to: resource.address, id: chosen.importId, object: chosen });
    known.set(resource.address, asApplied(resource.address, chosen));
  }

  const orphans: Orphan[] = [];
  for (const kind of kinds) {
    for (const o of objects.get(kind.type) ?? []) {
      if (claimed.has(o) || isManaged(kind, o) || !hasEnvironmentTags(o.tags, options.env)) continue;
      const twin = resources.find(
        (r) => r.type === kind.type && known.has(r.address) && hasIdentity(kind, r, known, o),
      );
      orphans.push({ object: o, kind, ...(twin ? { duplicateOf: twin.address } : {}) });
    }
  }
  const inUse = new Set(all.filter((o) => managedIds.has(o.id) || claimed.has(o)).flatMap((o) => o.uses));
  return { imports, orphans, managed: managedIds.size, unlisted, conflicts, inUse };
}
