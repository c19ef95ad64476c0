/**
 * stacks/lazy-archiver.ts: synth's process loads cdktf without archiver, and archiver still works when called.
 * Jest keeps its own module registry, so this runs in a plain Node process (TypeScript compiled by swc).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const REPO = join(__dirname, "..");

/** Runs `script` in Node with `.ts` files compiled by swc; returns what it printed as JSON. */
function inNode(script: string): Record<string, unknown> {
  const hook = `
    const { readFileSync } = require("node:fs");
    const { transformSync } = require("@swc/core");
    require.extensions[".ts"] = (m, file) => m._compile(transformSync(readFileSync(file, "utf8"), {
      filename: file, module: { type: "commonjs" }, jsc: { target: "es2022", parser: { syntax: "typescript" } },
    }).code, file);
  `;
  const run = spawnSync(process.execPath, ["-e", `${hook}\n${script}`], { cwd: REPO, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe("archiver, loaded on first use", () => {
  it("is not loaded with cdktf, and loads and works when something calls it", () => {
    const result = inNode(`
      const lazy = require("./stacks/lazy-archiver.ts");
      require("cdktf");
      const loadedModules = () => Object.keys(require.cache).filter((k) => /[\\\\/]archiver[\\\\/]lib[\\\\/]/.test(k)).length;
      const before = { deferred: lazy.archiverDeferred(), modules: loadedModules() };
      const fsModule = require.cache[require.resolve("cdktf/lib/private/fs.js")];
      const archive = require(require.resolve("archiver", { paths: [require("node:path").dirname(fsModule.filename)] }))("zip");
      console.log(JSON.stringify({ before, after: { deferred: lazy.archiverDeferred(), modules: loadedModules() },
        archive: typeof archive.pipe === "function" && typeof archive.finalize === "function" }));
    `);
    expect(result.before).toEqual({ deferred: true, modules: 0 });
    expect(result.after).toEqual({ deferred: false, modules: expect.any(Number) });
    expect((result.after as { modules: number }).modules).toBeGreaterThan(0);
    expect(result.archive).toBe(true);
  });
});
