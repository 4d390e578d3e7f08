// Messages decoded by @grpc/proto-loader, turned into the JSON the CNI's own tools print (protojson
// with proto field names): what `hubble observe -o json` and Hubble's exporter write, and Goldmane's
// FlowResult. proto-loader already gives proto names (keepCase), enum names and omits zero values;
// what it cannot do is protojson's special forms of the well-known types: a Timestamp is an RFC 3339
// string in UTC ("2026-07-31T10:41:02.202450754Z", which the server's parsers require), a wrapper
// (BoolValue, UInt32Value, ...) is its bare value. Which fields hold those is read from the
// descriptors proto-loader returns, so every message of the loaded .proto files is covered.
import type { PackageDefinition } from "@grpc/proto-loader";

interface FieldDescriptor {
  name: string;
  label: string;
  type: string;
  typeName: string;
}

type Conversion =
  | { field: string; repeated: boolean; kind: "timestamp" }
  | { field: string; repeated: boolean; kind: "wrapper"; empty: unknown }
  | { field: string; repeated: boolean; kind: "message"; type: string };

const TIMESTAMP = "google.protobuf.Timestamp";
/** protojson prints a wrapper as its value; an absent value (proto-loader omits zero values) is the zero value. */
const WRAPPER_ZERO: Record<string, unknown> = {
  "google.protobuf.BoolValue": false,
  "google.protobuf.StringValue": "",
  "google.protobuf.BytesValue": "",
  "google.protobuf.DoubleValue": 0,
  "google.protobuf.FloatValue": 0,
  "google.protobuf.Int32Value": 0,
  "google.protobuf.UInt32Value": 0,
  "google.protobuf.Int64Value": 0,
  "google.protobuf.UInt64Value": 0,
};

export class ProtoJson {
  private readonly plans = new Map<string, Conversion[]>();
  private readonly planning = new Set<string>();

  constructor(private readonly definition: PackageDefinition) {}

  /** Rewrites `message` (a decoded `typeName`) in place into its protojson form, and returns it. */
  convert<T extends object>(message: T, typeName: string): T {
    const record = message as Record<string, unknown>;
    for (const step of this.plan(typeName)) {
      const value = record[step.field];
      if (value === undefined || value === null) continue;
      if (step.repeated && Array.isArray(value)) record[step.field] = value.map((item) => this.apply(step, item));
      else record[step.field] = this.apply(step, value);
    }
    return message;
  }

  /**
   * The inverse, for building messages from recorded JSON (tests, fake servers): RFC 3339 strings
   * back to Timestamps, bare values back into their wrappers. Rewrites `json` in place and returns it.
   */
  fromJson<T extends object>(json: T, typeName: string): T {
    const record = json as Record<string, unknown>;
    for (const step of this.plan(typeName)) {
      const value = record[step.field];
      if (value === undefined || value === null) continue;
      if (step.repeated && Array.isArray(value)) record[step.field] = value.map((item) => this.unapply(step, item));
      else record[step.field] = this.unapply(step, value);
    }
    return json;
  }

  private unapply(step: Conversion, value: unknown): unknown {
    if (step.kind === "timestamp") return typeof value === "string" ? (timestampOf(value) ?? value) : value;
    if (step.kind === "wrapper") return { value };
    return typeof value === "object" && value !== null ? this.fromJson(value, step.type) : value;
  }

  private apply(step: Conversion, value: unknown): unknown {
    if (typeof value !== "object" || value === null) return value;
    const inner = value as Record<string, unknown>;
    if (step.kind === "timestamp") return rfc3339(Number(inner.seconds ?? 0), Number(inner.nanos ?? 0));
    if (step.kind === "wrapper") return inner.value ?? step.empty;
    return this.convert(inner, step.type);
  }

  /** The fields of a message type that need converting, directly or somewhere below them. */
  private plan(typeName: string): Conversion[] {
    const known = this.plans.get(typeName);
    if (known) return known;
    const fields = this.fields(typeName);
    this.planning.add(typeName);
    const plan: Conversion[] = [];
    for (const field of fields) {
      if (field.type !== "TYPE_MESSAGE") continue;
      const repeated = field.label === "LABEL_REPEATED";
      const type = this.resolve(field.typeName, typeName);
      if (type === null) continue;
      if (type === TIMESTAMP) plan.push({ field: field.name, repeated, kind: "timestamp" });
      else if (type in WRAPPER_ZERO) plan.push({ field: field.name, repeated, kind: "wrapper", empty: WRAPPER_ZERO[type] });
      else if ((this.planning.has(type) || this.plan(type).length > 0)) plan.push({ field: field.name, repeated, kind: "message", type });
    }
    this.planning.delete(typeName);
    this.plans.set(typeName, plan);
    return plan;
  }

  private fields(typeName: string): FieldDescriptor[] {
    const entry = this.definition[typeName];
    if (!entry || !("format" in entry) || entry.format !== "Protocol Buffer 3 DescriptorProto") return [];
    return ((entry.type as { field?: FieldDescriptor[] }).field ?? []).filter((field) => typeof field.name === "string");
  }

  /** Protobuf's scoping: a relative name is looked up from the innermost enclosing scope outwards. */
  private resolve(reference: string, scope: string): string | null {
    if (reference.startsWith(".")) return reference.slice(1) in this.definition ? reference.slice(1) : null;
    const parts = scope.split(".");
    for (let i = parts.length; i >= 0; i--) {
      const candidate = [...parts.slice(0, i), reference].join(".");
      if (candidate in this.definition) return candidate;
    }
    return null;
  }
}

/** A protobuf Timestamp as protojson prints it: RFC 3339 in UTC, with 0, 3, 6 or 9 fractional digits. */
export function rfc3339(seconds: number, nanos: number): string {
  const date = new Date(seconds * 1000);
  if (!Number.isFinite(date.getTime())) return String(seconds);
  const whole = date.toISOString().slice(0, -5);
  if (!nanos) return `${whole}Z`;
  const digits = String(nanos).padStart(9, "0");
  const fraction = digits.endsWith("000000") ? digits.slice(0, 3) : digits.endsWith("000") ? digits.slice(0, 6) : digits;
  return `${whole}.${fraction}Z`;
}

/** The inverse: RFC 3339 (any offset) to a protobuf Timestamp; null when it is not one. */
export function timestampOf(text: string): { seconds: number; nanos: number } | null {
  const match = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) return null;
  const ms = Date.parse(`${match[1]}${match[3]}`);
  if (!Number.isFinite(ms)) return null;
  return { seconds: Math.floor(ms / 1000), nanos: Number((match[2] ?? "").padEnd(9, "0")) };
}
