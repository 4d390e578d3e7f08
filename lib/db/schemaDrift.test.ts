// Proves the migrated database and prisma/schema.prisma agree — tables, columns, types,
// nullability, defaults, enums and indexes — so hand-written migrations cannot drift.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { closePool, getPool } from "./pool";

const require = createRequire(import.meta.url);
const schemaWasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object";
  type: string;
  nativeType: [string, string[]] | null;
  isRequired: boolean;
  isList: boolean;
  default?: unknown;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] };
}

const schema = readFileSync(path.join(process.cwd(), "prisma", "schema.prisma"), "utf8");
const dmmf = JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schema]] }))) as Dmmf;
const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (field: DmmfField) => field.dbName ?? field.name;

/** The PostgreSQL type Prisma's migrate would create for a field, as format_type() prints it. */
function expectedType(field: DmmfField): string {
  const [native, args] = field.nativeType ?? [null, []];
  let base: string;
  if (field.kind === "enum") base = `"${field.type}"`;
  else if (native === "VarChar") base = `character varying(${args[0]})`;
  else if (native === "Char") base = `character(${args[0]})`;
  else if (native === "Timestamptz") base = `timestamp(${args[0]}) with time zone`;
  else if (native === "Uuid") base = "uuid";
  else if (field.type === "String") base = "text";
  else if (field.type === "Int") base = "integer";
  else if (field.type === "BigInt") base = "bigint";
  else if (field.type === "Boolean") base = "boolean";
  else if (field.type === "Float") base = "double precision";
  else if (field.type === "Json") base = "jsonb";
  else if (field.type === "DateTime") base = "timestamp(3) without time zone";
  else throw new Error(`no mapping for ${field.type} ${native ?? ""}: extend the drift test`);
  return field.isList ? `${base}[]` : base;
}

afterAll(closePool);

describe("migrated database matches schema.prisma", () => {
  it("has exactly the schema's tables (partitions and Prisma's history table aside)", async () => {
    const { rows } = await getPool().query<{ name: string }>(`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> '_prisma_migrations'`);
    expect(rows.map((r) => r.name).sort()).toEqual(dmmf.datamodel.models.map(tableOf).sort());
  });

  it("has the schema's enums with the same values", async () => {
    const { rows } = await getPool().query<{ name: string; values: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() GROUP BY t.typname`);
    const expected = dmmf.datamodel.enums.map((e) => ({ name: e.name, values: e.values.map((v) => v.name) }));
    expect(rows.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
  });

  for (const model of dmmf.datamodel.models) {
    it(`${tableOf(model)}: columns, types, nullability and defaults`, async () => {
      const { rows } = await getPool().query<{ name: string; type: string; not_null: boolean; has_default: boolean }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null, a.atthasdef AS has_default
         FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
        [`"${tableOf(model)}"`],
      );
      const actual = rows.map((r) => ({ ...r, type: r.type.replace(/^"?(\w+)"?(\[\])?$/, (m, t: string, list?: string) => (/^[A-Z]/.test(t) ? `"${t}"${list ?? ""}` : m)) }));
      const expected = model.fields
        .filter((f) => f.kind !== "object")
        .map((f) => ({
          name: columnOf(f),
          type: expectedType(f),
          // Prisma creates scalar lists as nullable columns.
          not_null: f.isRequired && !f.isList,
          has_default: f.default !== undefined,
        }));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(actual.sort(byName)).toEqual(expected.sort(byName));
    });
  }

  it("has the schema's primary keys, unique and normal indexes, columns in order", async () => {
    const { rows } = await getPool().query<{ table: string; unique: boolean; primary: boolean; columns: string[] }>(`
      SELECT t.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
             array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND NOT t.relispartition AND t.relname <> '_prisma_migrations'`);
    const describeIndex = (table: string, kind: string, columns: string[]) => `${table} ${kind} (${columns.join(", ")})`;
    const actual = rows.map((r) => describeIndex(r.table, r.primary ? "id" : r.unique ? "unique" : "normal", r.columns)).sort();
    const expected = dmmf.datamodel.indexes
      .map((index) => {
        const model = dmmf.datamodel.models.find((m) => m.name === index.model)!;
        const columns = index.fields.map((f) => columnOf(model.fields.find((field) => field.name === f.name)!));
        return describeIndex(tableOf(model), index.type, columns);
      })
      .sort();
    expect(actual).toEqual(expected);
  });
});
