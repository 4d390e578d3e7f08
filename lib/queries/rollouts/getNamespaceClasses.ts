import { getPrisma } from "../../db/prisma";

export interface NamespaceClassView {
  name: string;
  description: string | null;
  patterns: string[];
  createdAt: string;
  updatedAt: string;
}

export async function listNamespaceClasses(names?: readonly string[]): Promise<NamespaceClassView[]> {
  const rows = await getPrisma().namespaceClass.findMany({
    where: names ? { name: { in: [...names] } } : {},
    orderBy: { name: "asc" },
  });
  return rows.map((r) => ({
    name: r.name,
    description: r.description,
    patterns: r.patterns,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}
