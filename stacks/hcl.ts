/**
 * `cdktf synth --hcl`: the stack's Terraform JSON (exactly what cdk.tf.json holds, the semantics Terraform
 * reads) rewritten in native syntax, laid out as `terraform fmt` writes it.
 *
 * Why not cdktf's own HCL: it writes a string that contains `${` between quotes without escaping it (JSON
 * policy documents with references become unparseable), leaves an empty list of blocks (`egress = []`
 * on the default security group) out entirely (the rules would no longer be enforced), turns multi-line
 * strings into heredocs with an extra trailing newline, and does not indent. Here the values come from the
 * same JSON as cdk.tf.json; cdktf is asked only which attributes are nested blocks (its generated provider
 * bindings know the schema). Anything this renderer cannot write exactly is an error naming the resource
 * and attribute: synth stops instead of writing HCL that means something else.
 */

import {
  DefaultTokenResolver,
  StringConcat,
  TerraformElement,
  type TerraformStack,
  Tokenization,
} from "cdktf";
import {
  hclExpression,
  hclTemplate,
  templateParts,
  whileRenderingHcl,
} from "../modules/common/hcl-rendering";

/** Raised when some part of a stack has no exact native-syntax form here. */
export class HclRenderError extends Error {}

/** Which attributes of a body are nested blocks, and the shape of each block's own body. */
export interface BodyShape {
  readonly blocks: ReadonlyMap<string, BodyShape>;
}

const EMPTY_SHAPE: BodyShape = { blocks: new Map() };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the block structure out of one body of cdktf's HCL fragments ({ value, isBlock, type, ... }). */
function shapeOf(body: unknown): BodyShape {
  if (!isObject(body)) return EMPTY_SHAPE;
  const blocks = new Map<string, BodyShape>();
  for (const [name, attribute] of Object.entries(body)) {
    if (!isObject(attribute)) continue;
    const block = attribute.isBlock === true || attribute.is_block === true;
    if (!block) continue;
    const value = attribute.value;
    const elements = Array.isArray(value) ? value : [value];
    const merged = new Map<string, BodyShape>();
    for (const element of elements) for (const [k, v] of shapeOf(element).blocks) merged.set(k, v);
    blocks.set(name, { blocks: merged });
  }
  return { blocks };
}

/** The block shapes of every resource, data source and provider of a stack, from cdktf's HCL fragments. */
export interface StackShapes {
  readonly resource: ReadonlyMap<string, BodyShape>;
  readonly data: ReadonlyMap<string, BodyShape>;
  readonly provider: ReadonlyMap<string, BodyShape>;
}

export function stackShapes(stack: TerraformStack): StackShapes {
  const shapes = {
    resource: new Map<string, BodyShape>(),
    data: new Map<string, BodyShape>(),
    provider: new Map<string, BodyShape>(),
  };
  for (const element of stack.node.findAll()) {
    if (!(element instanceof TerraformElement)) continue;
    const fragment = Tokenization.resolve(element.toHclTerraform(), {
      scope: stack,
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    }) as Record<string, unknown>;
    for (const kind of ["resource", "data"] as const) {
      const byType = fragment[kind];
      if (!isObject(byType)) continue;
      for (const [type, byName] of Object.entries(byType)) {
        if (!isObject(byName)) continue;
        for (const [name, body] of Object.entries(byName)) shapes[kind].set(`${type}.${name}`, shapeOf(body));
      }
    }
    const providers = fragment.provider;
    if (isObject(providers)) {
      for (const [name, configs] of Object.entries(providers)) {
        const first = Array.isArray(configs) ? configs[0] : configs;
        shapes.provider.set(name, shapeOf(first));
      }
    }
  }
  return shapes;
}

/** One line of output: attributes carry their name so runs of them can be aligned as fmt does. */
interface Line {
  readonly indent: number;
  readonly text: string;
  /** Set on a single-line attribute: the name before " = ". */
  readonly name?: string;
}

/** Where in the stack a value sits, for error messages. */
type Where = string;

function fail(where: Where, problem: string): never {
  throw new HclRenderError(`${where}: ${problem}`);
}

/** A resolved string as an expression; an error names where it sits when it cannot be written exactly. */
function expression(value: Json, where: Where): string {
  try {
    return hclExpression(value);
  } catch (error) {
    return fail(where, (error as Error).message);
  }
}

/** Whether a value is written over several lines: a non-empty object, or a list holding an object. */
function spansLines(value: Json): boolean {
  if (isObject(value)) return Object.keys(value).length > 0;
  return Array.isArray(value) && value.some((item) => isObject(item));
}

/**
 * A value written over several lines, `head` before its opening bracket and `tail` after its closing one:
 * object entries one per line (single-line ones aligned by layout()), list elements one per line, each
 * followed by a comma, as terraform fmt keeps them.
 */
function valueLines(head: string, value: Json, indent: number, tail: string, where: Where): Line[] {
  if (Array.isArray(value)) {
    const items = value.flatMap((item, i): Line[] =>
      spansLines(item)
        ? valueLines("", item, indent + 1, ",", `${where}[${i}]`)
        : [{ indent: indent + 1, text: `${expression(item, `${where}[${i}]`)},` }],
    );
    return [{ indent, text: `${head}[` }, ...items, { indent, text: `]${tail}` }];
  }
  const entries = Object.entries(value as JsonObject).flatMap(([key, item]): Line[] => {
    const name = objectKey(key, `${where}.${key}`);
    return spansLines(item)
      ? valueLines(`${name} = `, item, indent + 1, "", `${where}.${key}`)
      : [{ indent: indent + 1, name, text: expression(item, `${where}.${key}`) }];
  });
  return [{ indent, text: `${head}{` }, ...entries, { indent, text: `}${tail}` }];
}

/** The HCL form of a policy document (modules/common/hcl-rendering.ts): `${jsonencode(<JSON>)}`. */
const JSONENCODE = /^\$\{jsonencode\(([\s\S]*)\)\}$/;

/** An attribute: one line, or several for an object, a list of objects or a jsonencode(...) document. */
function attributeLines(name: string, value: Json, indent: number, where: Where): Line[] {
  const encoded = typeof value === "string" ? JSONENCODE.exec(value)?.[1] : undefined;
  if (encoded !== undefined) {
    let document: Json | undefined;
    try {
      document = JSON.parse(encoded) as Json;
    } catch {
      document = undefined; // another jsonencode(...) expression: written as it is, on one line
    }
    if (document !== undefined && spansLines(document))
      return valueLines(`${name} = jsonencode(`, document, indent, ")", where);
  }
  if (spansLines(value)) return valueLines(`${name} = `, value, indent, "", where);
  return [{ indent, name, text: expression(value, where) }];
}

/** An object key: bare when it is an identifier, else a quoted literal. */
function objectKey(key: string, where: Where): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return key;
  if (templateParts(key).some((p) => p.expression !== undefined))
    fail(where, "an object key with an interpolation");
  return hclTemplate(key);
}

/** A body: attributes first-come, nested blocks as their own blocks, `//` metadata left out. */
function bodyLines(body: JsonObject, shape: BodyShape, indent: number, where: Where): Line[] {
  const lines: Line[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name === "//") continue;
    const here = `${where}.${name}`;
    const block = shape.blocks.get(name);
    if (block !== undefined) {
      const elements = Array.isArray(value) ? value : [value];
      // No blocks at all: the attribute-as-blocks form (`egress = []`) says "none" explicitly, as the JSON does.
      if (elements.length === 0) lines.push({ indent, name, text: "[]" });
      for (const element of elements) {
        if (!isObject(element)) fail(here, `expected a block body, got ${JSON.stringify(element)}`);
        lines.push({ indent, text: `${name} {` }, ...bodyLines(element, block, indent + 1, here), {
          indent,
          text: "}",
        });
      }
    } else if (name === "lifecycle" && isObject(value)) {
      lines.push({ indent, text: "lifecycle {" }, ...lifecycleLines(value, indent + 1, here), {
        indent,
        text: "}",
      });
    } else if (name === "depends_on" || name === "provider") {
      lines.push({ indent, name, text: references(value, here) });
    } else if (["dynamic", "provisioner", "connection"].includes(name)) {
      fail(here, `${name} blocks are not supported by the HCL renderer`);
    } else {
      lines.push(...attributeLines(name, value, indent, here));
    }
  }
  return lines;
}

/** depends_on / provider / lifecycle lists: Terraform JSON holds them as strings, HCL as bare traversals. */
function references(value: Json, where: Where): string {
  const bare = (item: Json): string => {
    if (typeof item !== "string") return fail(where, `expected a reference, got ${JSON.stringify(item)}`);
    const parts = templateParts(item);
    const text = parts.length === 1 && parts[0].expression !== undefined ? parts[0].expression : item;
    if (!/^[A-Za-z_][\w.\-[\]"]*$/.test(text)) fail(where, `not a reference: ${JSON.stringify(item)}`);
    return text;
  };
  return Array.isArray(value) ? `[${value.map(bare).join(", ")}]` : bare(value);
}

function lifecycleLines(lifecycle: Record<string, unknown>, indent: number, where: Where): Line[] {
  return Object.entries(lifecycle).flatMap(([name, value]): Line[] => {
    const here = `${where}.${name}`;
    if (name === "ignore_changes" || name === "replace_triggered_by")
      return [{ indent, name, text: value === "all" ? "all" : references(value as Json, here) }];
    // Custom conditions: a list of { condition, error_message } in JSON, one block each in HCL.
    if ((name === "precondition" || name === "postcondition") && Array.isArray(value)) {
      return value.flatMap((check, i): Line[] => {
        if (!isObject(check))
          fail(`${here}[${i}]`, `expected a condition block, got ${JSON.stringify(check)}`);
        return [
          { indent, text: `${name} {` },
          ...Object.entries(check as JsonObject).flatMap(([key, item]) =>
            attributeLines(key, item, indent + 1, `${here}[${i}].${key}`),
          ),
          { indent, text: "}" },
        ];
      });
    }
    if (typeof value !== "boolean") fail(here, `unsupported lifecycle value ${JSON.stringify(value)}`);
    return [{ indent, name, text: String(value) }];
  });
}

function blockLines(header: string, body: Line[]): Line[] {
  return [{ indent: 0, text: `${header} {` }, ...body, { indent: 0, text: "}" }];
}

/** The `terraform` block: required_providers (a block of object attributes), backend, the rest. */
function terraformLines(terraform: JsonObject): Line[] {
  const body: Line[] = [];
  for (const [name, value] of Object.entries(terraform)) {
    if (name === "//") continue;
    if (name === "required_providers" && isObject(value)) {
      const providers = Object.entries(value).flatMap(([p, spec]) =>
        attributeLines(p, spec as Json, 2, `terraform.required_providers.${p}`),
      );
      body.push({ indent: 1, text: "required_providers {" }, ...providers, { indent: 1, text: "}" });
    } else if ((name === "backend" || name === "cloud") && isObject(value)) {
      for (const [type, config] of Object.entries(value)) {
        if (!isObject(config)) fail(`terraform.${name}`, "expected a configuration object");
        const header = name === "backend" ? `backend "${type}" {` : `cloud {`;
        body.push(
          { indent: 1, text: header },
          ...bodyLines(config as JsonObject, EMPTY_SHAPE, 2, `terraform.${name}.${type}`),
          {
            indent: 1,
            text: "}",
          },
        );
      }
    } else {
      body.push(...attributeLines(name, value, 1, `terraform.${name}`));
    }
  }
  return blockLines("terraform", body);
}

/** Renders a stack's Terraform JSON document (toTerraform()) in native syntax. */
export function renderHcl(document: JsonObject, shapes: StackShapes): string {
  const sections: Line[][] = [];
  for (const [kind, content] of Object.entries(document)) {
    if (kind === "//") continue;
    if (kind === "terraform" && isObject(content)) sections.push(terraformLines(content as JsonObject));
    else if (kind === "provider" && isObject(content)) {
      for (const [name, configs] of Object.entries(content)) {
        for (const config of Array.isArray(configs) ? configs : [configs]) {
          const shape = shapes.provider.get(name) ?? EMPTY_SHAPE;
          sections.push(
            blockLines(`provider "${name}"`, bodyLines(config as JsonObject, shape, 1, `provider.${name}`)),
          );
        }
      }
    } else if ((kind === "resource" || kind === "data") && isObject(content)) {
      for (const [type, byName] of Object.entries(content)) {
        for (const [name, body] of Object.entries(byName as JsonObject)) {
          const address = `${kind === "data" ? "data." : ""}${type}.${name}`;
          const shape = shapes[kind].get(`${type}.${name}`);
          if (shape === undefined) fail(address, "no construct in the stack produced it");
          sections.push(
            blockLines(`${kind} "${type}" "${name}"`, bodyLines(body as JsonObject, shape, 1, address)),
          );
        }
      }
    } else if (kind === "output" && isObject(content)) {
      for (const [name, body] of Object.entries(content)) {
        sections.push(
          blockLines(`output "${name}"`, bodyLines(body as JsonObject, EMPTY_SHAPE, 1, `output.${name}`)),
        );
      }
    } else if (kind === "locals" && isObject(content)) {
      sections.push(blockLines("locals", bodyLines(content as JsonObject, EMPTY_SHAPE, 1, "locals")));
    } else if (kind === "variable" && isObject(content)) {
      for (const [name, body] of Object.entries(content)) {
        const { type, ...rest } = body as JsonObject;
        const typeLine: Line[] =
          type === undefined
            ? []
            : [{ indent: 1, name: "type", text: typeExpression(type, `variable.${name}.type`) }];
        sections.push(
          blockLines(`variable "${name}"`, [
            ...typeLine,
            ...bodyLines(rest, EMPTY_SHAPE, 1, `variable.${name}`),
          ]),
        );
      }
    } else if (kind === "moved" && Array.isArray(content)) {
      for (const move of content) {
        if (!isObject(move)) fail("moved", "expected { from, to }");
        sections.push(
          blockLines("moved", [
            { indent: 1, name: "from", text: references(move.from as Json, "moved.from") },
            { indent: 1, name: "to", text: references(move.to as Json, "moved.to") },
          ]),
        );
      }
    } else {
      fail(kind, `top-level "${kind}" is not supported by the HCL renderer`);
    }
  }
  return `${sections.map(layout).join("\n\n")}\n`;
}

/** A variable type: Terraform JSON writes it as a string holding the type expression. */
function typeExpression(type: Json, where: Where): string {
  if (typeof type !== "string" || !/^[a-z(), {}=\w]+$/.test(type))
    fail(where, `unsupported type ${JSON.stringify(type)}`);
  return type.replace(/^\$\{(.*)\}$/, "$1");
}

/**
 * Indents two spaces a level and aligns the `=` of each run of consecutive single-line attributes at the
 * same level, as `terraform fmt` does (a line that opens or closes a multi-line value or block ends a run).
 */
function layout(lines: Line[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.name === undefined) {
      out.push(`${"  ".repeat(line.indent)}${line.text}`);
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j].name !== undefined && lines[j].indent === line.indent) j++;
    const width = Math.max(...lines.slice(i, j).map((l) => (l.name ?? "").length));
    for (const l of lines.slice(i, j))
      out.push(`${"  ".repeat(l.indent)}${(l.name ?? "").padEnd(width)} = ${l.text}`);
    i = j;
  }
  return out.join("\n");
}

/**
 * A stack's `toHclTerraform()` answer for `cdktf synth --hcl`: its Terraform JSON (dual-form values in their
 * HCL form) rendered in native syntax, with `cdktfResult`'s metadata (cdktf's own rendering is used for
 * nothing else).
 */
export function nativeHclOf(
  stack: TerraformStack,
  cdktfResult: ReturnType<TerraformStack["toHclTerraform"]>,
): ReturnType<TerraformStack["toHclTerraform"]> {
  const document = whileRenderingHcl(stack, () => stack.toTerraform()) as JsonObject;
  return { hcl: renderHcl(document, stackShapes(stack)), metadata: cdktfResult.metadata };
}
