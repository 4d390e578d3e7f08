// Shared by the rollout API's write handlers: the write token, and refusals as API errors.
import { RolloutWriteError } from "../rollouts/manage";
import { apiError, internalError } from "./errors";

export function writeFailure(error: unknown, context: string): Response {
  if (error instanceof RolloutWriteError) {
    const code = error.status === 404 ? "not_found" : error.status === 409 ? "conflict" : error.status === 403 ? "forbidden" : "bad_request";
    return apiError(error.status, code, error.message);
  }
  return internalError(error, context);
}
