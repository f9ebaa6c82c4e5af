"""The ``newssearch`` command: a thin wrapper over the library.

Exit codes: 0 success; 1 no paragraph matched; 2 bad usage (a query that cannot be parsed, an
invalid option value, an unknown paragraph id, a page past the end); 3 no index (or one that must
be rebuilt); 4 indexing finished but some input was skipped; 5 the index is locked by another
indexer; 6 any other error; 130 interrupted (Ctrl-C). Every error is one line on stderr.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import shlex
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from newssearch.ingest.dates import article_date_window, parse_date_text

from newssearch.ingest.read import read_file

from newssearch.models import ReadOptions, ReadProblem
from newssearch.errors import (
    IndexNotFoundError, NewssearchError,
)
from newssearch.search.show import show_article
from newssearch.search.similar import similar
from newssearch.search.stats import index_stats
from newssearch.search.timeline import PERIODS, timeline
from newssearch.request import SearchRequest
from newssearch.index import (
    INDEX_ENV, NewsIndex, default_documents_dir, default_index_dir, index_paths,
)
from newssearch.indexing.progress import ProgressLine
from newssearch.indexing.check import CheckReport
from newssearch.models import ArticleView, IndexStats, SearchResults, SimilarResults, Timeline
from newssearch.output import ENDS_ITS_LINES, RenderOptions, formats_for, render
from newssearch.output.escape import escape_controls, quoted, to_json
from newssearch.output.text import render_no_matches, render_repair
from newssearch.request import DEFAULT_FACET_LIMIT, DEFAULT_LIMIT, SORTS

if TYPE_CHECKING:
    from newssearch.indexing.run import IndexReport

EXIT_NO_MATCHES = 1
EXIT_USAGE = 2
EXIT_NO_INDEX = 3
EXIT_SKIPPED = 4
EXIT_LOCKED = 5
EXIT_ERROR = 6
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
DEBUG_ENV = "NEWSSEARCH_DEBUG"


def fail(message: str, code: int) -> NoReturn:
    """Print ``message`` on stderr as one line (control characters escaped) and exit with ``code``."""
    click.echo(f"newssearch: {escape_controls(message)}", err=True)
    sys.exit(code)


def internal_error(error: Exception) -> NoReturn:
    """A bug: one line naming it and how to see the traceback (``NEWSSEARCH_DEBUG=1`` re-raises)."""
    if os.environ.get(DEBUG_ENV):
        raise error
    fail(f"internal error ({type(error).__name__}: {escape_controls(str(error))}); please report it "
         f"(set {DEBUG_ENV}=1 for the traceback)", EXIT_ERROR)


def exit_code_for(error: NewssearchError) -> int:
    return error.exit_code


def cli_message(error: NewssearchError) -> str:
    """The library's message as the command line says it: a parameter it starts with becomes its
    option (``page must …`` -> ``--page must …``), and the option that helps is added."""
    message = str(error)
    parameter = getattr(error, "parameter", None)
    if parameter and message.startswith(parameter):
        message = "--" + parameter.replace("_", "-") + message[len(parameter):]
    return message + error.cli_hint


def reports_errors(command: Callable[..., None]) -> Callable[..., None]:
    """Turn library errors (and file-system errors) into a one-line message and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except NewssearchError as error:
            fail(cli_message(error), exit_code_for(error))
        except KeyboardInterrupt:  # here, before click prints a blank line for it
            fail("interrupted", EXIT_INTERRUPTED)
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_ERROR)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            fail(f"{where}{error.strerror or error}", EXIT_ERROR)
        except Exception as error:  # noqa: BLE001  (a bug: still one line, never a traceback)
            internal_error(error)

    return wrapper


def use_color(stream: Any) -> bool:
    """Colour only on a terminal and only when ``NO_COLOR`` is unset."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def display_path(path: str) -> str:
    """``path`` relative to the current folder when it is inside it."""
    try:
        return os.path.relpath(path) if path and not os.path.relpath(path).startswith("..") else path
    except ValueError:
        return path


def _date_option(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    parsed = parse_date_text(value)
    if parsed is None:
        raise click.BadParameter(f"cannot read {value!r} as a date (try 2025-08-15)", param=param)
    first, last = article_date_window()
    if not first <= parsed <= last:
        raise click.BadParameter(f"{parsed.isoformat()} is outside the dates newssearch keeps "
                                 f"({first.isoformat()} to {last.isoformat()})", param=param)
    return parsed


index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False), envvar=INDEX_ENV, show_envvar=True,
    help="Index folder.  [default: index/]")


class LazyGroup(click.Group):
    """A command group whose heavier commands (``cluster``, ``serve``) load their module only when
    run or listed in the help, so that a query does not pay for importing them."""

    lazy_commands = {"cluster": "newssearch.backends.sphinx.cli:cluster",
                     "serve": "newssearch.web.command:serve_command"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands:
            module, _, attribute = self.lazy_commands[name].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, name)


class OneLineErrors(LazyGroup):
    """The ``newssearch`` group: click's usage errors become one line on stderr and exit 2 (click
    prints three or four: usage, hint, blank line, error), and Ctrl-C exits 130, not click's 1,
    which newssearch uses for "no match"."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            fail(usage_message(error, argv), EXIT_USAGE)
        except click.ClickException as error:  # click's own exit code 1 would read as "no match"
            fail(error.format_message(), EXIT_ERROR)
        except (click.Abort, KeyboardInterrupt):
            fail("interrupted", EXIT_INTERRUPTED)
        except Exception as error:  # noqa: BLE001  (outside a command, in click's option conversion)
            internal_error(error)
        sys.exit(code if isinstance(code, int) else 0)


def usage_message(error: click.UsageError, argv: list[str]) -> str:
    """Click's usage error as one line, naming the command's ``--help``; an unknown option that
    may be text starting with ``-`` (``newssearch query -Russia``) says how to give it."""
    command = error.ctx.command_path if error.ctx is not None else "newssearch"
    message = error.format_message().rstrip(".")
    if isinstance(error, click.NoSuchOption) and not error.option_name.startswith("--"):
        given = next((arg for arg in argv if arg.startswith(error.option_name)), error.option_name)
        return (f"{message}; to give text that starts with '-', put -- before it, after any options: "
                f"{command} [OPTIONS] -- {shlex.quote(given)}")
    return f"{message} (see '{command} --help')"


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newssearch")
def main() -> None:
    """Full-text search over news, one paragraph at a time.

    \b
    Index articles, then search them:
      newssearch index                     # documents/ -> index/
      newssearch query "Belousov"
      newssearch query 'cooperation speaker:Camara' --since 2025-08

    \b
    Explore what matched:
      newssearch query cocoa --facets --per-article --sort newest
      newssearch show 'article-id#3' --query cocoa
      newssearch similar 'article-id#3' --other-articles
      newssearch timeline cocoa --by week
      newssearch stats

    \b
    Look after the index:
      newssearch check                     # every file against its checksum
      newssearch check --repair            # re-index what is damaged
    """


@main.command("index")
@click.argument("paths", nargs=-1, type=click.Path(exists=True), metavar="[PATHS]...")
@index_option
@click.option("--rebuild", is_flag=True, help="Build the index from scratch (then swap it in).")
@click.option("--section", help="Section for articles that do not name one.")
@click.option("--date", "default_date", callback=_date_option,
              help="Date for articles that do not carry one (e.g. 2025-08-15).")
@click.option("--section-from-folder", is_flag=True,
              help="Use each file's folder name as its section (business/001.txt -> business).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), envvar="NEWSSEARCH_JOBS", show_envvar=True,
              help="Worker processes.  [default: one per CPU, up to 8; one for small inputs]")
@click.option("--wait", type=click.FloatRange(min=0), default=0, metavar="SECONDS",
              help="If another indexer holds the index, wait this long for it before giving up.")
@click.option("-q", "--quiet", is_flag=True, help="No progress line and no summary; print only problems.")
@reports_errors
def index_command(paths: tuple[str, ...], index_dir: str | None, rebuild: bool, section: str | None,
                  default_date: date | None, section_from_folder: bool, jobs: int | None, wait: float,
                  quiet: bool) -> None:
    """Index news articles into paragraph documents.

    PATHS are files or folders (searched recursively) of .txt, .json and .jsonl articles;
    the default is documents/ (or $NEWSSEARCH_DOCUMENTS). Running it again only reads new
    and changed files and drops deleted ones. Work is committed in batches: if the run is
    interrupted, searches keep the last committed state and the next run finishes the job.

    A file that cannot be read is reported and skipped; the rest is indexed. Exit codes:
    0 all indexed, 4 something was skipped (listed at the end), 5 another indexer holds the
    index (see --wait).
    """
    options = ReadOptions(section=section, date=default_date, section_from_folder=section_from_folder)
    if not paths and not os.path.exists(default_documents_dir()):
        fail(f"nothing to index: there is no {default_documents_dir()}/ folder here; give the files or folders to "
             f"index (newssearch index PATH...) or set NEWSSEARCH_DOCUMENTS", EXIT_USAGE)
    location = index_dir or default_index_dir()
    progress = ProgressLine(sys.stderr) if not quiet and is_terminal(sys.stderr) else None
    try:
        report = index_paths(list(paths) or [default_documents_dir()], location, rebuild=rebuild,
                             options=options, jobs=jobs, wait=wait, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    _print_report(report, location, quiet)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def is_terminal(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (progress lines only make sense there)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _print_report(report: IndexReport, location: str, quiet: bool) -> None:
    if report.stale_lock_pid is not None:
        click.echo(f"newssearch: took over a stale lock left by PID {report.stale_lock_pid} "
                   f"(a run that was killed); its committed work is kept.", err=True)
    if not quiet:
        rate = f", {report.paragraphs / report.seconds:,.0f} paragraphs/s" if report.seconds >= 1 else ""
        click.echo(
            f"Indexed {_count(report.articles, 'article')} ({_count(report.paragraphs, 'paragraph')}) "
            f"from {_count(report.files_indexed, 'file')} into {location}/ in {report.seconds:.2f} s{rate}.")
        click.echo(f"  unchanged: {_count(report.files_unchanged, 'file')}; removed: "
                   f"{_count(report.files_removed, 'deleted file')}; skipped: {len(report.skipped)}.")
    _print_problems("Skipped", report.skipped)
    _print_problems("Warnings", report.warnings)


def _print_problems(heading: str, problems: list[ReadProblem]) -> None:
    if problems:
        click.echo(f"{heading}:", err=True)
        for problem in problems:
            click.echo(f"  {escape_controls(str(problem))}", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def output_format(fmt: str | None, as_json: bool, kind: type) -> str:
    """The ``--format`` asked for (``--json`` is ``--format json``); a bad or conflicting one exits 2."""
    if as_json and fmt not in (None, "json"):
        fail(f"--json and --format {fmt} contradict each other: give one", EXIT_USAGE)
    value = "json" if as_json else (fmt or "text").lower()
    allowed = formats_for(kind)
    if value not in allowed:
        fail(f"--format must be one of {', '.join(allowed)}, not {fmt!r}", EXIT_USAGE)
    return value


def format_option(kind: type) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--format``, offering every format the output registry has for ``kind``."""
    allowed = formats_for(kind)
    return click.option("--format", "fmt", metavar="|".join(allowed),
                        help=f"Output: {', '.join(allowed)}.  [default: text]")


def emit(value: object, fmt: str) -> None:
    """Print ``value`` in ``fmt`` through the output registry (CSV ends its own lines)."""
    rendered = render(value, fmt, RenderOptions(color=use_color(sys.stdout), display_path=display_path))
    click.echo(rendered, nl=fmt not in ENDS_ITS_LINES or not rendered)


def filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """--section, --speaker, --since and --until, shared by query and timeline."""
    for option in reversed([
        click.option("--section", help="Only paragraphs of this section (case-insensitive)."),
        click.option("--speaker", help="Only paragraphs where this person is quoted ('Camara', 'Sadio Camara')."),
        click.option("--since", help="Only articles dated on or after this (2025-08, 'Aug 1 2025', 15/08/2025)."),
        click.option("--until", help="Only articles dated on or before this (a month means its last day)."),
    ]):
        command = option(command)
    return command


@main.command("query")
@click.argument("text")
@index_option
@click.option("-n", "--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT, show_default=True,
              help="Number of hits to show (per page).")
@click.option("--page", type=int, default=1, show_default=True, help="Which page of --limit hits to show.")
@click.option("--sort", default="relevance", show_default=True, metavar="|".join(SORTS),
              help="Best first, or by date: newest or oldest first (undated last).")
@click.option("--per-article", is_flag=True,
              help="One hit per article: its best paragraph, and how many more of its paragraphs match.")
@filter_options
@click.option("--facets", is_flag=True, help="Count all matches by section, speaker and month.")
@click.option("--facet-limit", type=int, default=DEFAULT_FACET_LIMIT, show_default=True,
              help="Values shown per facet.")
@click.option("--context", type=int, default=0, metavar="N", help="Show N paragraphs before and after each hit.")
@click.option("--suggest/--no-suggest", default=True, show_default=True,
              help="Suggest a corrected query when a word is not in the index.")
@click.option("--correct", is_flag=True, help="When a word is not in the index, run the corrected query instead.")
@format_option(SearchResults)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@reports_errors
def query_command(text: str, index_dir: str | None, limit: int, page: int, sort: str, per_article: bool,
                  section: str | None, speaker: str | None, since: str | None, until: str | None, facets: bool,
                  facet_limit: int, context: int, suggest: bool, correct: bool, fmt: str | None,
                  as_json: bool) -> None:
    """Search the index and print the best-matching paragraphs, matches highlighted.

    \b
    TEXT uses whoosh query syntax:
      Belousov cooperation          both words (stemmed: cooperate matches too)
      "joint statement"             a phrase
      Mali OR Niger, NOT Russia     boolean operators (upper case)
      Sahel -Russia                 without Russia (a query starting with -: use -- TEXT)
      speaker:Camara                who is quoted; speaker:"Sadio Camara"
      section:africa  title:Mali    other fields
      date:2025-08  date:[2025-08-01 to 2025-08-31]  date:>2025-01-01  date:[2025 to now]
      Belosov~  Belosov~2  coop*    fuzzy (one or two edits) and prefix terms

    \b
    Explore the matches:
      --sort newest --page 2        by date, second page
      --per-article --facets        one hit per article; counts by section, speaker, month
      --context 1 --format csv      a paragraph either side; export for a spreadsheet

    At most 1,000 characters and 20 nested parentheses; --context up to 100.
    Exit codes: 0 hits found, 1 no hits, 2 bad query or option, 3 no index, 130 Ctrl-C.
    """
    fmt = output_format(fmt, as_json, SearchResults)
    with NewsIndex.open(index_dir or default_index_dir()) as index:
        request = SearchRequest.build(text, limit=limit, section=section, speaker=speaker, since=since, until=until,
                                      page=page, sort=sort, per_article=per_article, facets=facets,
                                      facet_limit=facet_limit, suggest=suggest, correct=correct, context=context)
        results = index.search(request)
    if fmt != "text" or results.total:
        emit(results, fmt)
    if not results.total:
        if fmt == "text":
            click.echo(f"newssearch: {render_no_matches(results)}", err=True)
        sys.exit(EXIT_NO_MATCHES)


@main.command("show")
@click.argument("id")
@index_option
@click.option("--query", help="Highlight what this query matches in the article.")
@format_option(ArticleView)
@reports_errors
def show_command(id: str, index_dir: str | None, query: str | None, fmt: str | None) -> None:
    """Print the whole article of paragraph ID, that paragraph marked.

    ID is as a hit shows it ('article#3'). Paragraphs are numbered and crossheads shown.
    ID may also be an article id: the article is shown with nothing marked. An unknown id
    exits with code 2.
    """
    fmt = output_format(fmt, False, ArticleView)
    with NewsIndex.open(index_dir or default_index_dir()) as index:
        emit(show_article(index, id, query=query), fmt)


@main.command("similar")
@click.argument("id")
@index_option
@click.option("-n", "--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT, show_default=True,
              help="Number of paragraphs to show.")
@click.option("--other-articles", is_flag=True, help="Leave out the paragraph's own article.")
@format_option(SimilarResults)
@reports_errors
def similar_command(id: str, index_dir: str | None, limit: int, other_articles: bool, fmt: str | None) -> None:
    """List the paragraphs most like paragraph ID (never ID itself).

    They are found by ID's most distinctive terms, printed with the results.

    Exit codes: 0 similar paragraphs found, 1 none, 2 unknown id, 3 no index.
    """
    fmt = output_format(fmt, False, SimilarResults)
    with NewsIndex.open(index_dir or default_index_dir()) as index:
        results = similar(index, id, limit=limit, other_articles=other_articles)
    if fmt != "text" or results.hits:
        emit(results, fmt)
    else:
        click.echo(f"newssearch: no paragraph is like {escape_controls(id)}", err=True)
    if not results.hits:
        sys.exit(EXIT_NO_MATCHES)


@main.command("timeline")
@click.argument("text")
@index_option
@click.option("--by", default="month", show_default=True, metavar="|".join(PERIODS), help="Length of a period.")
@click.option("--articles", is_flag=True, help="Count matching articles rather than paragraphs.")
@filter_options
@format_option(Timeline)
@reports_errors
def timeline_command(text: str, index_dir: str | None, by: str, articles: bool, section: str | None,
                     speaker: str | None, since: str | None, until: str | None, fmt: str | None) -> None:
    """Chart the paragraphs (or articles) matching TEXT per day, week, month or year.

    TEXT is a query as for `newssearch query`. Periods run from the first to the last dated
    match; empty ones show as zero. JSON, JSON Lines and CSV give one row per period.
    Exit codes: 0 matches found, 1 none, 2 bad query or option, 3 no index.
    """
    fmt = output_format(fmt, False, Timeline)
    with NewsIndex.open(index_dir or default_index_dir()) as index:
        result = timeline(index, text, by=by.lower(), articles=articles, section=section, speaker=speaker,
                          since=since, until=until)
    if fmt != "text" or result.total:
        emit(result, fmt)
    else:
        click.echo(f"newssearch: no paragraph matches {quoted(text)}", err=True)
    if not result.total:
        sys.exit(EXIT_NO_MATCHES)


@main.command("stats")
@index_option
@click.option("--top", type=click.IntRange(min=1), default=DEFAULT_FACET_LIMIT, show_default=True,
              help="Number of top speakers to list.")
@format_option(IndexStats)
@reports_errors
def stats_command(index_dir: str | None, top: int, fmt: str | None) -> None:
    """Summarise the index: counts, dates, sections, top speakers, size.

    Articles, paragraphs and files; the date range; every section with its articles and
    paragraphs; the top speakers; the size on disk and when it was last indexed.
    """
    fmt = output_format(fmt, False, IndexStats)
    with NewsIndex.open(index_dir or default_index_dir()) as index:
        emit(index_stats(index, top_speakers=top), fmt)


@main.command("check")
@index_option
@click.option("--repair", is_flag=True,
              help="Re-index the files whose paragraphs are affected (from their source files).")
@click.option("--wait", type=click.FloatRange(min=0), default=0, metavar="SECONDS",
              help="With --repair: if an indexer holds the index, wait this long for it.")
@format_option(CheckReport)
@reports_errors
def check_command(index_dir: str | None, repair: bool, wait: float, fmt: str | None) -> None:
    """Verify the index: every segment file against the checksum its commit recorded, and the
    paragraphs of each source file against the manifest.

    With --repair, damaged segments are dropped and exactly the files whose paragraphs they
    held (or whose counts disagree) are read again from their sources; a missing source is
    reported. Exit codes: 0 the index is sound (or was repaired), 3 damage found (or left).
    """
    from newssearch.backends.whoosh.integrity import verify  # noqa: PLC0415

    fmt = output_format(fmt, False, CheckReport)
    location = Path(index_dir or default_index_dir())
    if not location.is_dir():
        raise IndexNotFoundError(f"no index at {location}/ — run `newssearch index` first (or pass --index)")
    if repair:
        from newssearch.backends.whoosh.repair import repair as repair_index  # noqa: PLC0415

        repaired = repair_index(location, wait)
        after = verify(location)
        if fmt == "json":
            click.echo(to_json({**repaired.to_dict(), "after": after.to_dict()}))
        else:
            click.echo(render_repair(repaired, after))
        sys.exit(0 if after.ok and not repaired.missing else EXIT_NO_INDEX)
    report = verify(location)
    emit(report, fmt)
    if not report.ok:
        sys.exit(EXIT_NO_INDEX)


@main.command("speakers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per paragraph.")
@reports_errors
def speakers_command(file: str, as_json: bool) -> None:
    """Show who is quoted in each paragraph of an article FILE (no index needed)."""
    from newssearch.ingest.pipeline import prepare_paragraphs  # noqa: PLC0415  (not loaded for queries)

    read = read_file(Path(file))
    for problem in read.problems:
        click.echo(f"newssearch: {escape_controls(str(problem))}", err=True)
    if not read.articles:
        sys.exit(EXIT_ERROR)
    for article in read.articles:
        prepared = prepare_paragraphs(article)
        paragraphs, names = [p for p, _ in prepared], [speakers for _, speakers in prepared]
        if not as_json:
            click.echo(f"{escape_controls(article.title)}")
        who = [escape_controls(", ".join(speakers)) if speakers else "—" for speakers in names]
        width = max((len(w) for w in who), default=0)
        for paragraph, speakers, label in zip(paragraphs, names, who):
            if as_json:
                click.echo(json.dumps({"article": article.id, "paragraph": paragraph.number,
                                       "speakers": list(speakers), "text": paragraph.text}, ensure_ascii=False))
            else:
                click.echo(f"  ¶{paragraph.number:<3} {label:<{width}}  {escape_controls(_shorten(paragraph.text, 60))}")


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
