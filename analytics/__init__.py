"""招商引资调度驾驶舱: the store, the importer/exporter and every rule of METRICS.md."""
