import type { MessageTypeDefinition } from "@grpc/proto-loader";
import { describe, expect, it } from "vitest";
import { parseRecord } from "../../ingest/formats";
import { isObject } from "../../ingest/formats/json";
import { fixtureLines } from "../../testing/formats";
import { loadProto, type LoadedProto } from "./grpc";
import { rfc3339, timestampOf } from "./protojson";

const hubble = loadProto("cilium", "observer/observer.proto", Number);
const goldmane = loadProto("goldmane", "api.proto", String);

/** JSON -> protobuf bytes (as a relay or Goldmane sends them) -> what the collector writes. */
function overTheWire(proto: LoadedProto, typeName: string, json: object): Record<string, unknown> {
  const type = proto.definition[typeName] as MessageTypeDefinition<object, object>;
  const bytes = type.serialize(proto.json.fromJson(structuredClone(json), typeName));
  return proto.json.convert(type.deserialize(bytes), typeName) as Record<string, unknown>;
}

/** 64-bit integers are numbers in the collector's Hubble JSON, strings in protojson: compare them as numbers. */
function numbersAsNumbers(value: unknown): unknown {
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  if (Array.isArray(value)) return value.map(numbersAsNumbers);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, numbersAsNumbers(item)]));
  return value;
}

describe("protojson from proto-loader's messages", () => {
  it("prints Timestamps as RFC 3339 in UTC, with 0, 3, 6 or 9 fractional digits as protojson does", () => {
    expect(rfc3339(1692619938, 510175415)).toBe("2023-08-21T12:12:18.510175415Z");
    expect(rfc3339(1234, 567800000)).toBe("1970-01-01T00:20:34.567800Z");
    expect(rfc3339(1234, 500000000)).toBe("1970-01-01T00:20:34.500Z");
    expect(rfc3339(1645686778, 0)).toBe("2022-02-24T07:12:58Z");
    expect(timestampOf("2022-02-24T07:12:58.666503500Z")).toEqual({ seconds: 1645686778, nanos: 666503500 });
    expect(timestampOf("2022-02-24T09:12:58+02:00")).toEqual({ seconds: 1645686778, nanos: 0 });
  });

  it.each(fixtureLines("hubble").map(({ file, line }) => [file, line]))(
    "a Hubble flow (%s) comes out of GetFlowsResponse as `hubble observe -o json` prints it, and parses the same",
    (_file, line) => {
      const original = JSON.parse(line) as Record<string, unknown>;
      const response = isObject(original.flow) ? original : { flow: original };
      const written = overTheWire(hubble, "observer.GetFlowsResponse", response);
      expect(numbersAsNumbers(written)).toEqual(numbersAsNumbers(response));
      expect(typeof (written.flow as Record<string, unknown>).time).toBe("string");
      expect(parseRecord(written, "auto")).toEqual(parseRecord(response, "auto"));
    },
  );

  it("a Goldmane FlowResult comes out as protojson: proto names, enum names, 64-bit integers as strings, zero values left out", () => {
    const result = {
      id: "7",
      flow: {
        Key: {
          source_name: "scraper-655c844475-*",
          source_namespace: "storefront",
          source_type: "WorkloadEndpoint",
          dest_name: "web-574ff6d9fd-*",
          dest_namespace: "storefront",
          dest_type: "WorkloadEndpoint",
          dest_port: "80",
          proto: "tcp",
          reporter: "Dst",
          action: "Deny",
          policies: {
            enforced_policies: [
              { kind: "EndOfTier", tier: "default", action: "Deny", policy_index: "1", rule_index: "-1", trigger: { kind: "NetworkPolicy", namespace: "storefront", name: "web-isolation", tier: "default" } },
            ],
          },
        },
        start_time: "1764331200",
        end_time: "1764331215",
        source_labels: ["app=scraper"],
        dest_labels: ["app=web"],
        packets_in: "8",
        bytes_in: "592",
        num_connections_started: "2",
      },
    };
    const written = overTheWire(goldmane, "goldmane.FlowResult", result);
    expect(written).toEqual(result);
    expect(parseRecord(written, "auto")).toMatchObject({
      kind: "drop",
      event: { verdict: "DROPPED", reason: "POLICY_DENIED", policies: ["storefront/web-isolation"], direction: "INGRESS", dstPort: 80, count: 2, time: new Date(1764331200 * 1000) },
    });
  });
});
