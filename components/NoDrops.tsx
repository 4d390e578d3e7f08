"use client";
// An empty chart: the first-time hint only when nothing is stored at all; otherwise when the last
// drop arrived, so an empty range of a busy instance does not read like a broken install.
import { useClusters } from "./hooks/useClusters";
import { ageText } from "./ClustersView";
import { formatUtcSince } from "./ui/format";
import { EmptyState, SendDropsHint } from "./ui/states";

export function NoDrops({ filtered, title }: { filtered: boolean; title?: string }) {
  const clusters = useClusters();
  const data = clusters.data;
  const withDrops = (data?.clusters ?? []).filter((c): c is typeof c & { lastSeen: string } => c.lastSeen !== null);
  const last = withDrops.reduce<(typeof withDrops)[number] | null>((newest, c) => (!newest || c.lastSeen > newest.lastSeen ? c : newest), null);
  const heading = title ?? (filtered ? "No drops match these filters in this range." : "No drops in this range.");
  if (data && !last) {
    return (
      <EmptyState title={filtered ? heading : "No drops stored yet."}>
        <SendDropsHint />
      </EmptyState>
    );
  }
  return (
    <EmptyState title={heading}>
      <p className="muted" data-testid="last-drop">
        {last && data
          ? `The last drop arrived at ${formatUtcSince(last.lastSeen, data.now)} (${ageText(last.lastSeen, data.now)}, cluster ${last.cluster}).`
          : clusters.isError
            ? ""
            : "…"}
      </p>
    </EmptyState>
  );
}
