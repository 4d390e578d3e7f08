import { getPrisma } from "../../db/prisma";

export async function listTokens() {
  return getPrisma().apiToken.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, scope: true, cluster: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}
