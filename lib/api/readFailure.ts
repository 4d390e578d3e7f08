// Shared by the read handlers: a read that ran past its timeout, or a database that does not
// answer, is a 503 the caller can act on; anything else is an internal error (logged, generic).
import { databaseUnavailable, reportDatabaseFailure } from "../db/pool";
import { ReadTimeoutError } from "../queries/readPool";
import { internalError, serviceUnavailable } from "./errors";

const RETRY_AFTER_SECONDS = 5;

export function readFailure(error: unknown, context: string): Response {
  if (error instanceof ReadTimeoutError) {
    return serviceUnavailable(
      `${error.message} (DROPBOARD_READ_TIMEOUT_MS): the server is busy or the query is too broad; narrow the time range or add filters, then retry`,
      RETRY_AFTER_SECONDS,
    );
  }
  if (databaseUnavailable(error)) {
    reportDatabaseFailure(context, error);
    return serviceUnavailable("the database is not answering; retry shortly", RETRY_AFTER_SECONDS);
  }
  return internalError(error, context);
}
