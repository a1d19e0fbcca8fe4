"""The FastAPI application: /ask, /entity/{id}, /sparql, /health, /info, OpenAPI docs and the
web page.

Everything the pages load is served from the installed packages, so they work offline.

Handlers are synchronous (FastAPI runs them in a thread pool). One lock serialises the answerer
(its models are not assumed thread-safe); entity lookups read the graph without it, and SPARQL
queries run in worker processes under a time limit (:mod:`kg_reasoner.serve.query_worker`), so
no request waits for another kind. Each request takes the build being served once
(:class:`kg_reasoner.serve.reload.LiveQA`), so a newer build swapped in mid-request changes
nothing for it.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from kg_reasoner.errors import EntityNotFoundError, KGReasonerError
from kg_reasoner.qa.loading import LoadedQA
from kg_reasoner.serve.body_limit import BodyLimit
from kg_reasoner.serve.candidates import no_answer_candidates
from kg_reasoner.serve.graph_info import graph_info
from kg_reasoner.serve.health import InFlight, server_state
from kg_reasoner.serve.query_worker import QueryLimits, QueryRunner, ServerBusyError
from kg_reasoner.serve.reload import LiveQA, Reopen
from kg_reasoner.serve.schemas import (
    MAX_BODY_BYTES,
    MAX_ENTITY_TRIPLES,
    MAX_QUERY_CHARS,
    MAX_QUESTION_CHARS,
    AskRequest,
    SparqlRequest,
)


def _static_dir() -> str:
    return str(resources.files("kg_reasoner.serve") / "static")


def create_app(
    loaded: LoadedQA,
    *,
    limits: QueryLimits | None = None,
    stuck_seconds: float = 60.0,
    graph_dir: str | Path | None = None,
    reopen: Reopen | None = None,
    reload_seconds: float = 2.0,
) -> FastAPI:
    """Build the app around a loaded answerer and its graph.

    ``limits`` bound each SPARQL query; `/health` says ``stuck`` (HTTP 503) once a request has
    run ``stuck_seconds``, and ``overloaded`` while every query slot is busy. With ``graph_dir``
    and ``reopen``, a newer build of that directory is picked up within ``reload_seconds``
    (0: never; `/health` then says a restart is needed).
    """
    live = LiveQA(loaded, graph_dir=graph_dir, reopen=reopen, check_seconds=reload_seconds)
    queries = QueryRunner(loaded.graph, limits)
    asks = InFlight()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        live.start()
        yield
        live.stop()
        queries.stop_all()  # on shutdown: no query outlives the server

    app = FastAPIOffline(  # /docs and /redoc load their scripts from the package, not a CDN
        title="kg_reasoner QA",
        description="Answers questions over a knowledge graph with evidence paths.",
        version="1",
        lifespan=lifespan,
    )
    lock = threading.Lock()

    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)

    @app.exception_handler(RequestValidationError)
    def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        """422 naming each bad field, without echoing what was sent (``input`` is dropped)."""
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.get("/health")
    def health() -> JSONResponse:
        """Liveness (503 when stuck or overloaded), requests in flight, what is loaded and
        which build of the graph is served."""
        answerer = live.current.answerer
        index = answerer.index
        state = server_state(
            ask_ages=asks.ages(),
            query_ages=queries.running_seconds(),
            max_queries=queries.limits.max_running,
            stuck_seconds=stuck_seconds,
        )
        data = {
            **state,
            "query_seconds_limit": queries.limits.seconds,
            "method": answerer.method,
            "entities": index.num_entities,
            "triples": index.num_triples,
            "relations": index.relations,
            "build": live.state(),
        }
        return JSONResponse(data, status_code=200 if state["status"] == "ok" else 503)

    @app.get("/info")
    def info() -> dict[str, Any]:
        """The loaded graph: kind, documents, entities, triples, example questions drawn from
        its own statements, and the build served (what the page shows before a question)."""
        return {
            **live.cached("info", lambda loaded: graph_info(loaded, {})),
            "build": live.state(),
        }

    def run_ask(request: AskRequest) -> dict[str, Any]:
        answerer = live.current.answerer
        with asks.track(), lock:
            result = answerer.answer(request.question, top_k=request.top_k)
        data = result.to_dict()
        data["graph"] = result.evidence_graph()
        # no answer: the entities the question could be about (linked, or close to its names)
        data["candidates"] = [] if data["answers"] else no_answer_candidates(data, answerer.index)
        return data

    @app.post("/ask")
    def ask(request: AskRequest) -> dict[str, Any]:
        """Answer a question: scored answers, evidence paths, linking and the evidence graph;
        without answers, ``candidates`` lists entities the question may have meant."""
        return run_ask(request)

    @app.get("/ask")
    def ask_get(
        q: str = Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="the question"),
        top_k: int = Query(10, ge=1, le=50),
    ) -> dict[str, Any]:
        """The same as POST /ask, for links and quick tests."""
        return run_ask(AskRequest(question=q, top_k=top_k))

    @app.get("/entity/{entity_id:path}")
    def entity(entity_id: str) -> dict[str, Any]:
        """An entity, its triples (both directions, capped) and their source sentences."""
        if len(entity_id) > MAX_QUESTION_CHARS:
            raise HTTPException(414, "entity id too long")
        graph = live.current.graph
        try:
            record = graph.entity(entity_id)
        except EntityNotFoundError as exc:
            raise HTTPException(404, str(exc)) from None
        triples = _entity_triples(graph, record.id)
        return {
            "id": record.id,
            "label": record.label,
            "type": record.type,
            "aliases": list(record.aliases),
            "triples": triples,
            "truncated": len(triples) >= MAX_ENTITY_TRIPLES,
        }

    def run_sparql(query: str) -> dict[str, Any]:
        try:
            answer = queries.run(query, live.current.graph)
        except ServerBusyError as exc:
            raise HTTPException(503, str(exc), headers={"Retry-After": "2"}) from None
        except KGReasonerError as exc:
            raise HTTPException(400, str(exc)) from None
        return {"rows": answer.rows, "truncated": answer.truncated}

    @app.get("/sparql")
    def sparql_get(
        query: str = Query(min_length=1, max_length=MAX_QUERY_CHARS),
    ) -> dict[str, Any]:
        """Run a read-only SPARQL query (SELECT/ASK) under a time and row limit.

        UPDATE, SERVICE and a query past its time limit get a 400; 503 when too many queries run.
        """
        return run_sparql(query)

    @app.post("/sparql")
    def sparql_post(request: SparqlRequest = Body()) -> dict[str, Any]:
        """The same as GET /sparql with the query in a JSON body."""
        return run_sparql(request.query)

    @app.exception_handler(KGReasonerError)
    def library_error(_: Request, exc: KGReasonerError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    static = _static_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(f"{static}/index.html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """Browsers ask for /favicon.ico whatever the page links: the page's SVG icon."""
        return FileResponse(f"{static}/favicon.svg", media_type="image/svg+xml")

    return app


def _entity_triples(graph: Any, entity_id: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for direction in ("subject", "object"):
        for triple in graph.triples(**{direction: entity_id}):
            if len(out) >= MAX_ENTITY_TRIPLES:
                return out
            sentences = [p.sentence for p in graph.provenance(triple, limit=3)]
            out.append(
                {
                    "subject": triple.subject,
                    "subject_label": _label(graph, triple.subject),
                    "predicate": triple.predicate,
                    "object": triple.object,
                    "object_label": _label(graph, triple.object),
                    "sentences": sentences,
                }
            )
    return out


def _label(graph: Any, entity_id: str) -> str:
    try:
        return str(graph.entity(entity_id).label)
    except KGReasonerError:
        return entity_id


__all__ = ["create_app"]
