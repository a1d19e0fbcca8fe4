"""What ``classification`` and ``multiple_choice`` share: the LM / graph / model config
sections, grounding and subgraph retrieval over a concept graph, node-label features, batch
collation, the common task runner and explanations. Not a task itself (not in ``TASKS``)."""
