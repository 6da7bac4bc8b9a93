// Types and typed document nodes come from the SDL the backend exports
// (`nevguard schema-export`); documents live next to the pages that use them.
/** @type {import("@graphql-codegen/cli").CodegenConfig} */
export const codegenConfig = {
  schema: "schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**", "!src/**/*.test.{ts,tsx}"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        // Only what the documents use: a schema change elsewhere leaves these files alone.
        onlyOperationTypes: true,
        useTypeImports: true,
        scalars: {
          DateTime: "string", Date: "string", JSON: "unknown",
          FloatList: "Array<number | null>", IntList: "Array<number>",
        },
      },
    },
  },
};

export default codegenConfig;
