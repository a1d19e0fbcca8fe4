"""The YAML config of ``task: kgqa``.

Defined in :mod:`kg_reasoner.qa.kgqa_config` because a trained run's ``config.json`` is read back
by the answerer (``qa/``), which may not import ``tasks/``; this module is the task's entry to it.
"""

from kg_reasoner.qa.kgqa_config import (
    KGQAConfig,
    KGQADataConfig,
    KGQAInferenceConfig,
    QuestionEncoderConfig,
    QuestionFileConfig,
    ReasonerModelConfig,
)

__all__ = [
    "KGQAConfig",
    "KGQADataConfig",
    "KGQAInferenceConfig",
    "QuestionEncoderConfig",
    "QuestionFileConfig",
    "ReasonerModelConfig",
]
