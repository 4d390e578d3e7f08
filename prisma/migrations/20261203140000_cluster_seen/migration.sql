-- The clusters list at any path count (issue 12): each cluster's first and newest drop were a
-- min/max over every drop path (1M of them after a port scan: a full scan per request). With these
-- each is one index probe per cluster (lib/queries/clusters/getClusters.ts).

-- CreateIndex
CREATE INDEX "drop_paths_cluster_first_seen_idx" ON "drop_paths"("cluster", "first_seen");

-- CreateIndex
CREATE INDEX "drop_paths_cluster_last_seen_idx" ON "drop_paths"("cluster", "last_seen");
