"""End-to-end: the web page in headless Chromium asks, draws the evidence graph, opens entities."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.serve.live_server import live_server, people_qa

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

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason=f"{CHROMIUM} is not installed (run `make browser`); the page is tested in CI",
)


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_page_answers_draws_the_evidence_graph_and_shows_entities(page) -> None:  # type: ignore[no-untyped-def]
    with live_server(people_qa()) as url:
        page.goto(url + "/")
        page.fill("#question", "Marie Curie was born in the capital of which country?")
        page.click("#ask-button")
        page.wait_for_selector("#answers li.answer", timeout=20_000)
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
        page.fill("#question", "x" * 600)
        page.click("#ask-button")
        page.wait_for_selector("#error:not([hidden])", timeout=10_000)
        assert "500" in page.inner_text("#error") or "at most" in page.inner_text("#error")
