// Bounds on every stored field: what a hostile or broken record may not exceed.
// Shared by the native format's zod schema and the check every parsed event passes.
export const FIELD_LIMITS = {
  name: 253, // Kubernetes names (DNS subdomain), clusters, nodes
  workload: 320, // "Kind/name"
  ip: 45,
  label: 317, // prefix (253) + "/" + name (63)
  labels: 64,
  policy: 512,
  policies: 16,
  reason: 128,
  protocol: 16,
  key: 128,
  maxCount: 1_000_000_000,
  maxSampleRate: 1_000_000,
  maxIdentity: 2 ** 32 - 1,
} as const;
