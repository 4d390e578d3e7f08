"use client";
import { useQuery } from "@tanstack/react-query";
import type { NamespaceClassView } from "@/lib/queries/rollouts/getNamespaceClasses";
import { fetchApi } from "./fetchApi";
import { rolloutKeys } from "./rolloutKeys";

/** The namespace classes (GET /api/v1/classes): named pattern sets a scope may use. */
export function useNamespaceClasses() {
  return useQuery({ queryKey: rolloutKeys.classes, queryFn: ({ signal }) => fetchApi<{ classes: NamespaceClassView[] }>("/api/v1/classes", {}, signal) });
}
