// Workload names for drop paths. Pods come and go; the workload behind them is what a path is about.

// Deployment pods: <name>-<replicaset hash>-<5 chars>; StatefulSet pods: <name>-<ordinal>.
const DEPLOYMENT_POD = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/;
const STATEFULSET_POD = /^(.+)-\d{1,5}$/;

/** The workload a pod most likely belongs to, from its name alone, when the source names none. */
export function workloadFromPodName(pod: string): string {
  return DEPLOYMENT_POD.exec(pod)?.[1] ?? STATEFULSET_POD.exec(pod)?.[1] ?? pod;
}

/** "Kind/name" as Hubble and kubectl write it; the bare name where the kind is unknown. */
export function formatWorkload(name: string, kind: string | null | undefined): string {
  return kind ? `${kind}/${name}` : name;
}
