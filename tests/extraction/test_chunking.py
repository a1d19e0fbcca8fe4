from __future__ import annotations

from kg_reasoner.extraction.chunking import chunk_text


def test_chunks_are_paragraphs_with_exact_offsets() -> None:
    text = "First para. Two.\n\n  Second para.\n \n\nThird."
    chunks = list(chunk_text(text))
    assert [c.text for c in chunks] == ["First para. Two.", "Second para.", "Third."]
    assert [c.paragraph for c in chunks] == [0, 1, 2]
    for c in chunks:
        assert text[c.offset : c.offset + len(c.text)] == c.text


def test_long_paragraphs_are_cut_at_sentence_ends() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(200))
    chunks = list(chunk_text(text, max_chars=500))
    assert len(chunks) > 5
    assert all(len(c.text) <= 500 for c in chunks)
    assert all(c.text.endswith(".") for c in chunks[:-1])
    assert {c.paragraph for c in chunks} == {0}
    for c in chunks:
        assert text[c.offset : c.offset + len(c.text)] == c.text
