// Pieces every format's object shares: addresses as CIDRs, the annotations that point back to the
// drop path, and what a format generator answers.
import { isIP } from "node:net";
import type { AllowRule } from "./plan";
import type { KubeObject, WarningCode } from "./types";

export interface FormatResult {
  /** The object, or null when this format cannot say the rule narrowly enough. */
  object: KubeObject | null;
  /** Format-specific notes (the generator adds the path to each). */
  warnings: FormatWarning[];
}

export interface FormatWarning {
  code: WarningCode;
  message: string;
}

export const note = (code: WarningCode, message: string): FormatWarning => ({ code, message });

/** One address as a CIDR of itself: 10.0.0.7/32, fd00::7/128 (an address already in CIDR form is kept). */
export function addressCidr(ip: string): string {
  if (ip.includes("/")) return ip;
  return `${ip}/${isIP(ip) === 6 ? 128 : 32}`;
}

export const ANNOTATION_PATH = "dropboard/drop-path";
export const ANNOTATION_FLOW = "dropboard/allows";

export function annotationsOf(rule: AllowRule): Record<string, string> {
  return {
    [ANNOTATION_PATH]: `${rule.cluster}/${rule.pathId}`,
    [ANNOTATION_FLOW]: `${rule.flow} (${rule.direction.toLowerCase()})`,
  };
}
