import { join } from "node:path";
import { synthesizeAll } from "./stacks/app";

// Every environments/<name>.ts becomes the Terraform stack <name>; see README "Add an environment".
process.exitCode = synthesizeAll(join(__dirname, "environments"), process.env.CDKTF_OUTDIR ?? "cdktf.out");
