// The filters every drops read accepts, and the SQL conditions they become.
import type { TrafficDirection, Verdict } from "../../ingest/types";
import type { SqlParams } from "../sqlParams";

export interface DropFilters {
  cluster?: string[];
  namespace?: string[];
  verdict?: Verdict[];
  direction?: TrafficDirection[];
  reason?: string[];
  /** Drops on paths one of these policies denied (a path-level fact: read from path rollups). */
  policy?: string[];
}

export type FilterColumn = keyof DropFilters;

/** Which filter columns a table has, and the (allow-listed) SQL expression for each. */
export type FilterColumns = Partial<Record<FilterColumn, string>>;

export const ROLLUP_COLUMNS: FilterColumns = {
  cluster: "cluster",
  namespace: "namespace",
  verdict: "verdict::text",
  direction: "direction::text",
  reason: "reason",
};

/** SQL conditions for the filters that apply to these columns; the values go into `params`. */
export function filterConditions(filters: DropFilters, columns: FilterColumns, params: SqlParams): string[] {
  const conditions: string[] = [];
  for (const [name, expression] of Object.entries(columns) as [FilterColumn, string][]) {
    const values = filters[name];
    if (!values || values.length === 0) continue;
    // `policy` columns are arrays (a path's policies): match when they share any value. One value
    // is compared with `=`: an index on (bucket, namespace, count) then yields rows in count order
    // (with `= ANY` PostgreSQL sorts the whole namespace's rows first).
    if (name === "policy") conditions.push(`${expression} && ${params.add(values)}::text[]`);
    else if (values.length === 1) conditions.push(`${expression} = ${params.add(values[0])}::text`);
    else conditions.push(`${expression} = ANY(${params.add(values)}::text[])`);
  }
  return conditions;
}
