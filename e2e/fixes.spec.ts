// From a blocked path to its fix, on the demo's breached canary (`default-deny: auth`, whose surprise
// is web/frontend → auth/keycloak:8443, reported by Hubble with the pods' labels): "Allow all
// surprises" beside the rollback writes the narrowest rule in Cilium's language (Kubernetes on
// request), Copy puts exactly that YAML on the clipboard, Escape closes the dialog; "Allow this path"
// on the drop path page downloads it. At desktop and phone width, the YAML scrolls inside its box.
import path from "node:path";
import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const shot = (name: string) => path.resolve("e2e/screenshots", name);
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

/** On a phone: nothing in the dialog wider than the screen but the YAML, which scrolls inside its box. */
async function fitsPhone(page: Page, dialog: Locator) {
  const layout = await dialog.evaluate((element) => {
    const width = document.documentElement.clientWidth;
    const cut = [...element.querySelectorAll<HTMLElement>("button, label, code, p")].filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest("pre"));
    const pre = element.querySelector("pre");
    return { width, dialogRight: element.getBoundingClientRect().right, cut: cut.slice(0, 3).map((e) => e.outerHTML.slice(0, 120)), scrolls: pre ? pre.scrollWidth > pre.clientWidth : false };
  });
  expect(layout.cut, "cut off on a phone").toEqual([]);
  expect(layout.dialogRight).toBeLessThanOrEqual(layout.width);
  expect(layout.scrolls, "the YAML scrolls sideways inside its box").toBe(true);
  await expect(dialog.getByRole("button", { name: "Copy the YAML" })).toBeInViewport();
}

test("the breached canary's surprise: allow it, copy the rule, download it from the path page", async ({ page, context, demo }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  const id = demo.get("default-deny: auth");
  if (!id) throw new Error("the demo has no rollout default-deny: auth");
  await page.setViewportSize(DESKTOP);
  await page.goto(`/rollouts/${id}?range=24h`);
  await expect(page.getByTestId("verdict").first()).toHaveText("BREACHED");
  const trigger = page.getByRole("button", { name: "Allow all surprises…" });
  const dialog = page.getByRole("dialog", { name: "Allow all surprises" });
  const yaml = dialog.getByTestId("allow-yaml");

  await test.step("beside the rollback: Allow all surprises, in Cilium's language by default", async () => {
    await expect(page.getByRole("form", { name: "Record a transition" }).getByRole("combobox", { name: "Stage", exact: true })).toHaveValue("ROLLED_BACK");
    await page.getByRole("form", { name: "Record a transition" }).screenshot({ path: shot("fixes-rollback-beside.png") });
    await page.setViewportSize(PHONE);
    const box = await trigger.boundingBox();
    expect(box ? box.x + box.width : Infinity, "the button whole on a phone").toBeLessThanOrEqual(PHONE.width);
    await page.getByRole("form", { name: "Record a transition" }).screenshot({ path: shot("fixes-rollback-beside-phone.png") });
    await page.setViewportSize(DESKTOP);
    await trigger.click();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("radio", { name: /Cilium/ })).toBeChecked();
    await expect(dialog.getByRole("radio", { name: /Kubernetes/ })).not.toBeChecked();
    await expect(dialog.getByRole("radio", { name: /Calico|Antrea/ })).toHaveCount(0);
    await expect(dialog.getByTestId("allow-summary")).toContainText("1 CiliumNetworkPolicy (cilium.io/v2) for 1 drop path · cluster demo-eu");
    const text = (await yaml.textContent()) ?? "";
    expect(text).toContain("kind: CiliumNetworkPolicy");
    expect(text).toContain("namespace: auth");
    expect(text).toMatch(/endpointSelector:\s+matchLabels:\s+k8s:app: keycloak/);
    expect(text).toMatch(/fromEndpoints:\s+- matchLabels:[\s\S]*k8s:app: frontend/);
    expect(text).toContain("k8s:io.kubernetes.pod.namespace: web");
    expect(text).toMatch(/port: "8443"\s+protocol: TCP/);
    await expect(dialog.getByText("kubectl apply -f -", { exact: true })).toBeVisible();
    await page.screenshot({ path: shot("fixes-surprises-desktop.png") });
  });

  await test.step("Kubernetes on request: the same path as a NetworkPolicy", async () => {
    await dialog.getByText("Kubernetes", { exact: true }).click();
    await expect(dialog.getByTestId("allow-summary")).toContainText("1 NetworkPolicy (networking.k8s.io/v1)");
    await expect(dialog.getByTestId("allow-summary")).not.toContainText("updating");
    const text = (await yaml.textContent()) ?? "";
    expect(text).toMatch(/kind: NetworkPolicy\s/);
    expect(text).toMatch(/podSelector:\s+matchLabels:\s+app: keycloak/);
    expect(text).toContain("kubernetes.io/metadata.name: web");
    expect(text).toMatch(/protocol: TCP\s+port: 8443|port: 8443\s+protocol: TCP/);
  });

  await test.step("Copy puts exactly the YAML shown on the clipboard; the kubectl line too", async () => {
    await dialog.getByRole("button", { name: "Copy the YAML" }).click();
    await expect(dialog.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await yaml.textContent());
    expect(copied).toContain("app: keycloak");
    await dialog.getByRole("button", { name: "Copy the kubectl command" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("kubectl apply -f -");
  });

  await test.step("on a phone: buttons whole, the YAML scrolls inside its box", async () => {
    await page.setViewportSize(PHONE);
    await fitsPhone(page, dialog);
    await page.screenshot({ path: shot("fixes-surprises-phone.png") });
    await page.setViewportSize(DESKTOP);
  });

  await test.step("Escape closes the dialog and gives the focus back", async () => {
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(trigger).toBeFocused();
  });

  await test.step("the drop path page: Allow this path, Download", async () => {
    await page.getByRole("table", { name: "Surprises drop paths" }).getByRole("link", { name: /^Open drop path web\/.*frontend to auth\/.*keycloak/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("auth/Deployment/keycloak:8443/TCP");
    // The first answers fail (the query retries once): the dialog says so, and Retry reads it again.
    await page.route("**/allow?*", (route) => route.fulfill({ status: 503, json: { error: { code: "unavailable", message: "the database is busy" } } }), { times: 2 });
    await page.getByRole("button", { name: "Allow this path…" }).click();
    const pathDialog = page.getByRole("dialog", { name: "Allow this path" });
    await expect(pathDialog.getByRole("button", { name: "Close" })).toBeFocused();
    await expect(pathDialog.getByRole("alert")).toContainText("the database is busy");
    await pathDialog.getByRole("button", { name: "Retry" }).click();
    await expect(pathDialog.getByTestId("allow-yaml")).toContainText("k8s:app: keycloak");
    const shown = (await pathDialog.getByTestId("allow-yaml").textContent()) ?? "";
    const [download] = await Promise.all([page.waitForEvent("download"), pathDialog.getByRole("button", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^allow-.*keycloak.*\.yaml$/);
    const file = await download.path();
    expect(await readFile(file, "utf8")).toBe(shown);
    await page.screenshot({ path: shot("fixes-path-desktop.png") });
    await page.setViewportSize(PHONE);
    await fitsPhone(page, pathDialog);
    await page.screenshot({ path: shot("fixes-path-phone.png") });
    await pathDialog.getByRole("button", { name: "Close" }).click();
    await expect(pathDialog).toBeHidden();
    await expect(page.getByRole("button", { name: "Allow this path…" })).toBeFocused();
    await page.screenshot({ path: shot("fixes-path-page-phone.png") });
  });

  await test.step("a healthy canary has no surprises: it says so, no empty bundle", async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`/rollouts/${demo.get("default-deny: inventory")}?range=24h`);
    await expect(page.getByTestId("no-surprises")).toHaveText("No surprises in the current stage: nothing to allow.");
    await expect(page.getByRole("button", { name: "Allow all surprises…" })).toHaveCount(0);
  });

  expect(problems).toEqual([]);
});
