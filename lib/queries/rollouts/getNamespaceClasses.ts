import { getPool } from "../../db/pool";

export interface NamespaceClassView {
  name: string;
  description: string | null;
  patterns: string[];
  createdAt: string;
  updatedAt: string;
}

interface NamespaceClassRow {
  name: string;
  description: string | null;
  patterns: string[];
  created_at: Date;
  updated_at: Date;
}

/** Every class, or only these, by name. Raw pg: stage markers read them at every chart poll. A NULL array reads as [], as through Prisma. */
export async function listNamespaceClasses(names?: readonly string[]): Promise<NamespaceClassView[]> {
  const { rows } = await getPool().query<NamespaceClassRow>(
    `SELECT name, description, coalesce(patterns, '{}') AS patterns, created_at, updated_at FROM namespace_classes${names ? " WHERE name = ANY($1::text[])" : ""} ORDER BY name`,
    names ? [[...names]] : [],
  );
  return rows.map((r) => ({
    name: r.name,
    description: r.description,
    patterns: r.patterns,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}
