-- CreateTable
CREATE TABLE "short_links" (
    "id" VARCHAR(16) NOT NULL,
    "title" VARCHAR(200),
    "path" VARCHAR(4000) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "short_links_pkey" PRIMARY KEY ("id")
);
