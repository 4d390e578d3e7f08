// The scalar shapes every reply schema uses (times, stages, verdicts, steps, a range).
import { z } from "zod";

export const time = z.iso.datetime({ offset: true });
export const nullableTime = time.nullable();
export const stage = z.enum(["OBSERVE", "CANARY", "EXPAND", "ENFORCED", "ROLLED_BACK"]);
export const verdict = z.enum(["HEALTHY", "AT_RISK", "BREACHED", "INSUFFICIENT_DATA", "NOT_ENFORCED"]);
export const direction = z.enum(["INGRESS", "EGRESS", "UNKNOWN"]);
export const step = z.enum(["1m", "5m", "1h", "1d"]);
export const window = z.looseObject({ from: time, to: time });
