// Where webhooks may go: special addresses in every spelling are refused unless the operator
// allows them; URLs are shown masked.
import { afterEach, describe, expect, it } from "vitest";
import { addressProblem, isMaskedWebhookUrl, maskWebhookUrl, webhookAllowList, webhookUrlProblem } from "./webhookTarget";

afterEach(() => {
  delete process.env.DROPBOARD_WEBHOOK_ALLOW;
});

describe("webhook targets", () => {
  it("names the kind of every special address, including IPv4 inside IPv6", () => {
    const cases: [string, string | null][] = [
      ["127.0.0.1", "loopback address"],
      ["127.255.0.9", "loopback address"],
      ["::1", "loopback address"],
      ["::ffff:127.0.0.1", "loopback address"],
      ["::ffff:7f00:1", "loopback address"],
      ["64:ff9b::7f00:1", "loopback address"], // NAT64
      ["2002:7f00:1::", "loopback address"], // 6to4
      ["169.254.169.254", "metadata address"],
      ["fd00:ec2::254", "metadata address"],
      ["169.254.10.1", "link-local address"],
      ["fe80::1", "link-local address"],
      ["10.1.2.3", "private address"],
      ["172.16.0.1", "private address"],
      ["172.31.255.255", "private address"],
      ["192.168.1.1", "private address"],
      ["100.64.0.1", "private address"],
      ["64:ff9b::a00:1", "private address"],
      ["fc00::1", "unique-local address"],
      ["fd12:3456::1", "unique-local address"],
      ["0.0.0.0", "reserved address"],
      ["::", "reserved address"],
      ["255.255.255.255", "reserved address"],
      ["224.0.0.1", "multicast address"],
      ["8.8.8.8", null],
      ["172.32.0.1", null],
      ["2606:4700:4700::1111", null],
      ["64:ff9b::808:808", null],
    ];
    for (const [address, problem] of cases) expect(addressProblem(address), address).toBe(problem);
  });

  it("refuses loopback, private, link-local and metadata targets however they are written", async () => {
    const refused = [
      "http://127.0.0.1/hook",
      "http://[::1]:8080/",
      "http://2130706433/",
      "http://0x7f000001/",
      "http://017700000001/",
      "http://127.1/",
      "http://[::ffff:127.0.0.1]/",
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.5/",
      "https://192.168.0.10/",
      "http://[fc00::1]/",
      "http://[fe80::1]/",
      "http://0.0.0.0:3000/",
      "http://localhost:3000/api", // resolved: loopback
    ];
    for (const url of refused) expect(await webhookUrlProblem(url), url).toMatch(/address; webhooks go to public addresses only/);
    expect(await webhookUrlProblem("ftp://8.8.8.8/")).toBe("must be an http(s) URL");
    expect(await webhookUrlProblem("https://8.8.8.8/hook")).toBeNull();
    expect(await webhookUrlProblem("https://[2606:4700:4700::1111]/hook")).toBeNull();
  });

  it("lets the operator allow hosts, addresses and ranges, and nothing more", async () => {
    process.env.DROPBOARD_WEBHOOK_ALLOW = "127.0.0.1, 10.20.0.0/16 hooks.internal";
    expect(await webhookUrlProblem("http://127.0.0.1:9000/")).toBeNull();
    expect(await webhookUrlProblem("http://10.20.3.4/")).toBeNull();
    expect(await webhookUrlProblem("http://10.21.0.1/")).toMatch(/private address/);
    expect(await webhookUrlProblem("http://127.0.0.2/")).toMatch(/loopback address/);
    expect(await webhookUrlProblem("http://169.254.169.254/")).toMatch(/metadata address/);
    expect(webhookAllowList().hosts.has("hooks.internal")).toBe(true);
    process.env.DROPBOARD_WEBHOOK_ALLOW = "10.0.0.0/99";
    expect(() => webhookAllowList()).toThrow(/DROPBOARD_WEBHOOK_ALLOW: "10.0.0.0\/99"/);
  });

  it("masks a URL to its scheme and host; the masked form is recognised", () => {
    expect(maskWebhookUrl("https://hooks.slack.com/services/T0/B0/XXXXSECRET?x=1")).toBe("https://hooks.slack.com/…");
    expect(maskWebhookUrl("https://user:password@example.com:8443/p")).toBe("https://example.com:8443/…");
    expect(maskWebhookUrl("not a url")).toBe("…");
    expect(isMaskedWebhookUrl("https://hooks.slack.com/…")).toBe(true);
    expect(isMaskedWebhookUrl("https://hooks.slack.com/services/x")).toBe(false);
  });
});
