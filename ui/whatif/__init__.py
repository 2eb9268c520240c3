"""The panels of the 模拟推演 page, one module each: the editors of a scenario (settings, targets,
assumed events, saved scenarios) and the views of its result (summary cards, side-by-side tables,
gap solver, projection). Figures come from ``analytics.whatif``; these modules only lay them out."""
