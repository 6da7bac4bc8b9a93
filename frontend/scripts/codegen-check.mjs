// Fails when the checked-in generated GraphQL types (src/gql) differ from what the codegen
// makes of schema.graphql and the documents now: run `npm run codegen` and commit.
import { generate } from "@graphql-codegen/cli";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { codegenConfig } from "../codegen.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const outputs = await generate({ ...codegenConfig, silent: true }, false);
const stale = [];
for (const output of outputs) {
  const onDisk = await readFile(path.resolve(root, output.filename), "utf8").catch(() => null);
  if (onDisk !== output.content) stale.push(output.filename);
}
if (stale.length > 0) {
  console.error(`generated GraphQL files are stale: ${stale.join(", ")}\nrun: npm run codegen`);
  process.exit(1);
}
console.log(`generated GraphQL files are current (${outputs.length} files)`);
