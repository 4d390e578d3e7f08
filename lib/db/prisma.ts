// The Prisma client singleton, on the shared pg pool.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { getPool } from "./pool";

const holder = globalThis as unknown as { dropboardPrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  holder.dropboardPrisma ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return holder.dropboardPrisma;
}
