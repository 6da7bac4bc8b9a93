import type { CodegenConfig } from "@graphql-codegen/cli";

// Types and typed document nodes come from the SDL the backend exports
// (`nevguard schema-export`); documents live next to the pages that use them.
export const codegenConfig: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: "string", JSON: "unknown" },
      },
    },
  },
  hooks: {},
};

export default codegenConfig;
