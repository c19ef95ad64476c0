import { join } from "node:path";
import { synthesizeAll } from "./stacks/app";

// Every environments/<name>.ts becomes the Terraform stack <name>; see README "Add an environment".
// Compiled into dist/, the sources sit one folder up: a deleted environment file must not live on in dist/.
process.exitCode = synthesizeAll(
  join(__dirname, "environments"),
  process.env.CDKTF_OUTDIR ?? "cdktf.out",
  console.error,
  join(__dirname, "..", "environments"),
);
