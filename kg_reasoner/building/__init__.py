"""Building stage: corpus + extraction -> graph (the incremental builder, its config and report)."""
