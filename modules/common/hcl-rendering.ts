/**
 * Values whose Terraform JSON form and HCL form differ. cdktf renders a stack twice over the same tokens:
 * `toTerraform()` for cdk.tf.json (and for the policy pack, which reads that JSON) and `toHclTerraform()`
 * for `cdktf synth --hcl`. cdktf writes a string attribute into HCL between quotes without escaping it
 * when it contains `${`, so a JSON document with references inside cannot be written as the JSON string
 * itself; such values resolve to a different expression while a stack renders HCL.
 */
import { Lazy } from "cdktf";
import type { IConstruct } from "constructs";

/** Stacks currently inside toHclTerraform(). */
const renderingHcl = new WeakSet<IConstruct>();

/** Runs `render` (a stack's HCL rendering) with the stack's dual-form values in their HCL form. */
export function whileRenderingHcl<T>(stack: IConstruct, render: () => T): T {
  renderingHcl.add(stack);
  try {
    return render();
  } finally {
    renderingHcl.delete(stack);
  }
}

/** Whether `stack` is inside toHclTerraform() now (its dual-form values resolve to their HCL form). */
export function isRenderingHcl(stack: IConstruct): boolean {
  return renderingHcl.has(stack);
}

/** HCL identifiers (letters, digits, `_`, `-`, not starting with a digit) need no quotes as object keys. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A literal part of a template, escaped for an HCL quoted string (`${` and `%{` are already escaped). */
function escapeLiteral(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
}

/**
 * Splits a Terraform template (a resolved string: literal text and `${...}` interpolations, `$${` for a
 * literal `${`) into literal text and interpolated expressions.
 */
export function templateParts(template: string): { literal?: string; expression?: string }[] {
  const parts: { literal?: string; expression?: string }[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("$${", i) || template.startsWith("%%{", i)) {
      literal += template.slice(i, i + 3);
      i += 3;
    } else if (template.startsWith("${", i)) {
      let depth = 1;
      let j = i + 2;
      let quoted = false;
      for (; j < template.length && depth > 0; j++) {
        const c = template[j];
        if (quoted) {
          if (c === "\\") j++;
          else if (c === '"') quoted = false;
        } else if (c === '"') quoted = true;
        else if (c === "{") depth++;
        else if (c === "}") depth--;
      }
      if (depth !== 0) throw new Error(`unterminated interpolation in ${JSON.stringify(template)}`);
      if (literal) parts.push({ literal });
      literal = "";
      parts.push({ expression: template.slice(i + 2, j - 1) });
      i = j;
    } else if (template.startsWith("%{", i)) {
      throw new Error(`template directives are not supported: ${JSON.stringify(template)}`);
    } else {
      literal += template[i];
      i++;
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** A resolved Terraform string as an HCL expression: a lone reference bare, anything else quoted. */
export function hclTemplate(template: string): string {
  const parts = templateParts(template);
  if (parts.length === 1 && parts[0].expression !== undefined) return parts[0].expression;
  const body = parts
    .map((p) => (p.expression !== undefined ? `\${${p.expression}}` : escapeLiteral(p.literal ?? "")))
    .join("");
  return `"${body}"`;
}

/** A resolved JSON-compatible value as a one-line HCL expression. */
export function hclExpression(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return hclTemplate(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(hclExpression).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const body = entries
      .map(([key, v]) => `${IDENTIFIER.test(key) ? key : hclTemplate(key)} = ${hclExpression(v)}`)
      .join(", ");
    return `{ ${body} }`;
  }
  throw new Error(`cannot render a ${typeof value} as an HCL expression`);
}

/**
 * A JSON document attribute (an IAM policy): the JSON string in Terraform JSON (references inside as
 * `${...}`), `jsonencode(...)` of the same document in HCL. The HCL form carries the resolved document as
 * JSON, `${jsonencode(<JSON>)}`, which stacks/hcl.ts lays out over several lines with each string written
 * as an HCL template (references kept, literal text escaped).
 */
export function jsonDocument(document: object): string {
  const json = JSON.stringify(document);
  return Lazy.stringValue({
    produce: (context) =>
      renderingHcl.has(context.scope) ? `\${jsonencode(${JSON.stringify(context.resolve(document))})}` : json,
  });
}
