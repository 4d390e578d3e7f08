// A drop path in words, as the exception form and lists name it: "web/Deployment/frontend → shop/Deployment/checkout:8080/TCP".
import type { DropPathRow } from "@/lib/queries/drops/getTopDropPaths";

const side = (namespace: string | null, workload: string | null) => [namespace ?? "(none)", workload].filter(Boolean).join("/");

export const pathLabel = (p: Pick<DropPathRow, "srcNamespace" | "srcWorkload" | "dstNamespace" | "dstWorkload" | "dstPort" | "protocol">) =>
  `${side(p.srcNamespace, p.srcWorkload)} → ${side(p.dstNamespace, p.dstWorkload)}:${p.dstPort ?? "–"}/${p.protocol}`;
