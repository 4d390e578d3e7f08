// `npm run demo`: loads the generated demo week into the database (embedded unless DATABASE_URL).
import { loadDemo } from "../lib/demo/generateDemo";
import { migrate } from "../lib/db/migrate";
import { closePool } from "../lib/db/pool";
import { connectDatabase } from "./lib/database";

const log = (line: string) => console.log(`[demo] ${line}`);

const database = await connectDatabase(log);
process.env.DATABASE_URL = database.url;
try {
  await migrate(database.url);
  const started = performance.now();
  const stored = await loadDemo({ now: new Date(), onProgress: (done, total) => log(`${Math.round((100 * done) / total)}%`) });
  log(`loaded ${stored.toLocaleString("en-US")} demo drops in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await closePool();
  await database.close();
}
