import { describe, expect, it } from "vitest";
import { commonPodLabels, hasIdentifyingLabel, isValidLabelKey, parseLabel } from "./labels";

describe("labels from drop records", () => {
  it("reads Cilium's source:key=value form and Calico's key=value", () => {
    expect(parseLabel("k8s:app=echo-server")).toEqual({ source: "k8s", key: "app", value: "echo-server" });
    expect(parseLabel("k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=ns")).toEqual({
      source: "k8s",
      key: "io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name",
      value: "ns",
    });
    expect(parseLabel("reserved:remote-node")).toEqual({ source: "reserved", key: "remote-node", value: "" });
    expect(parseLabel("app.kubernetes.io/name=web")).toEqual({ source: null, key: "app.kubernetes.io/name", value: "web" });
    expect(parseLabel("url=http://x")).toEqual({ source: null, key: "url", value: "http://x" });
    expect(parseLabel("  ")).toBeNull();
    expect(parseLabel("=x")).toBeNull();
  });

  it("keeps the labels every pod of the workload carries, dropping per-pod and CNI-derived ones", () => {
    const pod = (hash: string, name: string) => [
      "k8s:app=db",
      "k8s:tier=data",
      `k8s:controller-revision-hash=${hash}`,
      `k8s:statefulset.kubernetes.io/pod-name=${name}`,
      `k8s:instance=${name}`,
      "k8s:io.kubernetes.pod.namespace=shop",
      "k8s:io.cilium.k8s.policy.serviceaccount=db",
      "k8s:io.cilium.k8s.namespace.labels.team=shop",
      "container:ignored=1",
    ];
    const result = commonPodLabels([pod("a1", "db-0"), pod("a1", "db-1"), []]);
    // instance differs between the two pods: not common; the example without labels says nothing.
    expect(result).toEqual({ labels: { app: "db", tier: "data" }, labelledExamples: 2, invalid: [], reserved: [] });
  });

  it("drops Calico's own labels and pod-template-hash from Whisker records", () => {
    const result = commonPodLabels([["app=scraper", "pod-template-hash=655c844475", "projectcalico.org/namespace=storefront", "team=storefront"]]);
    expect(result.labels).toEqual({ app: "scraper", team: "storefront" });
  });

  it("reports reserved labels and labels that are not Kubernetes labels", () => {
    const result = commonPodLabels([["reserved:world"], ["app=ok", "bad key=x", "k=" + "v".repeat(64)]]);
    expect(result.reserved).toEqual(["world"]);
    expect(result.invalid).toEqual(["bad key=x", "k=" + "v".repeat(64)]);
    expect(isValidLabelKey("example.com/name")).toBe(true);
    expect(isValidLabelKey("Example.com/name")).toBe(false);
    expect(hasIdentifyingLabel({ tenant: "x" })).toBe(false);
    expect(hasIdentifyingLabel({ "app.kubernetes.io/name": "x" })).toBe(true);
  });
});
