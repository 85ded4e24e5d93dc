// Ask Gemini CLI's own loaders (imported from its installed bundle) what they load from a
// project. Run by probe_gemini.sh with HOME set to a throw-away home, cwd = the project.
// Usage: node probe_gemini.mjs PROJECT MARKER  -> JSON on stdout
//
// The CLI's loaders, as its start-up uses them (packages/cli + packages/core of 0.61.0):
// - commands: FileCommandLoader (reads .gemini/commands/**/*.toml only for a trusted folder),
// - agents:   loadAgentsFromDirectory(.gemini/agents) -> {agents, errors},
// - memory:   getEnvironmentMemoryPaths([project]) (GEMINI.md from the project up to the git root),
// - trust:    loadTrustedFolders().isPathTrusted(project) (~/.gemini/trustedFolders.json).
// Skills come from the real CLI (`gemini skills list --all`) in probe_gemini.sh.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [project, marker] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, "node_modules/@google/gemini-cli/bundle");
const pkg = JSON.parse(fs.readFileSync(path.join(here, "node_modules/@google/gemini-cli/package.json"), "utf8"));

// The bundle's chunks have hashed names, and some code exists in several builds: follow the
// imports of the real entry (gemini.js -> gemini-*.js -> chunk-*.js) so that the loaders and the
// event bus we listen on are the very ones the CLI runs.
const importsOf = (f) => [...fs.readFileSync(path.join(bundle, f), "utf8").matchAll(/(?:from |import\()"\.\/([A-Za-z0-9_-]+\.js)"/g)].map((m) => m[1]);
function chunkExporting(candidates, names) {
  for (const f of candidates) {
    const text = fs.readFileSync(path.join(bundle, f), "utf8");
    const tail = text.slice(text.lastIndexOf("\nexport {"));
    if (names.every((n) => new RegExp(`\\b${n}\\b`).test(tail))) return f;
  }
  throw new Error(`no chunk of ${bundle} imported by the CLI exports ${names.join(", ")}`);
}
const main = importsOf("gemini.js").find((f) => f.startsWith("gemini-"));
const cliChunk = chunkExporting(importsOf(main), ["FileCommandLoader", "CommandService"]);
const coreChunk = chunkExporting(importsOf(cliChunk), ["loadAgentsFromDirectory", "getEnvironmentMemoryPaths", "coreEvents", "loadTrustedFolders", "Storage"]);
const cli = await import(path.join(bundle, cliChunk));
const core = await import(path.join(bundle, coreChunk));

const messages = [];
core.coreEvents.on("user-feedback", (p) => {
  const err = p.error === undefined ? "" : " " + (typeof p.error === "string" ? p.error : JSON.stringify(p.error instanceof Error ? p.error.message : p.error));
  messages.push(`[${p.severity}] ${p.message}${err}`);
});

const trusted = core.loadTrustedFolders().isPathTrusted(project) === true;
const storage = new core.Storage(project);
const config = {
  getFolderTrust: () => true,
  isTrustedFolder: () => trusted,
  getProjectRoot: () => project,
  storage,
  getExtensions: () => [],
};
const loader = new cli.FileCommandLoader(config);
const commands = await loader.loadCommands(new AbortController().signal);

const agentsDir = storage.getProjectAgentsDir ? storage.getProjectAgentsDir() : path.join(project, ".gemini", "agents");
const agents = await core.loadAgentsFromDirectory(agentsDir);
for (const e of agents.errors) messages.push(`[agent] ${e.message}`);

const memoryPaths = await core.getEnvironmentMemoryPaths([project]);
const globalLoaded = memoryPaths.some((p) => fs.readFileSync(p, "utf8").includes(marker));

console.log(JSON.stringify({
  version: pkg.version,
  trusted,
  commands: commands.map((c) => c.name),
  agents: agents.agents.map((a) => a.name),
  memoryPaths,
  global: globalLoaded,
  messages,
  chunks: [main, cliChunk, coreChunk],
}));
process.exit(0);
