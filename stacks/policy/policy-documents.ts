/**
 * IAM policy documents found in the Terraform JSON, normalised so rules can read statements whatever their
 * source: a JSON string (as modules/common/iam.ts renders them) or an `aws_iam_policy_document` data source.
 */
import {
  asStrings,
  blocks,
  type Json,
  type JsonObject,
  referencesIn,
  type TerraformModel,
  type TfResource,
} from "./terraform-model";

export interface Principal {
  /** "AWS", "Service", "Federated", "CanonicalUser" or "*" for the bare `"Principal": "*"`. */
  readonly type: string;
  readonly id: string;
}

export interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly principals: readonly Principal[];
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly Condition[];
}

/** Where a policy sits decides which rules read it. */
export type PolicyKind = "trust" | "identity" | "resource" | "key";

export interface PolicyLocation {
  readonly resource: TfResource;
  /** The attribute holding the document, e.g. "assume_role_policy" or "inline_policy[0].policy". */
  readonly attribute: string;
  readonly kind: PolicyKind;
  /** The statements, or why the document could not be read at synth. */
  readonly statements?: readonly Statement[];
  readonly unreadable?: string;
}

/** Resource type -> attributes holding a policy document, and their kind. */
const POLICY_ATTRIBUTES: readonly { type: string; attribute: string; kind: PolicyKind }[] = [
  { type: "aws_iam_role", attribute: "assume_role_policy", kind: "trust" },
  { type: "aws_iam_role_policy", attribute: "policy", kind: "identity" },
  { type: "aws_iam_policy", attribute: "policy", kind: "identity" },
  { type: "aws_iam_user_policy", attribute: "policy", kind: "identity" },
  { type: "aws_iam_group_policy", attribute: "policy", kind: "identity" },
  { type: "aws_s3_bucket_policy", attribute: "policy", kind: "resource" },
  { type: "aws_sns_topic", attribute: "policy", kind: "resource" },
  { type: "aws_sns_topic_policy", attribute: "policy", kind: "resource" },
  { type: "aws_sqs_queue_policy", attribute: "policy", kind: "resource" },
  { type: "aws_secretsmanager_secret", attribute: "policy", kind: "resource" },
  { type: "aws_secretsmanager_secret_policy", attribute: "policy", kind: "resource" },
  { type: "aws_msk_cluster_policy", attribute: "policy", kind: "resource" },
  { type: "aws_cloudwatch_log_resource_policy", attribute: "policy_document", kind: "resource" },
  { type: "aws_kms_key", attribute: "policy", kind: "key" },
  { type: "aws_kms_key_policy", attribute: "policy", kind: "key" },
];

const WHOLE_REFERENCE = /^\$\{(data\.aws_iam_policy_document\.[A-Za-z0-9_-]+)\.(json|minified_json)\}$/;

function principalsOf(value: unknown): Principal[] {
  if (value === undefined || value === null) return [];
  if (value === "*") return [{ type: "*", id: "*" }];
  if (typeof value !== "object") return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([type, ids]) =>
    (Array.isArray(ids) ? ids : [ids])
      .filter((id): id is string => typeof id === "string")
      .map((id) => ({ type, id })),
  );
}

function conditionsOf(value: unknown): Condition[] {
  if (value === undefined || value === null || typeof value !== "object") return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([operator, keys]) =>
    Object.entries((keys ?? {}) as Record<string, unknown>).map(([key, values]) => ({
      operator,
      key,
      values: (Array.isArray(values) ? values : [values]).map(String),
    })),
  );
}

function listOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Replaces every `${...}` interpolation with a placeholder. CDKTF inlines function calls such as
 * `${replace(aws_msk_cluster.x.arn, ":cluster/", ":topic/")}` unescaped inside the JSON text (Terraform
 * renders them before the JSON is read), so the raw text only parses once they are masked.
 */
function maskInterpolations(text: string): { masked: string; expressions: string[] } {
  const expressions: string[] = [];
  let masked = "";
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf("${", i);
    if (start < 0) break;
    let depth = 0;
    let inString = false;
    let end = -1;
    for (let j = start + 2; j < text.length; j++) {
      const ch = text[j];
      if (inString) {
        if (ch === "\\") j++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "{") depth++;
      else if (ch === "}") {
        if (depth === 0) {
          end = j;
          break;
        }
        depth--;
      }
    }
    if (end < 0) break;
    masked += `${text.slice(i, start)}\uE000${expressions.length}\uE000`;
    expressions.push(text.slice(start, end + 1));
    i = end + 1;
  }
  return { masked: masked + text.slice(i), expressions };
}

/** Statements of a JSON policy document string. */
function fromJson(text: string): readonly Statement[] | string {
  const { masked, expressions } = maskInterpolations(text);
  const restore = (value: unknown): unknown => {
    if (typeof value === "string")
      return value.replace(/\uE000(\d+)\uE000/g, (_, n: string) => expressions[Number(n)]);
    if (Array.isArray(value)) return value.map(restore);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [restore(k) as string, restore(v)]));
    }
    return value;
  };
  let parsed: unknown;
  try {
    parsed = restore(JSON.parse(masked));
  } catch {
    return "it is not a JSON document";
  }
  const raw = (parsed as { Statement?: unknown })?.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((s: Record<string, unknown>) => ({
    sid: typeof s.Sid === "string" ? s.Sid : undefined,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    principals: principalsOf(s.Principal),
    actions: listOf(s.Action),
    notActions: listOf(s.NotAction),
    resources: listOf(s.Resource),
    conditions: conditionsOf(s.Condition),
  }));
}

/** Statements of an `aws_iam_policy_document` data source. */
function fromDataSource(source: TfResource): readonly Statement[] {
  return blocks(source.config.statement).map((s) => ({
    sid: typeof s.sid === "string" ? s.sid : undefined,
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    principals: blocks(s.principals).flatMap((p) =>
      asStrings(p.identifiers).map((id) => ({ type: String(p.type), id })),
    ),
    actions: asStrings(s.actions),
    notActions: asStrings(s.not_actions),
    resources: asStrings(s.resources),
    conditions: blocks(s.condition).map((c) => ({
      operator: String(c.test),
      key: String(c.variable),
      values: asStrings(c.values),
    })),
  }));
}

function read(model: TerraformModel, value: Json | undefined): readonly Statement[] | string {
  if (typeof value !== "string" || value.length === 0) return "it is missing or not a string";
  const reference = WHOLE_REFERENCE.exec(value);
  if (reference) {
    const source = model.resource(reference[1]);
    return source ? fromDataSource(source) : `it references ${reference[1]}, which is not in the stack`;
  }
  if (value.trimStart().startsWith("{")) return fromJson(value);
  return `it is the expression ${value.length > 60 ? `${value.slice(0, 57)}...` : value}, not a JSON document (references: ${referencesIn(value).join(", ") || "none"})`;
}

/** Every policy document of the stack with its kind. */
export function policyDocuments(model: TerraformModel): PolicyLocation[] {
  const locations: PolicyLocation[] = [];
  const add = (resource: TfResource, attribute: string, kind: PolicyKind, value: Json | undefined) => {
    const result = read(model, value);
    locations.push(
      typeof result === "string"
        ? { resource, attribute, kind, unreadable: result }
        : { resource, attribute, kind, statements: result },
    );
  };
  for (const { type, attribute, kind } of POLICY_ATTRIBUTES) {
    for (const resource of model.resources(type)) {
      const value = resource.config[attribute];
      // An absent optional policy (an SNS topic without one) is not a document to check.
      if (value === undefined && type !== "aws_iam_role" && !type.endsWith("_policy")) continue;
      add(resource, attribute, kind, value);
    }
  }
  for (const role of model.resources("aws_iam_role")) {
    blocks(role.config.inline_policy).forEach((inline: JsonObject, i) => {
      add(role, `inline_policy[${i}].policy`, "identity", inline.policy);
    });
  }
  return locations;
}

/** A principal that is anyone: `"*"` or `{"AWS": "*"}`. */
export function isWildcardPrincipal(principal: Principal): boolean {
  return principal.id === "*" && (principal.type === "*" || principal.type === "AWS");
}
