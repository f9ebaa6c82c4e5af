"""The web app through Starlette's test client: pages, the JSON API, OpenAPI, every error, security."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install '.[web,webtest]'")
pytest.importorskip("httpx2", reason="the web tests need httpx2: pip install '.[webtest]'")

from click.testing import CliRunner  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from newssearch.cli import main  # noqa: E402
from newssearch.web import params  # noqa: E402
from newssearch.web.app import CONTENT_SECURITY_POLICY, create_app  # noqa: E402
from newssearch.web.openapi import SCHEMAS  # noqa: E402
from websupport import web_index  # noqa: E402, F401  (a fixture)

SEED_ID = "russia-pledges-military-support-sahel-2025-08-15"


@pytest.fixture(scope="module")
def client(web_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_index, facets_budget=None)) as test_client:  # facets always: no flaky skips
        yield test_client


def cli_json(index: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, [*args, "--index", str(index)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def without_seconds(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: without_seconds(value) for key, value in data.items() if key != "seconds"}
    if isinstance(data, list):
        return [without_seconds(value) for value in data]
    return data


# --------------------------------------------------------------------------- the JSON API is the CLI's JSON


def test_api_search_returns_the_same_json_as_the_cli(client: TestClient, web_index: Path) -> None:
    response = client.get("/api/search", params={"q": "Belousov", "facets": "1", "per_article": "0", "limit": "3"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    expected = cli_json(web_index, "query", "Belousov", "--facets", "--limit", "3", "--json")
    assert without_seconds(response.json()) == without_seconds(expected)
    assert response.headers["x-total-count"] == "5"


def test_api_csv_and_jsonl_exports_are_the_cli_renderers_output(client: TestClient, web_index: Path) -> None:
    csv = client.get("/api/search", params={"q": "harbour", "format": "csv"})
    cli = CliRunner().invoke(main, ["query", "harbour", "--format", "csv", "--index", str(web_index)])
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.text.replace("\r\n", "\n") == cli.stdout.replace("\r\n", "\n")
    lines = client.get("/api/search", params={"q": "harbour", "format": "jsonl"}).text.splitlines()
    assert [json.loads(line)["pid"] for line in lines][:1] == [json.loads(csv.text.splitlines()[0] and lines[0])["pid"]]


def test_api_export_says_when_rows_are_capped(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "Belousov", "limit": "2", "format": "csv"})
    assert response.headers["x-total-count"] == "5" and response.headers["x-rows"] == "2"
    assert "rows 1-2 of 5" in response.headers["x-rows-capped"]
    assert client.get("/api/search", params={"q": "x", "limit": str(params.EXPORT_ROWS + 1)}).status_code == 400


def test_api_article_timeline_similar_and_stats_match_the_cli(client: TestClient, web_index: Path) -> None:
    pid = f"{SEED_ID}#4"
    article = client.get(f"/api/article/{params.path_quote(pid)}", params={"q": "Belousov"}).json()
    assert article == cli_json(web_index, "show", pid, "--query", "Belousov", "--format", "json")
    assert article["marked"] == 4
    timeline = client.get("/api/timeline", params={"q": "harbour", "by": "month"}).json()
    assert without_seconds(timeline) == without_seconds(cli_json(web_index, "timeline", "harbour", "--format", "json"))
    similar = client.get(f"/api/similar/{params.path_quote(pid)}", params={"limit": "3"}).json()
    expected = cli_json(web_index, "similar", pid, "--limit", "3", "--format", "json")
    assert without_seconds(similar) == without_seconds(expected)
    stats = client.get("/api/stats").json()
    assert stats == cli_json(web_index, "stats", "--format", "json")


def test_api_speakers_counts_the_speakers_of_a_query_or_of_the_index(client: TestClient) -> None:
    everyone = client.get("/api/speakers").json()
    assert everyone["values"][0] == {"value": "Andrey Belousov", "count": 4}
    of_query = client.get("/api/speakers", params={"q": "Belousov", "limit": "2"}).json()
    assert of_query["query"] == "Belousov" and len(of_query["values"]) == 2 and of_query["distinct"] == 3
    assert client.get("/api/speakers", params={"section": "africa"}).status_code == 400


# --------------------------------------------------------------------------- OpenAPI


def test_openapi_document_lists_every_endpoint_with_the_parameters_the_handlers_check(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/api/search", "/api/article/{id}", "/api/similar/{id}", "/api/timeline",
                                      "/api/speakers", "/api/stats"}
    search = document["paths"]["/api/search"]["get"]
    names = [parameter["name"] for parameter in search["parameters"]]
    assert names == [spec.name for spec in params.API_SEARCH]
    limit = next(parameter for parameter in search["parameters"] if parameter["name"] == "limit")
    assert limit["schema"]["maximum"] == params.EXPORT_ROWS
    assert {"200", "400", "503"} <= set(search["responses"])
    assert "404" in document["paths"]["/api/article/{id}"]["get"]["responses"]


@pytest.mark.parametrize(("url", "schema"), [
    ("/api/search?q=Belousov&facets=1&context=1&per_article=1&q_=", None),
    ("/api/search?q=Belosov", "SearchResults"),
    ("/api/search?q=Belousov&facets=1&context=1&per_article=1", "SearchResults"),
    (f"/api/article/{SEED_ID}%234", "ArticleView"),
    (f"/api/similar/{SEED_ID}%234", "SimilarResults"),
    ("/api/timeline?q=harbour", "Timeline"),
    ("/api/speakers?q=harbour", "Speakers"),
    ("/api/stats", "IndexStats"),
    ("/api/search?q=%22", "Error"),
])
def test_openapi_schemas_name_exactly_the_fields_of_real_responses(client: TestClient, url: str,
                                                                  schema: str | None) -> None:
    response = client.get(url)
    if schema is None:
        assert response.status_code == 400  # unknown parameter q_
        return
    body = response.json()
    assert set(body) == set(SCHEMAS[schema]["properties"])
    if schema == "SearchResults":
        hit = body["hits"][0] if body["hits"] else None
        if hit is not None:
            assert set(hit) == set(SCHEMAS["Hit"]["properties"])
            assert set(hit["highlights"][0]) == set(SCHEMAS["Fragment"]["properties"])
            for paragraph in hit["context_before"] + hit["context_after"]:
                assert set(paragraph) == set(SCHEMAS["ArticleParagraph"]["properties"])
        if body["facets"]:
            assert set(body["facets"]["speaker"]) == set(SCHEMAS["Facet"]["properties"])
        if body["suggestion"]:
            assert set(body["suggestion"]) == set(SCHEMAS["Suggestion"]["properties"])


# --------------------------------------------------------------------------- every error


@pytest.mark.parametrize(("query", "message"), [
    ({"q": '"'}, "no words"),
    ({}, "'q' is required"),
    ({"q": "x" * (params.MAX_QUERY_CHARS + 1)}, "at most 500"),
    ({"q": "x", "limit": "0"}, "at least 1"),
    ({"q": "x", "page": "0"}, "at least 1"),
    ({"q": "x", "page": str(params.MAX_PAGE + 1)}, "at most 1000"),
    ({"q": "x", "context": str(params.MAX_CONTEXT + 1)}, "at most 5"),
    ({"q": "x", "facet_limit": "51"}, "at most 50"),
    ({"q": "x", "page": "two"}, "whole number"),
    ({"q": "x", "sort": "loudest"}, "sort must be one of"),
    ({"q": "x", "format": "xml"}, "format must be one of"),
    ({"q": "x", "per_article": "maybe"}, "true or false"),
    ({"q": "x", "limt": "3"}, "unknown parameter 'limt'"),
    ({"q": "x", "since": "the day after"}, "cannot read"),
    ({"q": "x", "since": "2025-09", "until": "2025-08"}, "after"),
    ({"q": "bogus:word"}, "unknown field"),
    ({"q": '<script>alert(1)</script>" onmouseover="x'}, "cannot parse"),  # whoosh raised IndexError
    ({"q": "Belousov", "page": "3"}, "past the end"),
    ({"q": "x", "section": "s" * 201}, "at most 200"),
])
def test_api_search_answers_400_with_a_json_error_for_each_bad_parameter(client: TestClient, query: dict[str, str],
                                                                         message: str) -> None:
    response = client.get("/api/search", params=query)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["status"] == 400 and message in response.json()["error"]


def test_a_repeated_parameter_is_a_400(client: TestClient) -> None:
    response = client.get("/api/search?q=a&q=b")
    assert response.status_code == 400 and "more than once" in response.json()["error"]


@pytest.mark.parametrize("url", [
    "/api/article/no-such-article",
    "/api/article/..%2F..%2F..%2Fetc%2Fpasswd",
    "/api/article/%2Fetc%2Fpasswd",
    "/api/similar/no-such%231",
    f"/api/similar/{SEED_ID}",  # an article id: similar needs a paragraph
    "/api/no-such-endpoint",
])
def test_unknown_ids_and_urls_are_a_json_404_and_never_read_a_file(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert "root:" not in response.text


def test_html_pages_answer_404_for_unknown_ids_speakers_and_urls(client: TestClient) -> None:
    for url in ("/article/..%2F..%2Fetc%2Fpasswd", "/article/../../etc/passwd", "/speaker/Nobody%20Here",
                "/speaker/Camara", "/no/such/page"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
        assert "root:" not in response.text


def test_the_server_is_read_only_other_methods_are_405_and_the_index_does_not_change(
        client: TestClient, web_index: Path) -> None:
    before = folder_digest(web_index)
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = client.request(method, "/api/search?q=harbour")
        assert response.status_code == 405 and "read-only" in response.json()["error"]
        assert "GET" in response.headers["allow"]
    client.get("/?q=harbour")
    client.get("/api/stats")
    assert folder_digest(web_index) == before


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def test_a_query_past_the_time_limit_is_stopped_and_answered_503(web_index: Path) -> None:
    with TestClient(create_app(web_index, time_limit=1e-6)) as slow:
        response = slow.get("/api/search", params={"q": "harbour"})
        page = slow.get("/", params={"q": "harbour"})
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    assert "time limit" in response.json()["error"]
    assert page.status_code == 503 and "time limit" in page.text


def test_the_server_keeps_answering_after_a_stopped_query(web_index: Path) -> None:
    app = create_app(web_index, time_limit=1e-6, workers=1)
    with TestClient(app) as client:
        assert client.get("/api/search", params={"q": "harbour"}).status_code == 503
        app.app.state.server.time_limit = 10.0  # type: ignore[attr-defined]
        assert client.get("/api/search", params={"q": "harbour"}).json()["total"] == 3


# --------------------------------------------------------------------------- the search page


def test_search_page_shows_cards_with_marked_matches_and_links(client: TestClient) -> None:
    page = client.get("/", params={"q": "Belousov"})
    assert page.status_code == 200
    assert "<mark>Belousov</mark>" in page.text
    assert "5 paragraphs match" in page.text
    assert f'href="/article/{SEED_ID}%234?q=Belousov#p4"' in page.text
    assert 'href="/speaker/Sadio%20Camara"' in page.text
    assert '<svg class="timeline"' in page.text


def test_facets_filter_when_clicked_and_can_be_removed(client: TestClient) -> None:
    page = client.get("/", params={"q": "Belousov"}).text
    link = re.search(r'<a href="([^"]*speaker=Sadio\+Camara[^"]*)">Sadio Camara</a> <span class="count">1</span>',
                     page)
    assert link, page
    filtered = client.get(link.group(1).replace("&amp;", "&")).text
    assert "1 paragraph match" in filtered
    assert "speaker: Sadio Camara" in filtered  # the chip
    removed = re.search(r'<a class="chip" href="([^"]*)"', filtered)
    assert removed and client.get(removed.group(1).replace("&amp;", "&")).text.count('class="hit"') == 5


def test_month_facet_and_timeline_bars_set_a_date_range(client: TestClient) -> None:
    page = client.get("/", params={"q": "harbour"}).text
    assert re.search(r'href="/\?q=harbour&amp;since=2024-03&amp;until=2024-03"', page)
    assert re.search(r'<a href="/\?q=harbour&amp;since=2024-03-01&amp;until=2024-03-31">', page)  # a bar


def test_sort_one_hit_per_article_and_pagination_with_the_total(client: TestClient) -> None:
    page = client.get("/", params={"q": "Belousov", "limit": "2", "page": "2", "sort": "newest"}).text
    assert "page 2 of 3" in page and "newest first" in page
    assert 'aria-current="page">2<' in page
    assert "/?q=Belousov&amp;page=3&amp;sort=newest&amp;limit=2" in page
    per_article = client.get("/", params={"q": "harbour", "per_article": "1"}).text
    assert "articles (" in per_article or "article (" in per_article
    assert "one hit per article" in per_article


def test_did_you_mean_links_to_the_corrected_search(client: TestClient) -> None:
    page = client.get("/", params={"q": "Belosov"}).text
    assert 'Did you mean <a href="/?q=Belousov">Belousov</a>?' in page
    assert "No paragraph matches" in page
    corrected = client.get("/", params={"q": "Belosov", "correct": "1"}).text
    assert "Showing results for <strong>Belousov</strong>" in corrected


def test_bad_query_and_no_match_messages(client: TestClient) -> None:
    bad = client.get("/", params={"q": "bogus:word"})
    assert bad.status_code == 400 and "Bad query:" in bad.text and "unknown field" in bad.text
    none = client.get("/", params={"q": "zanzibarian"})
    assert none.status_code == 200 and "No paragraph matches <strong>zanzibarian</strong>" in none.text
    bounds = client.get("/", params={"q": "x", "limit": "101"})
    assert bounds.status_code == 400 and "at most 100" in bounds.text


def test_facets_within_the_default_budget_are_shown(web_index: Path) -> None:
    with TestClient(create_app(web_index)) as default:
        page = default.get("/", params={"q": "Belousov"}).text
    assert 'class="facet"' in page or "skipped (5 matches)" in page  # a very slow machine may skip them
    assert page.count('class="facet"') in (0, 3)


def test_facets_over_their_budget_are_skipped_with_a_link_that_counts_them(web_index: Path) -> None:
    with TestClient(create_app(web_index, facets_budget=1e-9)) as tight:
        page = tight.get("/", params={"q": "Belousov"}).text
        assert "facets and timeline skipped (5 matches)" in page
        assert 'class="facet"' not in page
        full = tight.get("/", params={"q": "Belousov", "full": "1"}).text
    assert 'class="facet"' in full and "skipped" not in full


def test_export_links_carry_the_state_and_state_the_cap(client: TestClient) -> None:
    page = client.get("/", params={"q": "Belousov", "sort": "oldest", "section": "africa"}).text
    assert (f'href="/api/search?q=Belousov&amp;section=africa&amp;sort=oldest&amp;limit={params.EXPORT_ROWS}'
            f'&amp;format=csv"') in page
    assert f"the first {params.EXPORT_ROWS:,} hits" in page


def test_home_page_summarises_the_index_and_links_speakers(client: TestClient) -> None:
    page = client.get("/").text
    assert "14 articles" in page and 'href="/speaker/Andrey%20Belousov"' in page


# --------------------------------------------------------------------------- article and speaker pages


def test_article_page_marks_the_hit_paragraph_and_its_matches(client: TestClient) -> None:
    page = client.get(f"/article/{SEED_ID}%234", params={"q": "Belousov"}).text
    marked = re.search(r'<div class="para marked" id="p4" aria-current="true">(.*?)</div>', page, re.S)
    assert marked and "<mark>Belousov</mark>" in marked.group(1)
    assert page.count('class="para') >= 5 and 'id="p1"' in page


def test_speaker_page_is_that_person_only_with_timeline_and_a_search_box(client: TestClient) -> None:
    page = client.get("/speaker/Sadio%20Camara").text
    assert "<h1>Sadio Camara</h1>" in page and "Quoted or reported in 2 paragraphs" in page
    assert "Amadou Camara" not in page  # shares a word of the name, is someone else
    assert '<svg class="timeline"' in page and 'action="/speaker/Sadio%20Camara"' in page
    said = client.get("/speaker/Andrey%20Belousov", params={"q": "dialogue"}).text
    assert "What Andrey Belousov said" in said and "<mark>dialogue</mark>" in said
    assert client.get("/speaker/Amadou%20Camara").text.count('class="hit"') == 1


# --------------------------------------------------------------------------- escaping and headers


def test_markup_in_documents_shows_as_text_everywhere(client: TestClient) -> None:
    pages = [client.get("/", params={"q": "harbour"}).text,
             client.get("/article/hostile%2Fmarkup%231", params={"q": "harbour"}).text,
             client.get("/speaker/Ilse%20Varga").text]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page and "<i>Local" not in page
        assert '" onmouseover="x' not in page
    article = pages[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "&#34; onmouseover=&#34;x" in article
    assert "javascript:" not in article  # the document's javascript: URL is not made a link


def test_queries_and_names_from_the_url_are_escaped(client: TestClient) -> None:
    hostile = '<script>alert(1)</script>" onmouseover="x'
    for response in (client.get("/", params={"q": hostile}), client.get("/speaker/" + params.path_quote(hostile)),
                     client.get("/", params={"q": "harbour", "since": hostile})):
        assert "<script>alert(1)" not in response.text and '" onmouseover="x' not in response.text


def test_every_response_carries_a_csp_without_unsafe_inline(client: TestClient) -> None:
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY
    for url in ("/", "/?q=harbour", "/api/search?q=harbour", "/api/search?q=%22", "/nope", "/static/style.css",
                f"/article/{SEED_ID}"):
        response = client.get(url)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["server-timing"].startswith("app;dur=")


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for url in ("/", "/?q=Belousov", f"/article/{SEED_ID}%234", "/speaker/Andrey%20Belousov"):
        page = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "<style" not in page and not re.search(r"<[a-z][^>]*\s(on[a-z]+|style)\s*=", page), url
