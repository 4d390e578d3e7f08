// Which drops a rollout can have caused. A drop path counts for a rollout when its drops have a
// policy reason (ingest/policyReasons.ts) and it either names one of the rollout's policies, or
// names none at all: a default deny (Cilium POLICY_DENIED, Antrea "K8sNetworkPolicy <nil>", Calico
// end of tier) names no policy in any CNI, and inside the rollout's scope and stage it is most
// likely the rollout's own doing. A path that names only other policies is "other policies": shown,
// outside the budget. A rollout that names no policies claims every policy drop in its scope.

export type PathAttribution = "rollout-policy" | "default-deny" | "other-policies";

/** The name without a "namespace/" qualifier or a Calico "staged:" prefix. */
function bareName(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  return base.startsWith("staged:") ? base.slice("staged:".length) : base;
}

/**
 * Whether a policy name a source reported is the rollout's policy: the same name, or the same
 * name in some namespace ("default-deny" matches Cilium's "team-a/default-deny"), or in some Calico
 * tier ("default-deny" matches "team-a/security.default-deny"); staged versions are the same policy.
 */
export function policyMatches(rolloutPolicy: string, reported: string): boolean {
  if (rolloutPolicy === reported) return true;
  if (rolloutPolicy.includes("/")) return rolloutPolicy === reported.replace("/staged:", "/");
  const name = bareName(reported);
  return name === rolloutPolicy || name.endsWith(`.${rolloutPolicy}`);
}

export function attributePath(pathPolicies: readonly string[], rolloutPolicies: readonly string[]): PathAttribution {
  if (pathPolicies.length === 0) return "default-deny";
  if (rolloutPolicies.length === 0) return "rollout-policy";
  return pathPolicies.some((reported) => rolloutPolicies.some((mine) => policyMatches(mine, reported))) ? "rollout-policy" : "other-policies";
}

/** What the health figures and path tables say about a path's attribution. */
export function describeAttribution(attribution: PathAttribution, rollout: { name: string; policies: readonly string[] }): string {
  if (attribution === "default-deny") {
    const likely = rollout.policies.length > 0 ? rollout.policies.map((p) => `\`${p}\``).join(", ") : "its policy";
    return `default deny — likely ${likely} (rollout \`${rollout.name}\`)`;
  }
  if (attribution === "other-policies") return "denied by other policies: outside this rollout's budget";
  return `denied by ${rollout.policies.length > 0 ? "the rollout's policy" : "a policy in scope"}`;
}
