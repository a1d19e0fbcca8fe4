"""Extraction stage: spaCy parsing, rule-based and trained extractors, canonical entities."""
