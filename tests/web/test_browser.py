"""End to end in headless Chromium (Debian's package), driven by Playwright: search, facet, article, speaker.

Chromium comes from apt (`apt-get install -y chromium chromium-driver`; `.ci/run` does it), never
from `playwright install`. Screenshots go to the test's folder, and also to
``$NEWSSEARCH_SCREENSHOTS`` when set (``NEWSSEARCH_SCREENSHOTS=docs`` refreshes the README's).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install '.[web,webtest]'")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install '.[webtest]'")

from websupport import LiveServer, build_web_index, start_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium chromium-driver (.ci/run does)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(build_web_index(tmp_path_factory.mktemp("browser")), "--facets-budget", "0")
    yield live
    live.stop()


def browser_context(playwright: Any, profile: Path, **options: Any) -> Any:
    """A fresh Chromium profile (its own --user-data-dir), the flags that work here as root."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, **options)


def save(page: Any, folder: Path, name: str) -> Path:
    path = folder / name
    page.screenshot(path=str(path), full_page=False)
    extra = os.environ.get("NEWSSEARCH_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / name)
    return path


def test_search_facet_article_and_speaker_in_a_real_browser(server: LiveServer, tmp_path: Path) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        context = browser_context(playwright, tmp_path / "profile", viewport={"width": 1280, "height": 860})
        page = context.new_page()
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))

        page.goto(server.url + "/")
        page.fill("input[name=q]", "Belousov")
        page.press("input[name=q]", "Enter")
        page.wait_for_selector("article.hit")
        assert "5 paragraphs match" in page.inner_text("p.summary")
        first = page.locator("article.hit").first
        assert first.locator("mark").first.inner_text() == "Belousov"
        assert page.locator("svg.timeline rect.bar").count() >= 1
        assert page.url.endswith("/?q=Belousov")
        shot = save(page, tmp_path, "web-search.png")
        assert shot.stat().st_size > 10_000

        page.click("aside.facets >> text=Sadio Camara")
        page.wait_for_selector("a.chip")
        assert "1 paragraph match" in page.inner_text("p.summary")
        assert "speaker=Sadio+Camara" in page.url
        assert page.locator("article.hit").count() == 1

        page.click("article.hit h2 a")
        page.wait_for_selector(".para.marked")
        assert page.url.endswith("#p5")
        marked = page.locator(".para.marked")
        assert marked.get_attribute("id") == "p5"
        assert marked.locator("mark").first.inner_text() == "Belousov"
        box = marked.bounding_box()
        assert box is not None and 0 <= box["y"] < 860  # scrolled to
        save(page, tmp_path, "web-article.png")

        page.click("a.speaker >> text=Andrey Belousov")
        page.wait_for_selector("section.person h1")
        assert page.inner_text("section.person h1") == "Andrey Belousov"
        assert "Quoted or reported in 4 paragraphs" in page.inner_text("p.summary")
        assert page.locator("svg.timeline").count() == 1
        page.fill("#said", "dialogue")
        page.press("#said", "Enter")
        page.wait_for_selector("text=What Andrey Belousov said")
        page.goto(server.url + "/speaker/Andrey%20Belousov")
        save(page, tmp_path, "web-speaker.png")
        context.close()
    assert not problems, problems  # no script error, no Content-Security-Policy violation


def test_phone_sized_screen_without_javascript(server: LiveServer, tmp_path: Path) -> None:
    """The search page works with scripts off (a plain GET form) and fits a phone's width."""
    with sync_api.sync_playwright() as playwright:
        context = browser_context(playwright, tmp_path / "profile", java_script_enabled=False,
                                  viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.goto(server.url + "/")
        page.fill("input[name=q]", "harbour")
        page.click("form.search button[type=submit]")
        page.wait_for_selector("article.hit")
        assert page.locator("mark").first.inner_text().lower() == "harbour"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("details.options summary")
        page.select_option("select[name=sort]", "newest")
        page.click("form.search button[type=submit]")
        page.wait_for_selector("article.hit")
        assert "sort=newest" in page.url
        save(page, tmp_path, "web-phone.png")
        context.close()
