"""End-to-end: the web page in headless Chromium asks, draws the evidence graph, opens entities,
shows the loaded graph before a question, asks ?q= on load, says "no answer found" with candidates,
keeps edge labels apart and loads without a single failed request (favicon included)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from kg_reasoner.graph.generation import bump_generation
from tests.serve.live_server import live_server, people_qa, star_qa

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,  # a real server and a headless browser
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK),
        reason=f"{CHROMIUM} is not installed (run `make browser`); the page is tested in CI",
    ),
]


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def _ask(
    page: Any, question: str, wait_for: str | None = "#answers li.answer", timeout: int = 20_000
) -> None:
    """Type a question, press Ask, and wait for ``wait_for`` (None: the caller waits)."""
    page.fill("#question", question)
    page.click("#ask-button")
    if wait_for is not None:
        page.wait_for_selector(wait_for, timeout=timeout)


def test_page_answers_draws_the_evidence_graph_and_shows_entities(page) -> None:  # type: ignore[no-untyped-def]
    with live_server(people_qa()) as url:
        page.goto(url + "/")
        _ask(page, "Marie Curie was born in the capital of which country?")
        first = page.locator("#answers li.answer").first
        assert "Poland" in first.inner_text()
        assert "-born_in->" in first.inner_text()
        counts = page.evaluate("[kgrGraph.nodes().length, kgrGraph.edges().length]")
        assert counts[0] >= 3 and counts[1] >= 2
        labels = page.evaluate("kgrGraph.nodes().map(n => n.data('label'))")
        assert {"Marie Curie", "Warsaw", "Poland"} <= set(labels)

        page.locator("#answers .entity-link", has_text="Warsaw").first.click()
        page.wait_for_selector("#entity-panel:not([hidden]) tr.triple", timeout=10_000)
        assert page.inner_text("#entity-title") == "Warsaw"
        panel = page.inner_text("#entity-panel")
        assert "capital_of" in panel and "Warsaw is the capital of Poland." in panel

        page.evaluate("kgrGraph.$id('http://example.org/entity/Marie_Curie').emit('tap')")
        page.wait_for_function(
            "document.getElementById('entity-title').textContent === 'Marie Curie'",
            timeout=10_000,
        )
        assert "Marie Curie was born in Warsaw." in page.inner_text("#entity-panel")


def test_page_shows_request_errors(page) -> None:  # type: ignore[no-untyped-def]
    with live_server(people_qa()) as url:
        page.goto(url + "/")
        page.evaluate("document.getElementById('question').removeAttribute('maxlength')")
        with page.expect_response(lambda r: r.url.endswith("/ask")) as reply:
            _ask(page, "x" * 600, "#error:not([hidden])", timeout=10_000)
        # the server refuses the request itself (422), and the page shows why: a crash (500)
        # whose text happened to mention the limit would not pass
        assert reply.value.status == 422
        error = page.inner_text("#error")
        assert "at most 500 characters" in error and "Internal Server Error" not in error


def test_page_shows_the_loaded_graph_and_examples_drawn_from_it(page) -> None:  # type: ignore[no-untyped-def]
    with live_server(people_qa()) as url:
        info = httpx.get(url + "/info", timeout=10).json()
        assert info["examples"] and info["entities"] == 9
        page.goto(url + "/")
        page.wait_for_selector("#examples button", timeout=10_000)
        summary = page.inner_text("#graph-info")
        assert "knowledge base" in summary and "9 entities" in summary and "7 triples" in summary
        shown = page.locator("#examples button").all_inner_texts()
        assert shown == info["examples"]
        assert "Krasinski" not in page.content()  # no MetaQA example on another graph
        assert page.get_attribute("#question", "placeholder") == f"e.g. {info['examples'][0]}"
        assert page.locator("#answers li").count() == 0

        page.locator("#examples button").first.click()  # an example asks itself
        page.wait_for_selector("#answers li.answer", timeout=20_000)
        assert page.input_value("#question") == info["examples"][0]


def test_page_asks_the_question_in_the_url_and_keeps_the_url_in_step(page) -> None:  # type: ignore[no-untyped-def]
    question = "Where was Marie Curie born?"
    with live_server(people_qa()) as url:
        page.goto(f"{url}/?q={quote(question)}")
        page.wait_for_selector("#answers li.answer", timeout=20_000)
        assert "Warsaw" in page.locator("#answers li.answer").first.inner_text()
        assert page.input_value("#question") == question

        _ask(page, "Where was Alan Turing born?", None)
        page.wait_for_function(
            "document.querySelector('#answers li.answer')?.innerText.includes('London')",
            timeout=20_000,
        )
        assert "q=Where+was+Alan+Turing+born" in page.url or "q=Where%20was%20Alan" in page.url


def test_a_new_question_closes_the_entity_panel(page) -> None:  # type: ignore[no-untyped-def]
    with live_server(people_qa()) as url:
        page.goto(url + "/")
        _ask(page, "Where was Marie Curie born?")
        page.locator("#answers .entity-link", has_text="Warsaw").first.click()
        page.wait_for_selector("#entity-panel:not([hidden]) tr.triple", timeout=10_000)

        _ask(page, "Where was Alan Turing born?", None)
        page.wait_for_function(
            "document.querySelector('#answers li.answer')?.innerText.includes('London')",
            timeout=20_000,
        )
        assert page.locator("#entity-panel").is_hidden()


def test_an_empty_result_says_no_answer_found_and_lists_the_candidates(page) -> None:  # type: ignore[no-untyped-def]
    with live_server(people_qa()) as url:
        page.goto(url + "/")
        _ask(page, "Where was [Pierre Currie Junior] born?", "#answers li.no-answer")
        text = page.inner_text("#answers")
        assert "no answer found" in text
        candidates = page.locator("#answers li.no-answer .entity-link").all_inner_texts()
        assert candidates[0] == "Pierre Curie"
        page.locator("#answers li.no-answer .entity-link").first.click()
        page.wait_for_function(
            "document.getElementById('entity-title').textContent === 'Pierre Curie'",
            timeout=10_000,
        )


def test_edge_labels_of_the_evidence_graph_do_not_overlap(page) -> None:  # type: ignore[no-untyped-def]
    """Eight edges leave one node with the same long label: drawn plainly, their labels pile up
    (25 overlapping pairs on the page before this test). Now every label shown is clear of the
    others and readable (zoom >= 0.5); a label with no room shows while hovering its edge."""
    with live_server(star_qa()) as url:
        page.goto(url + "/")
        _ask(page, "Who does Acme Corp employ as senior staff member?")
        page.wait_for_function("window.kgrGraph && kgrGraph.edges().length === 8", timeout=10_000)
        boxes = page.evaluate(
            """kgrGraph.edges().filter(e => e.style('label') !== '').map(e => e.boundingBox(
                {includeNodes: false, includeEdges: false, includeLabels: true}))"""
        )
        assert len(boxes) >= 2 and all(b["w"] > 0 for b in boxes)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = (
                    a["x2"] <= b["x1"]
                    or b["x2"] <= a["x1"]
                    or a["y2"] <= b["y1"]
                    or b["y2"] <= a["y1"]
                )
                assert apart, f"edge labels overlap: {a} {b}"
        assert page.evaluate("kgrGraph.zoom()") >= 0.5
        style = page.evaluate(
            "(() => { const e = kgrGraph.edges()[0]; return [e.style('text-rotation'), "
            "e.style('text-background-opacity')]; })()"
        )
        assert style[0] == "autorotate" and float(style[1]) > 0
        hidden = page.evaluate("kgrGraph.edges('.quiet').length")
        if hidden:
            label = page.evaluate(
                "(() => { const e = kgrGraph.edges('.quiet')[0]; e.emit('mouseover'); "
                "return e.style('label'); })()"
            )
            assert label == "employs_as_senior_staff_member"


def test_the_page_loads_without_a_failed_request_and_has_a_favicon(page) -> None:  # type: ignore[no-untyped-def]
    failed: list[str] = []

    def record(response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    with live_server(people_qa()) as url:
        page.on("response", record)
        try:
            page.goto(url + "/")
            page.wait_for_selector("#examples button", timeout=10_000)
            page.wait_for_timeout(500)  # Chromium asks for the icon after the load
            icon = httpx.get(url + "/favicon.ico", timeout=10)
        finally:
            page.remove_listener("response", record)
        assert failed == []
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")
        assert page.get_attribute("link[rel=icon]", "href") == "/static/favicon.svg"


def test_page_names_the_build_served_and_says_when_a_restart_is_needed(  # type: ignore[no-untyped-def]
    page, tmp_path: Path
) -> None:
    bump_generation(tmp_path)  # a graph folder at build 1; reloading off (--reload-every 0)
    with live_server(people_qa(), graph_dir=tmp_path, reload_seconds=0) as url:
        page.goto(url + "/")
        page.wait_for_selector("#examples button", timeout=10_000)
        info = page.inner_text("#graph-info")
        assert "build 1" in info and "restart" not in info
        bump_generation(tmp_path)  # a newer build committed while serving
        page.reload()
        page.wait_for_selector("#graph-info .warning", timeout=10_000)
        info = page.inner_text("#graph-info")
        assert "build 1" in info and "restart the server" in info
