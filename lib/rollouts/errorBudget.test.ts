import { describe, expect, it } from "vitest";
import { fillQuery, namespacesRegex } from "./errorBudget";

describe("error budget queries", () => {
  it("fill $namespaces with an escaped alternation and $window with whole minutes", () => {
    const query = 'sum(rate(http_requests_total{namespace=~"$namespaces",code=~"5.."}[$window]))';
    expect(fillQuery(query, ["shop", "team.a"], 15)).toBe('sum(rate(http_requests_total{namespace=~"shop|team\\\\.a",code=~"5.."}[15m]))');
    expect(fillQuery(query, null, 1440)).toContain('namespace=~".+"');
    expect(fillQuery(query, null, 1440)).toContain("[1440m]");
    expect(fillQuery(query, [], 0.5)).toContain("[1m]");
  });

  it("match no namespace at all for an empty scope list, every namespace for a whole-cluster scope", () => {
    expect(namespacesRegex([])).toBe("$^");
    expect(namespacesRegex(null)).toBe(".+");
  });
});

describe("which Prometheus a rollout may name", () => {
  it("only PROMETHEUS_URL's origin and the operator's list", async () => {
    const { prometheusUrlProblem } = await import("./errorBudget");
    const saved = { url: process.env.PROMETHEUS_URL, list: process.env.DROPBOARD_PROMETHEUS_URLS };
    try {
      process.env.PROMETHEUS_URL = "http://prometheus.monitoring:9090";
      process.env.DROPBOARD_PROMETHEUS_URLS = "http://thanos.monitoring:10902/, not a url";
      expect(prometheusUrlProblem("http://prometheus.monitoring:9090/prometheus")).toBeNull();
      expect(prometheusUrlProblem("http://thanos.monitoring:10902")).toBeNull();
      expect(prometheusUrlProblem("http://169.254.169.254/latest/meta-data")).toContain("is not PROMETHEUS_URL nor listed in DROPBOARD_PROMETHEUS_URLS");
    } finally {
      process.env.PROMETHEUS_URL = saved.url;
      process.env.DROPBOARD_PROMETHEUS_URLS = saved.list;
      if (saved.url === undefined) delete process.env.PROMETHEUS_URL;
      if (saved.list === undefined) delete process.env.DROPBOARD_PROMETHEUS_URLS;
    }
  });
});
