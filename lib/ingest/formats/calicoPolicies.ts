// Calico policy traces, shared by the Enterprise flow logs and Goldmane/Whisker flows.
// Enterprise writes each policy hit as "index|tier|name|action|rule", e.g.
//   "1|app-hipstershop|hipstershop/app-hipstershop.checkoutservice|deny|-1"
//   "0|default|payments/default.staged:deny-all|deny|-1"   (a staged policy)
//   "0|default|shop/knp.default.allow-web|allow|0"          (a Kubernetes NetworkPolicy)
// Goldmane writes objects: {kind, namespace, name, tier, action, policy_index, rule_index, trigger}.
// Rule -1 is the end-of-tier action: no rule matched, so the tier's default (deny) applied.
import { isObject, numberAt, objectAt, stringAt, type JsonObject } from "./json";
import type { Verdict } from "../types";

export type CalicoAction = "allow" | "deny" | "pass" | "unknown";

export interface CalicoPolicyHit {
  /** As a user finds it: "namespace/name" (tier-prefixed outside the default tier; "staged:" marks a staged policy). */
  name: string | null;
  action: CalicoAction;
  /** No rule matched: the end-of-tier default deny rather than an explicit deny rule. */
  endOfTier: boolean;
}

// Goldmane's Action and PolicyKind enums, for encoders that print numbers.
const ACTIONS: readonly CalicoAction[] = ["unknown", "allow", "deny", "pass"];
const POLICY_KINDS = [
  "KindUnspecified",
  "CalicoNetworkPolicy",
  "GlobalNetworkPolicy",
  "StagedNetworkPolicy",
  "StagedGlobalNetworkPolicy",
  "StagedKubernetesNetworkPolicy",
  "NetworkPolicy",
  "ClusterNetworkPolicyAdminTier",
  "ClusterNetworkPolicyBaselineTier",
  "Profile",
  "EndOfTier",
];

export function readAction(value: unknown): CalicoAction {
  if (typeof value === "number") return ACTIONS[value] ?? "unknown";
  if (typeof value !== "string") return "unknown";
  const lower = value.toLowerCase();
  if (lower === "allow" || lower === "deny" || lower === "pass") return lower;
  if (lower === "drop" || lower === "reject") return "deny";
  return "unknown";
}

/** "ns/tier.name" -> "ns/name" in the default tier; "staged:" moved to the front of the name. */
function displayName(namespace: string | null, tier: string | null, rawName: string, staged: boolean): string {
  let name = rawName;
  let isStaged = staged;
  if (name.startsWith("staged:")) {
    isStaged = true;
    name = name.slice("staged:".length);
  }
  if (tier && name.startsWith(`${tier}.staged:`)) {
    isStaged = true;
    name = `${tier}.${name.slice(tier.length + ".staged:".length)}`;
  }
  if (name.startsWith("knp.default.")) name = name.slice("knp.default.".length);
  else if (tier === "default" && name.startsWith("default.")) name = name.slice("default.".length);
  else if (tier && tier !== "default" && !name.startsWith(`${tier}.`) && !name.includes(".")) name = `${tier}.${name}`;
  const qualified = isStaged ? `staged:${name}` : name;
  return namespace ? `${namespace}/${qualified}` : qualified;
}

/** One Enterprise policy string; null when it is not of that shape. */
export function parsePolicyString(text: string): CalicoPolicyHit | null {
  const parts = text.split("|");
  if (parts.length < 4) return null;
  const [, tier, fullName, action, rule] = parts as [string, string, string, string, string | undefined];
  if (!fullName || tier === "__PROFILE__" || fullName.startsWith("__PROFILE__")) {
    return { name: null, action: readAction(action), endOfTier: rule === "-1" };
  }
  const slash = fullName.indexOf("/");
  const namespace = slash > 0 ? fullName.slice(0, slash) : null;
  const name = slash > 0 ? fullName.slice(slash + 1) : fullName;
  return { name: displayName(namespace, tier || null, name, false), action: readAction(action), endOfTier: rule === "-1" };
}

/** One Goldmane/Whisker policy hit object. */
export function readPolicyHit(hit: JsonObject): CalicoPolicyHit {
  const kind = typeof hit.kind === "number" ? POLICY_KINDS[hit.kind] : stringAt(hit, "kind");
  const action = readAction(hit.action);
  const ruleIndex = numberAt(hit, "rule_index") ?? numberAt(hit, "ruleIndex");
  if (kind === "EndOfTier") {
    // The end-of-tier hit names the policy that selected the flow in its trigger.
    const trigger = objectAt(hit, "trigger");
    const named = trigger ? readPolicyHit(trigger) : null;
    return { name: named?.name ?? null, action, endOfTier: true };
  }
  if (kind === "Profile") return { name: null, action, endOfTier: false };
  const rawName = stringAt(hit, "name");
  const staged = typeof kind === "string" && kind.startsWith("Staged");
  return {
    name: rawName ? displayName(stringAt(hit, "namespace"), stringAt(hit, "tier"), rawName, staged) : null,
    action,
    endOfTier: ruleIndex === -1,
  };
}

/** Policy hits from a list of Enterprise strings or Goldmane objects; entries of neither shape are skipped. */
export function readPolicyHits(list: unknown): CalicoPolicyHit[] {
  if (!Array.isArray(list)) return [];
  const hits: CalicoPolicyHit[] = [];
  for (const entry of list) {
    if (typeof entry === "string") {
      const hit = parsePolicyString(entry);
      if (hit) hits.push(hit);
    } else if (isObject(entry)) {
      hits.push(readPolicyHit(entry));
    }
  }
  return hits;
}

export interface CalicoDecision {
  verdict: Verdict;
  reason: string;
  policies: string[];
}

/**
 * A denied flow is DROPPED by its enforced policies. An allowed flow that a staged policy would
 * deny (a deny in the pending trace) is AUDIT: "would be dropped once the staged policy is enforced".
 * Anything else is not a drop (null).
 */
export function decideCalicoVerdict(action: CalicoAction, enforced: CalicoPolicyHit[], pending: CalicoPolicyHit[]): CalicoDecision | null {
  if (action === "deny") return { verdict: "DROPPED", ...denial(enforced) };
  if (action === "allow" || action === "pass") {
    if (pending.some((hit) => hit.action === "deny")) return { verdict: "AUDIT", ...denial(pending) };
  }
  return null;
}

function denial(hits: CalicoPolicyHit[]): { reason: string; policies: string[] } {
  const denies = hits.filter((hit) => hit.action === "deny");
  // Hubble's vocabulary: POLICY_DENY is an explicit deny rule, POLICY_DENIED is "no rule allowed it".
  const explicit = denies.some((hit) => !hit.endOfTier);
  const policies = [...new Set(denies.map((hit) => hit.name).filter((name): name is string => name !== null))];
  return { reason: explicit ? "POLICY_DENY" : "POLICY_DENIED", policies };
}
