// Validates generated objects against the vendored official schemas with ajv, the way the API
// server reads them: unknown fields are errors (structural schemas prune them, and `kubectl apply`
// refuses them under strict field validation), CRDs implicitly allow apiVersion/kind/metadata, and
// metadata is checked as ObjectMeta is (DNS names, qualified annotation keys). The CEL rules
// (`x-kubernetes-validations`) ajv cannot run; the ones that concern rules we write (Calico's ICMP
// and protocol rules) are checked here by hand. For tests: ajv is a dev dependency.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import type { KubeObject } from "../types";

type Schema = Record<string, unknown>;

const DIR = import.meta.dirname;
const read = (file: string) => readFileSync(path.join(DIR, file), "utf8");

/** Structural schema semantics: an object schema with properties and nothing else allowed refuses other fields. */
function structural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structural);
  if (typeof node !== "object" || node === null) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === "properties" ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, structural(v)])) : structural(value);
  if (out.type === "object" && out.properties && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function crdSchema(file: string, version: string): Schema {
  const crd = parse(read(file), { maxAliasCount: -1 }) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
  const found = crd.spec.versions.find((v) => v.name === version);
  if (!found) throw new Error(`${file} has no version ${version}`);
  const root = structuredClone(found.schema.openAPIV3Schema);
  // The API server allows these on every custom resource, whether or not the schema lists them.
  root.properties = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...(root.properties as Schema) };
  return structural(root) as Schema;
}

function kubernetesSchema(): Schema {
  const spec = JSON.parse(read("kubernetes-networkpolicy-v1.json")) as Schema;
  return structural({ $ref: "#/components/schemas/io.k8s.api.networking.v1.NetworkPolicy", components: spec.components }) as Schema;
}

const always = () => true;
function isCidr(value: string): boolean {
  const [ip, bits, ...rest] = value.split("/");
  if (rest.length > 0 || ip === undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(ip);
  return family !== 0 && Number(bits) <= (family === 6 ? 128 : 32);
}

function makeAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("cidr", isCidr);
  ajv.addFormat("ipv4", (v: string) => isIP(v) === 4);
  ajv.addFormat("ipv6", (v: string) => isIP(v) === 6);
  ajv.addFormat("date-time", (v: string) => !Number.isNaN(Date.parse(v)));
  for (const name of ["int32", "int64", "float", "double", "int-or-string", "idn-hostname", "byte"]) ajv.addFormat(name, always);
  return ajv;
}

const KEY = (o: Pick<KubeObject, "apiVersion" | "kind">) => `${o.apiVersion}/${o.kind}`;

let validators: Map<string, ValidateFunction> | null = null;

function load(): Map<string, ValidateFunction> {
  const ajv = makeAjv();
  return new Map([
    ["networking.k8s.io/v1/NetworkPolicy", ajv.compile(kubernetesSchema())],
    ["cilium.io/v2/CiliumNetworkPolicy", ajv.compile(crdSchema("cilium-ciliumnetworkpolicies-v2.yaml", "v2"))],
    ["projectcalico.org/v3/NetworkPolicy", ajv.compile(crdSchema("calico-networkpolicies-v3.yaml", "v3"))],
    ["projectcalico.org/v3/StagedNetworkPolicy", ajv.compile(crdSchema("calico-stagednetworkpolicies-v3.yaml", "v3"))],
    ["crd.antrea.io/v1beta1/NetworkPolicy", ajv.compile(crdSchema("antrea-networkpolicy-v1beta1.yaml", "v1beta1"))],
  ]);
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** ObjectMeta as the API server validates it for these kinds (apimachinery ValidateObjectMeta). */
function metadataErrors(object: KubeObject): string[] {
  const errors: string[] = [];
  const { name, namespace, annotations } = object.metadata;
  if (!name || name.length > 253 || !DNS_SUBDOMAIN.test(name)) errors.push(`metadata.name "${name}" is not a DNS subdomain`);
  if (!namespace || namespace.length > 63 || !DNS_LABEL.test(namespace)) errors.push(`metadata.namespace "${namespace}" is not a DNS label`);
  for (const key of Object.keys(annotations ?? {})) {
    const nameLength = key.slice(key.lastIndexOf("/") + 1).length;
    if (!QUALIFIED_NAME.test(key) || nameLength > 63) errors.push(`metadata.annotations key "${key}" is not a qualified name`);
  }
  return errors;
}

/** Calico's CEL rules on a rule (projectcalico.org_networkpolicies.yaml x-kubernetes-validations) that touch ICMP and protocol. */
function calicoCelErrors(object: KubeObject): string[] {
  const errors: string[] = [];
  for (const direction of ["ingress", "egress"] as const) {
    const rules = (object.spec[direction] ?? []) as Record<string, unknown>[];
    rules.forEach((rule, i) => {
      const at = `spec.${direction}[${i}]`;
      const protocol = rule.protocol;
      if (rule.icmp !== undefined && !["ICMP", "ICMPv6", 1, 58].includes(protocol as string | number)) errors.push(`${at}: ICMP fields require protocol to be ICMP or ICMPv6`);
      const icmp = rule.icmp as { code?: number; type?: number } | undefined;
      if (icmp && icmp.code !== undefined && icmp.type === undefined) errors.push(`${at}.icmp: ICMP code specified without an ICMP type`);
      if ((protocol === "ICMP" || protocol === 1) && rule.ipVersion !== undefined && rule.ipVersion !== 4) errors.push(`${at}: protocol ICMP requires ipVersion 4`);
      if ((protocol === "ICMPv6" || protocol === 58) && rule.ipVersion !== undefined && rule.ipVersion !== 6) errors.push(`${at}: protocol ICMPv6 requires ipVersion 6`);
      for (const side of ["source", "destination"] as const) {
        const entity = rule[side] as { selector?: string } | undefined;
        if (entity?.selector?.includes("global(")) errors.push(`${at}.${side}: global() can only be used in an EntityRule namespaceSelector`);
      }
    });
  }
  return errors;
}

/** Every way this object fails its official schema; empty when it is valid. */
export function schemaErrors(object: KubeObject): string[] {
  validators ??= load();
  const validate = validators.get(KEY(object));
  if (!validate) return [`no schema for ${KEY(object)}`];
  const errors = validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
  errors.push(...metadataErrors(object));
  if (object.apiVersion === "projectcalico.org/v3") errors.push(...calicoCelErrors(object));
  return errors;
}
