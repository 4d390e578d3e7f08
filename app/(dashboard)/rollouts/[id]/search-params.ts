// The rollout page's own URL state (beside the drop view's range): which stage is judged.
import { parseAsInteger } from "nuqs/server";

/** The judged stage's seq; absent: the current stage. */
export const judgedStageParser = parseAsInteger;
