/**
 * Reading a synthesized stack (cdk.tf.json) for the rehearsal: its resources, the references between
 * them, which ones the emulator can take and which are left out (with the reason, transitively).
 */

/** Synthesized Terraform JSON, as far as the rehearsal reads it. */
export interface StackJson {
  readonly terraform?: Record<string, unknown>;
  readonly provider?: { readonly aws?: readonly Record<string, unknown>[] };
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, unknown>;
}

/** One resource of the stack. */
export interface StackResource {
  /** Terraform address, `type.name`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
  /** Addresses of the stack's resources this one references (`${type.name...}` or depends_on). */
  readonly references: readonly string[];
}

/** What the rehearsal knows about a resource type: the provider endpoint it talks to, and whether moto can take it. */
export interface ServiceSupport {
  /** Key of the provider's `endpoints` block (canonical name). */
  readonly endpoint: string;
  /** Why the emulator cannot take this type; absent when it can. */
  readonly unsupported?: string;
}

/**
 * Resource types by family: `aws_s3` covers `aws_s3_bucket`, `aws_s3_bucket_policy`, ... (the longest
 * family wins). Only types listed here are applied; anything else is left out with a reason until someone
 * checks that moto serves it and adds it.
 */
const SERVICES: readonly { readonly family: string; readonly support: ServiceSupport }[] = [
  {
    family: "aws_mskconnect",
    support: { endpoint: "kafkaconnect", unsupported: "moto has no MSK Connect service" },
  },
  {
    family: "aws_msk",
    support: { endpoint: "kafka", unsupported: "moto never brings an MSK cluster past CREATING" },
  },
  {
    family: "aws_lambda_invocation",
    support: {
      endpoint: "lambda",
      unsupported: "moto runs Lambda code only in Docker, which the rehearsal does not start",
    },
  },
  {
    family: "aws_lambda_event_source_mapping",
    support: {
      endpoint: "lambda",
      unsupported:
        'moto 5.2.1 maps only SQS queues, DynamoDB streams and Kinesis streams (an MSK cluster ARN is "Invalid EventSourceArn")',
    },
  },
  { family: "aws_lambda", support: { endpoint: "lambda" } },
  {
    family: "aws_kinesisanalyticsv2",
    support: {
      endpoint: "kinesisanalyticsv2",
      unsupported:
        "moto 5.2.1 serves kinesisanalyticsv2 CreateApplication, DescribeApplication and ListApplications only (no DeleteApplication, UpdateApplication, StartApplication or StopApplication): Terraform could create the Flink application but never start, update or destroy it",
    },
  },
  { family: "aws_glue_registry", support: { endpoint: "glue" } },
  { family: "aws_glue_schema", support: { endpoint: "glue" } },
  { family: "aws_cloudwatch_log", support: { endpoint: "logs" } },
  { family: "aws_cloudwatch_metric_alarm", support: { endpoint: "cloudwatch" } },
  { family: "aws_cloudwatch_composite_alarm", support: { endpoint: "cloudwatch" } },
  { family: "aws_cloudwatch_dashboard", support: { endpoint: "cloudwatch" } },
  { family: "aws_appautoscaling", support: { endpoint: "appautoscaling" } },
  { family: "aws_secretsmanager", support: { endpoint: "secretsmanager" } },
  { family: "aws_sns", support: { endpoint: "sns" } },
  { family: "aws_kms", support: { endpoint: "kms" } },
  { family: "aws_iam", support: { endpoint: "iam" } },
  { family: "aws_s3", support: { endpoint: "s3" } },
  ...[
    "aws_vpc",
    "aws_subnet",
    "aws_route",
    "aws_security_group",
    "aws_default_security_group",
    "aws_default_network_acl",
    "aws_network_acl",
    "aws_eip",
    "aws_nat_gateway",
    "aws_internet_gateway",
    "aws_egress_only_internet_gateway",
    "aws_flow_log",
  ].map((family) => ({ family, support: { endpoint: "ec2" } })),
];

/** Support of one resource type; undefined for a type the rehearsal does not know. */
export function serviceSupport(type: string): ServiceSupport | undefined {
  const matches = SERVICES.filter((s) => type === s.family || type.startsWith(`${s.family}_`)).sort(
    (a, b) => b.family.length - a.family.length,
  );
  return matches[0]?.support;
}

/** Endpoints the provider needs: every service of the stack's resources, plus STS for the account check. */
export function endpointServices(resources: readonly StackResource[]): string[] {
  const services = new Set(["sts", "iam"]);
  for (const r of resources) {
    const support = serviceSupport(r.type);
    if (support) services.add(support.endpoint);
  }
  return [...services].sort();
}

const ADDRESS = /\b((?:data\.)?aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

/** Every string inside a config value. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

function referencesOf(config: Record<string, unknown>, known: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  const { depends_on: dependsOn, "//": _meta, ...rest } = config;
  const replaceTriggers = (config.lifecycle as { replace_triggered_by?: unknown } | undefined)
    ?.replace_triggered_by;
  const candidates = [
    ...strings(rest).flatMap((s) => [...s.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1])),
    // Bare addresses, without ${...}, are references too in these two places.
    ...strings(dependsOn),
    ...strings(replaceTriggers),
  ];
  for (const text of candidates) {
    for (const m of text.matchAll(ADDRESS)) {
      const address = `${m[1]}.${m[2]}`;
      if (known.has(address)) found.add(address);
    }
  }
  return [...found].sort();
}

/** The stack's resources with their references, in address order. */
export function stackResources(stack: StackJson): StackResource[] {
  const entries = Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, config]) => ({ type, name, config, address: `${type}.${name}` })),
  );
  const known = new Set(entries.map((e) => e.address));
  return entries
    .map((e) => ({ ...e, references: referencesOf(e.config, known) }))
    .sort((a, b) => a.address.localeCompare(b.address));
}

/** Why one resource cannot be applied although its type can; undefined when nothing stands in the way. */
function resourceReason(r: StackResource): string | undefined {
  // The rehearsal seeds a placeholder package (tools/rehearsal/function-code.ts), but cannot forge a version id.
  if (r.type === "aws_lambda_function" && r.config.s3_object_version !== undefined) {
    return "its package is pinned to an S3 object version, which the placeholder the rehearsal puts in the emulator cannot have";
  }
  return undefined;
}

/** A resource the rehearsal does not apply, and why. */
export interface Exclusion {
  readonly address: string;
  readonly reason: string;
}

/** Which resources are applied (the -target list) and which are left out. */
export interface TargetSelection {
  readonly targets: readonly string[];
  readonly excluded: readonly Exclusion[];
}

/**
 * Targets every resource the emulator supports, leaving out unsupported types and, transitively, every
 * resource that references one (Terraform would otherwise pull the unsupported one into the -target set).
 */
export function selectTargets(resources: readonly StackResource[]): TargetSelection {
  const reasons = new Map<string, string>();
  // The directly unsupported resource each exclusion traces back to, named in every reason.
  const roots = new Map<string, string>();
  for (const r of resources) {
    const support = serviceSupport(r.type);
    const own = resourceReason(r);
    if (own !== undefined) {
      reasons.set(r.address, own);
    } else if (!support) {
      reasons.set(
        r.address,
        `no emulator support recorded for ${r.type} (check that moto serves it, then add it to tools/rehearsal/stack.ts)`,
      );
    } else if (support.unsupported) {
      reasons.set(r.address, support.unsupported);
    }
    if (reasons.has(r.address)) roots.set(r.address, r.address);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of resources) {
      if (reasons.has(r.address)) continue;
      const blocked = r.references.find((ref) => reasons.has(ref));
      if (blocked) {
        const root = roots.get(blocked) ?? blocked;
        roots.set(r.address, root);
        reasons.set(
          r.address,
          root === blocked
            ? `depends on ${blocked}, which is left out`
            : `depends on ${blocked}, which is left out (it leads to ${root})`,
        );
        changed = true;
      }
    }
  }
  return {
    targets: resources.filter((r) => !reasons.has(r.address)).map((r) => r.address),
    excluded: resources
      .filter((r) => reasons.has(r.address))
      .map((r) => ({ address: r.address, reason: reasons.get(r.address) ?? "" })),
  };
}

/** A nested block as CDKTF writes it: an object, or a list of objects; undefined when absent. */
export function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === "object" ? (first as Record<string, unknown>) : undefined;
}

/** Every occurrence of a nested block, as a list. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is Record<string, unknown> => !!v && typeof v === "object",
  );
}
