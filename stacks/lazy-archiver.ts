/**
 * Loads `archiver` only if something calls it. cdktf requires it when it loads (cdktf/lib/private/fs.js), a
 * tenth of a second and about 200 modules, but calls it only to zip a directory asset, and then in a child
 * process it starts for that (`node fs.js <src> <dest>`), which loads the real module itself. Synth never
 * zips a directory in this process (the topic manager's zip is built by modules/topics/bundle.ts), so until
 * a call this process's `archiver` is a stand-in that loads the real module on first use.
 *
 * Node documents adding entries to `require.cache`; it must happen before cdktf loads, so entry points import
 * this module first (stacks/app.ts does).
 */
import Module from "node:module";
import { dirname } from "node:path";

const archiverPath = require.resolve("archiver", {
  paths: [dirname(require.resolve("cdktf/lib/private/fs.js"))],
});

type Archiver = (...args: unknown[]) => unknown;

/** The real archiver, loaded on first use. */
export function realArchiver(): Archiver {
  const cached = require.cache[archiverPath];
  if (cached?.exports === lazyArchiver) delete require.cache[archiverPath];
  return require(archiverPath) as Archiver;
}

function lazyArchiver(...args: unknown[]): unknown {
  return realArchiver()(...args);
}

/** Whether `archiver` is the stand-in (not loaded yet) in this process. */
export function archiverDeferred(): boolean {
  return require.cache[archiverPath]?.exports === lazyArchiver;
}

if (require.cache[archiverPath] === undefined) {
  const stub = new Module(archiverPath, module);
  stub.filename = archiverPath;
  stub.loaded = true;
  stub.exports = lazyArchiver;
  require.cache[archiverPath] = stub;
}
