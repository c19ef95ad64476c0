/**
 * The synthesized Terraform JSON of one stack, indexed the way checkov reads it: resources by type and
 * address, companions found by following `${aws_x.y.attr}` references to their parent.
 */

/** A value anywhere in Terraform JSON. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

/** What `TerraformStack.toTerraform()` returns, the parts the rules read. */
export interface TerraformDocument {
  readonly terraform?: { readonly backend?: Readonly<Record<string, JsonObject>> };
  readonly resource?: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
}

/** One resource (or data source) of the stack. */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** Terraform address: "aws_s3_bucket.sink_bucket_89B78E20", "data.aws_iam_policy_document.x". */
  readonly address: string;
  /** Construct path from the CDKTF metadata, e.g. "prod/sink/bucket". */
  readonly constructPath: string;
  readonly config: JsonObject;
}

/** `${...}` interpolations, and the resource addresses named inside them. */
const INTERPOLATION = /\$\{([^}]*)\}/g;
const ADDRESS = /(?<![\w.-])((?:data\.)?aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

/** Addresses referenced anywhere inside a value, e.g. ["aws_s3_bucket.sink_bucket_89B78E20"]. */
export function referencesIn(value: Json | undefined): string[] {
  const found = new Set<string>();
  const visit = (v: Json | undefined): void => {
    if (typeof v === "string") {
      for (const interpolation of v.matchAll(INTERPOLATION)) {
        for (const address of interpolation[1].matchAll(ADDRESS)) found.add(`${address[1]}.${address[2]}`);
      }
    } else if (Array.isArray(v)) {
      for (const item of v) visit(item);
    } else if (v !== null && typeof v === "object") {
      for (const [key, item] of Object.entries(v)) if (key !== "//") visit(item);
    }
  };
  visit(value);
  return [...found];
}

/** Nested blocks render as an object or a list of objects depending on the schema; rules see a list. */
export function blocks(value: Json | undefined): JsonObject[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v));
}

/** The first nested block, following a path of block names: block(cluster, "encryption_info", "encryption_in_transit"). */
export function block(value: Json | undefined, ...path: string[]): JsonObject | undefined {
  let current: JsonObject | undefined = blocks(value)[0];
  for (const key of path) {
    if (current === undefined) return undefined;
    current = blocks(current[key])[0];
  }
  return current;
}

export function isTrue(value: Json | undefined): boolean {
  return value === true || value === "true";
}

export function asString(value: Json | undefined): string | undefined {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

export function asNumber(value: Json | undefined): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** A list of strings (a single string counts as a one-element list). */
export function asStrings(value: Json | undefined): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

export class TerraformModel {
  private readonly byType = new Map<string, TfResource[]>();
  private readonly byAddress = new Map<string, TfResource>();
  private readonly referencesOf = new Map<string, string[]>();

  constructor(readonly document: TerraformDocument) {
    const add = (prefix: string, types: TerraformDocument["resource"]) => {
      for (const [type, resources] of Object.entries(types ?? {})) {
        for (const [name, config] of Object.entries(resources)) {
          const metadata = block(config["//"], "metadata");
          const resource: TfResource = {
            type: `${prefix}${type}`,
            name,
            address: `${prefix}${type}.${name}`,
            constructPath: asString(metadata?.path) ?? `${prefix}${type}.${name}`,
            config,
          };
          const list = this.byType.get(resource.type) ?? [];
          list.push(resource);
          this.byType.set(resource.type, list);
          this.byAddress.set(resource.address, resource);
        }
      }
    };
    add("", document.resource);
    add("data.", document.data);
  }

  /** Resources of one or more types, in document order. */
  resources(...types: string[]): TfResource[] {
    return types.flatMap((type) => this.byType.get(type) ?? []);
  }

  resource(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  /** Addresses `resource` references in `attribute` (or anywhere, without one). */
  references(resource: TfResource, attribute?: string): string[] {
    if (attribute !== undefined) return referencesIn(resource.config[attribute]);
    let cached = this.referencesOf.get(resource.address);
    if (cached === undefined) {
      cached = referencesIn(resource.config);
      this.referencesOf.set(resource.address, cached);
    }
    return cached;
  }

  /** Resources of `type` whose `attribute` references `parent` (checkov's connection graph). */
  companions(parent: TfResource, type: string, attribute: string): TfResource[] {
    return this.resources(type).filter((r) => referencesIn(r.config[attribute]).includes(parent.address));
  }

  /** Resources that `resource.attribute` references, resolved. */
  referenced(resource: TfResource, attribute: string): TfResource[] {
    return referencesIn(resource.config[attribute])
      .map((address) => this.byAddress.get(address))
      .filter((r): r is TfResource => r !== undefined);
  }

  /** The backend block: its type ("s3", "local", ...) and settings, when the stack declares one. */
  backend(): { readonly type: string; readonly config: JsonObject } | undefined {
    const entries = Object.entries(this.document.terraform?.backend ?? {});
    return entries.length === 0 ? undefined : { type: entries[0][0], config: entries[0][1] };
  }
}
