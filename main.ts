import { readFileSync } from "node:fs";
import { join } from "node:path";
import { POLICY_EXCEPTIONS_FILE, synthesizeAll } from "./stacks/app";

// Every environments/<name>.ts becomes the Terraform stack <name>; see README "Add an environment".
// Compiled into dist/, the sources sit one folder up: a deleted environment file must not live on in dist/.
// Normal output goes to stdout: the cdktf CLI shows whatever an app writes to stderr as [ERROR].
const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
process.exitCode = synthesizeAll(
  join(__dirname, "environments"),
  outdir,
  (line, level) => (level === "error" ? console.error(line) : console.log(line)),
  join(__dirname, "..", "environments"),
);
// `npm run synth -- --list-exceptions`: the excepted findings in full, after the summary line.
if (process.exitCode === 0 && process.argv.includes("--list-exceptions"))
  console.log(readFileSync(join(outdir, POLICY_EXCEPTIONS_FILE), "utf8").trimEnd());
