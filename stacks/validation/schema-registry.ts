/**
 * The `schemaRegistry` section: the Glue registry's name and its schemas, each definition a file of this
 * repository that must exist and parse for its format (schema-definitions.ts).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, normalize, relative, sep } from "node:path";
import type { EnvironmentConfig, SchemaCompatibility, SchemaDataFormat } from "../config";
import { projectRoot } from "../project-root";
import type { Checker } from "./checker";
import { checkSchemaDefinition, SCHEMA_FILE_EXTENSIONS } from "./schema-definitions";

/** SchemaRegistryNameString (Glue model): 1-255 of letters, digits and `-_$#.`. */
const REGISTRY_NAME = /^[a-zA-Z0-9_$#.-]{1,255}$/;
/** hashicorp/aws 5.100 also requires the last character of a schema name to be one of [0-9A-Za-z_$#-]. */
const PROVIDER_SCHEMA_NAME_END = /[0-9A-Za-z_$#-]$/;
/** DescriptionString (Glue model): 0-2048 characters. */
const DESCRIPTION_MAX = 2048;
/** Schemas per registry, as an AWS service quota ("Schemas per registry", default 10,000); far above this file. */
const FORMATS: readonly SchemaDataFormat[] = ["AVRO", "JSON", "PROTOBUF"];
/** The Glue API enum `Compatibility`. */
export const COMPATIBILITY_MODES: readonly SchemaCompatibility[] = [
  "NONE",
  "DISABLED",
  "BACKWARD",
  "BACKWARD_ALL",
  "FORWARD",
  "FORWARD_ALL",
  "FULL",
  "FULL_ALL",
];

/** Names of the declared schemas; empty when the environment has no registry. */
export function declaredSchemaNames(config: EnvironmentConfig): string[] {
  const schemas = config.schemaRegistry?.schemas;
  return Array.isArray(schemas)
    ? schemas.map((s) => s?.name).filter((n): n is string => typeof n === "string")
    : [];
}

/**
 * The file a schema names, resolved inside the repository: its absolute path, or what is wrong with the
 * path (absolute, leaving the repository).
 */
export function schemaFilePath(
  file: string,
  root: string = projectRoot(),
): { path?: string; problem?: string } {
  if (isAbsolute(file))
    return { problem: 'must be relative to the repository root, e.g. "schemas/orders.avsc"' };
  const path = normalize(join(root, file));
  const inside = relative(root, path);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === "..")
    return { problem: "must name a file inside the repository" };
  return { path };
}

/** Reads a declared schema file (the caller has validated it). */
export function readSchemaFile(file: string, root: string = projectRoot()): string {
  const { path, problem } = schemaFilePath(file, root);
  if (path === undefined) throw new Error(`schema file ${file} ${problem}`);
  return readFileSync(path, "utf8");
}

function validateSchemaFile(
  c: Checker,
  path: string,
  file: unknown,
  format: SchemaDataFormat | undefined,
): void {
  if (
    !c.check(
      typeof file === "string" && file.length > 0,
      path,
      file,
      'must be a file path such as "schemas/orders-created.avsc"',
    )
  )
    return;
  const where = schemaFilePath(file as string, c.context.projectRoot);
  if (!c.check(where.path !== undefined, path, file, where.problem ?? "") || where.path === undefined) return;
  const exists = existsSync(where.path) && statSync(where.path).isFile();
  if (!c.check(exists, path, file, "must name an existing file of the repository (the schema definition)"))
    return;
  if (format === undefined) return;
  const extensions = SCHEMA_FILE_EXTENSIONS[format];
  if (
    !c.check(
      extensions.some((e) => (file as string).toLowerCase().endsWith(e)),
      path,
      file,
      `must end in ${extensions.map((e) => `"${e}"`).join(" or ")} for dataFormat ${format}`,
    )
  )
    return;
  const result = checkSchemaDefinition(format, readFileSync(where.path, "utf8"));
  c.check(result.problem === undefined, path, file, `${result.problem ?? ""} (dataFormat ${format})`);
  for (const warning of result.warnings) c.warn("schema-definition", path, file, warning);
}

/** The `schemaRegistry` section. */
export function validateSchemaRegistry(c: Checker, config: EnvironmentConfig): void {
  const registry = config.schemaRegistry;
  if (registry === undefined) return;
  if (
    !c.check(
      typeof registry === "object" && registry !== null,
      "schemaRegistry",
      registry,
      "must be an object { schemas: [...] }",
    )
  )
    return;
  if (registry.name !== undefined) {
    c.pattern(
      "schemaRegistry.name",
      registry.name,
      REGISTRY_NAME,
      "1-255 letters, digits, '-', '_', '$', '#' or '.' (Glue registry name)",
    );
  }
  if (registry.description !== undefined) {
    c.check(
      typeof registry.description === "string" && registry.description.length <= DESCRIPTION_MAX,
      "schemaRegistry.description",
      registry.description,
      `must be a string of at most ${DESCRIPTION_MAX} characters`,
    );
  }
  const schemas = registry.schemas;
  if (!c.list("schemaRegistry.schemas", schemas, "schema (or leave schemaRegistry out)")) return;
  const seen = new Map<string, number>();
  schemas.forEach((schema, i) => {
    const path = `schemaRegistry.schemas[${i}]`;
    if (
      !c.check(
        typeof schema === "object" && schema !== null,
        path,
        schema,
        "must be { name, dataFormat, compatibility, file }",
      )
    )
      return;
    const nameOk =
      c.pattern(
        `${path}.name`,
        schema.name,
        REGISTRY_NAME,
        "1-255 letters, digits, '-', '_', '$', '#' or '.' (Glue schema name)",
      ) &&
      c.check(
        PROVIDER_SCHEMA_NAME_END.test(schema.name),
        `${path}.name`,
        schema.name,
        "must end in a letter, digit, '-', '_', '$' or '#' (hashicorp/aws 5.100 refuses a trailing '.')",
      );
    if (nameOk) {
      const first = seen.get(schema.name);
      c.check(
        first === undefined,
        `${path}.name`,
        schema.name,
        `is declared twice (also schemaRegistry.schemas[${first}]): declare each schema once`,
      );
      seen.set(schema.name, i);
    }
    const formatOk = c.oneOf(`${path}.dataFormat`, schema.dataFormat, FORMATS);
    c.oneOf(`${path}.compatibility`, schema.compatibility, COMPATIBILITY_MODES);
    if (schema.description !== undefined) {
      c.check(
        typeof schema.description === "string" && schema.description.length <= DESCRIPTION_MAX,
        `${path}.description`,
        schema.description,
        `must be a string of at most ${DESCRIPTION_MAX} characters`,
      );
    }
    if (schema.versions !== undefined)
      c.oneOf(`${path}.versions`, schema.versions, ["repository", "producers"]);
    validateSchemaFile(c, `${path}.file`, schema.file, formatOk ? schema.dataFormat : undefined);
  });
}

/** A list of schema names (a consumer's `schemas`): each one a schema of schemaRegistry, listed once. */
export function validateSchemaReferences(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  schemas: unknown,
): void {
  if (schemas === undefined) return;
  if (!c.list(path, schemas, "schema name", true) || !c.unique(path, schemas)) return;
  const declared = declaredSchemaNames(config);
  schemas.forEach((name, i) => {
    c.check(
      declared.includes(name as string),
      `${path}[${i}]`,
      name,
      declared.length === 0
        ? "names a schema, but the environment has no schemaRegistry: declare the registry and the schema"
        : `must be a schema of schemaRegistry.schemas (${declared.join(", ")})`,
    );
  });
}
