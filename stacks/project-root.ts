import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The repository root: the nearest folder above this file with a package.json and an environments/ folder
 * (the same from the TypeScript sources and from the compiled dist/). Paths an environment file names, such
 * as schema definitions, are relative to it.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "environments"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root (package.json + environments/) above ${from}`);
  }
}
