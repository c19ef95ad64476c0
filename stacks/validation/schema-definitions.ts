/**
 * Parsing checks of schema definitions, per format, as the Glue Schema Registry reads them (AWS Glue
 * developer guide, "AWS Glue Schema registry": AVRO 1.11, JSON Schema draft-04/06/07 validated with the Everit
 * library, Protocol Buffers proto2 and proto3 without `extensions` or `groups`). Each returns what is wrong,
 * or undefined; `warnings` are things that parse but cannot be fully checked here.
 */
import { Type as AvroType } from "avsc";
import * as protobuf from "protobufjs";
import type { SchemaDataFormat } from "../config";

/** What a parsing check found. */
export interface DefinitionCheck {
  /** Why the definition is refused; undefined when it parses. */
  readonly problem?: string;
  /** Things that parse but could not be checked completely. */
  readonly warnings: readonly string[];
}

/** SchemaDefinitionString in the Glue model: 1-170000 characters, at least one non-space. */
export const SCHEMA_DEFINITION_MAX_CHARS = 170000;

/** File extensions people use per format; a mismatch is a likely mistake, so it is refused. */
export const SCHEMA_FILE_EXTENSIONS: Readonly<Record<SchemaDataFormat, readonly string[]>> = {
  AVRO: [".avsc", ".json"],
  JSON: [".json"],
  PROTOBUF: [".proto"],
};

const ok = (warnings: string[] = []): DefinitionCheck => ({ warnings });
const bad = (problem: string): DefinitionCheck => ({ problem, warnings: [] });

function parseJson(text: string): { value?: unknown; problem?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `is not valid JSON (${(error as Error).message})` };
  }
}

/** Avro: the schema must resolve as Apache Avro's parser would (types, names, defaults, unions). */
export function checkAvro(text: string): DefinitionCheck {
  const parsed = parseJson(text);
  if (parsed.problem) return bad(parsed.problem);
  const schema = parsed.value;
  if (typeof schema !== "object" && typeof schema !== "string")
    return bad("is not an Avro schema (a JSON object, array or type name)");
  try {
    // Defaults are checked against their types by default; unresolved names throw.
    AvroType.forSchema(schema as Parameters<typeof AvroType.forSchema>[0], { noAnonymousTypes: true });
  } catch (error) {
    return bad(`is not a valid Avro schema: ${(error as Error).message}`);
  }
  return ok();
}

const JSON_SCHEMA_DRAFTS = [
  "http://json-schema.org/draft-04/schema",
  "http://json-schema.org/draft-06/schema",
  "http://json-schema.org/draft-07/schema",
];
const JSON_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"];
const SUBSCHEMA_MAPS = ["properties", "patternProperties", "definitions", "$defs", "dependencies"];
const SUBSCHEMA_LISTS = ["allOf", "anyOf", "oneOf"];
const SUBSCHEMAS = [
  "not",
  "additionalProperties",
  "additionalItems",
  "contains",
  "propertyNames",
  "if",
  "then",
  "else",
];

/** The shape of the keywords every draft agrees on, recursively; the path of the first problem. */
function jsonSchemaProblem(schema: unknown, path: string): string | undefined {
  if (typeof schema === "boolean") return undefined;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema))
    return `${path} must be a schema object`;
  const s = schema as Record<string, unknown>;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const unknown = types.find((t) => !JSON_TYPES.includes(t as string));
    if (types.length === 0 || unknown !== undefined)
      return `${path}.type must be one of ${JSON_TYPES.join(", ")} (got ${JSON.stringify(unknown ?? s.type)})`;
  }
  if (s.required !== undefined && typeof s.required !== "boolean") {
    if (!Array.isArray(s.required) || s.required.some((r) => typeof r !== "string"))
      return `${path}.required must be an array of property names`;
  }
  if (s.enum !== undefined && !Array.isArray(s.enum)) return `${path}.enum must be an array`;
  for (const key of SUBSCHEMA_MAPS) {
    const map = s[key];
    if (map === undefined) continue;
    if (typeof map !== "object" || map === null || Array.isArray(map))
      return `${path}.${key} must be an object`;
    for (const [name, sub] of Object.entries(map)) {
      // draft-04 dependencies may list property names instead of a schema.
      if (key === "dependencies" && Array.isArray(sub)) continue;
      const problem = jsonSchemaProblem(sub, `${path}.${key}.${name}`);
      if (problem) return problem;
    }
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = s[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0)
      return `${path}.${key} must be a non-empty array of schemas`;
    for (const [i, sub] of list.entries()) {
      const problem = jsonSchemaProblem(sub, `${path}.${key}[${i}]`);
      if (problem) return problem;
    }
  }
  if (s.items !== undefined) {
    const items = Array.isArray(s.items) ? s.items : [s.items];
    for (const [i, sub] of items.entries()) {
      const problem = jsonSchemaProblem(
        sub,
        Array.isArray(s.items) ? `${path}.items[${i}]` : `${path}.items`,
      );
      if (problem) return problem;
    }
  }
  for (const key of SUBSCHEMAS) {
    if (s[key] === undefined) continue;
    const problem = jsonSchemaProblem(s[key], `${path}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}

/** JSON Schema: valid JSON, a schema object, a draft Glue validates with, keyword shapes right. */
export function checkJsonSchema(text: string): DefinitionCheck {
  const parsed = parseJson(text);
  if (parsed.problem) return bad(parsed.problem);
  const schema = parsed.value;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema))
    return bad("is not a JSON Schema: the document must be a JSON object");
  const declared = (schema as { $schema?: unknown }).$schema;
  if (declared !== undefined) {
    const uri = typeof declared === "string" ? declared.replace(/#$/, "").replace(/^https:/, "http:") : "";
    if (!JSON_SCHEMA_DRAFTS.includes(uri))
      return bad(
        `declares $schema ${JSON.stringify(declared)}; the Glue Schema Registry validates draft-04, draft-06 and draft-07 only`,
      );
  }
  const problem = jsonSchemaProblem(schema, "(root)");
  return problem ? bad(`is not a valid JSON Schema: ${problem}`) : ok();
}

/** The well-known .proto files protobufjs ships, which Glue's parser resolves too. */
const WELL_KNOWN = /^google\/protobuf\/[a-z_]+\.proto$/;

function hasExtensionsOrGroups(text: string): string | undefined {
  const code = text.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
  if (/(^|[\s;{}])extensions\s+\d/.test(code)) return "declares extension ranges (`extensions`)";
  if (/(^|[\s;{}])extend\s+[\w.]+\s*\{/.test(code)) return "declares extensions (`extend`)";
  if (/(^|[\s;{}])(optional|required|repeated)\s+group\s+\w+/.test(code)) return "declares a group";
  return undefined;
}

/** Protobuf: a proto2/proto3 file that parses, with every type it names defined or imported. */
export function checkProtobuf(text: string): DefinitionCheck {
  let parsed: protobuf.IParserResult;
  try {
    parsed = protobuf.parse(text, { keepCase: true, alternateCommentMode: true });
  } catch (error) {
    return bad(`is not a valid .proto file: ${(error as Error).message}`);
  }
  const syntax = /^\s*(?:\/\/.*\n|\/\*[\s\S]*?\*\/|\s)*(syntax|edition)\s*=\s*"([^"]+)"/.exec(text);
  if (syntax && (syntax[1] === "edition" || !["proto2", "proto3"].includes(syntax[2])))
    return bad(`declares ${syntax[1]} "${syntax[2]}"; the Glue Schema Registry supports proto2 and proto3`);
  const unsupported = hasExtensionsOrGroups(text);
  if (unsupported) return bad(`${unsupported}, which the Glue Schema Registry does not support`);
  const messages = parsed.root.nestedArray.length;
  if (messages === 0) return bad("defines no message");
  const imports = [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])];
  const foreign = imports.filter((i) => !WELL_KNOWN.test(i));
  for (const name of imports.filter((i) => WELL_KNOWN.test(i))) {
    const known = protobuf.common.get(name);
    if (known === null) return bad(`imports "${name}", which is not a Google well-known type file`);
    parsed.root.addJSON(known.nested as protobuf.INamespace["nested"] & object);
  }
  if (foreign.length > 0) {
    return ok([
      `imports ${foreign.map((f) => `"${f}"`).join(", ")}: type references into ${foreign.length === 1 ? "it" : "them"} are not checked at synth`,
    ]);
  }
  try {
    parsed.root.resolveAll();
  } catch (error) {
    return bad(`does not resolve: ${(error as Error).message}`);
  }
  return ok();
}

/** The parsing check of one format. */
export function checkSchemaDefinition(format: SchemaDataFormat, text: string): DefinitionCheck {
  if (text.length === 0 || !/\S/.test(text)) return bad("is empty");
  if (text.length > SCHEMA_DEFINITION_MAX_CHARS)
    return bad(
      `has ${text.length} characters; the Glue Schema Registry takes at most ${SCHEMA_DEFINITION_MAX_CHARS}`,
    );
  switch (format) {
    case "AVRO":
      return checkAvro(text);
    case "JSON":
      return checkJsonSchema(text);
    case "PROTOBUF":
      return checkProtobuf(text);
  }
}
