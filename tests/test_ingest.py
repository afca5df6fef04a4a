"""Ingest: every input format, dedup ids, and one clear error per bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.ingest import article_id, read_paths
from sitrep.records import Article

BODY = "Soldiers clashed with armed men near the town of Kidal on Monday, the army said."
HTML = f"""<!doctype html><html><head><title>Clashes near Kidal</title>
<meta property="article:published_time" content="2024-05-03T10:00:00Z">
<meta property="og:site_name" content="Example Wire"></head>
<body><nav>Home | World</nav><article><h1>Clashes near Kidal</h1>
<p>{BODY}</p><p>Residents said the fighting lasted several hours before the armed men withdrew
towards the desert, and that shops in the town stayed closed the next day.</p></article>
<footer>Copyright</footer></body></html>"""
RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<item><title>Clashes near Kidal</title><link>http://example.org/a</link><guid>wire-1</guid>
<pubDate>Fri, 03 May 2024 10:00:00 GMT</pubDate><description>{BODY}</description></item>
<item><title>Protest in Bamako</title><guid>wire-2</guid><pubDate>Sat, 04 May 2024 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Hundreds of people protested in Bamako on Saturday.&lt;/p&gt;</description></item>
</channel></rss>"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Wire</title><entry><title>Clashes</title><id>urn:a:1</id>
<updated>2024-05-03T10:00:00Z</updated><summary>{BODY}</summary></entry></feed>"""


def read_all(*paths: Path, published: date | None = None) -> tuple[list[Article], list[InputError]]:
    items = list(read_paths(paths, published=published))
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)])


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_ingest_corpus_format_reads_date_title_and_body(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", f" date 2024-05-03 Clashes near Kidal\n\n{BODY}\n")
    [article], errors = read_all(path)
    assert not errors
    assert article.published == date(2024, 5, 3)
    assert article.title == "Clashes near Kidal"
    assert article.text == BODY
    assert article.id == article_id(BODY)


def test_ingest_seed_article(seed_path: Path) -> None:
    [article], errors = read_all(seed_path)
    assert not errors and article.published == date(2026, 2, 12)
    assert article.text.startswith("Syrian forces have taken control")


def test_ingest_plain_text_needs_published(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.txt", BODY)
    articles, errors = read_all(path)
    assert not articles and "pass --published" in str(errors[0]) and str(path) in str(errors[0])
    [article], _ = read_all(path, published=date(2024, 5, 3))
    assert article.published == date(2024, 5, 3)


def test_ingest_html_extracts_main_text_and_date(tmp_path: Path) -> None:
    [article], errors = read_all(write(tmp_path, "page.html", HTML))
    assert not errors
    assert BODY in article.text and "Copyright" not in article.text and "Home |" not in article.text
    assert article.published == date(2024, 5, 3)
    assert article.title == "Clashes near Kidal"


@pytest.mark.parametrize("name,content,count", [("feed.rss", RSS, 2), ("feed.atom", ATOM, 1)])
def test_ingest_feeds_one_article_per_item(tmp_path: Path, name: str, content: str, count: int) -> None:
    articles, errors = read_all(write(tmp_path, name, content))
    assert not errors and len(articles) == count
    assert articles[0].published == date(2024, 5, 3)
    assert "<p>" not in articles[-1].text


def test_ingest_rss_keeps_item_ids(tmp_path: Path) -> None:
    articles, _ = read_all(write(tmp_path, "feed.xml", RSS))
    assert [a.id for a in articles] == ["wire-1", "wire-2"]
    assert articles[0].outlet == "Example Wire"


def test_ingest_jsonl_uses_given_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "x1", "published": "2024-05-03", "text": BODY}),
             "{not json",
             json.dumps({"published": "2024-05-04", "text": "Hundreds protested in Bamako."}),
             json.dumps({"id": "x3", "text": "No date here."})]
    articles, errors = read_all(write(tmp_path, "a.jsonl", "\n".join(lines)))
    assert [a.id for a in articles] == ["x1", article_id("Hundreds protested in Bamako.")]
    assert [e.line for e in errors] == [2, 4]
    assert "a.jsonl:2: not JSON" in str(errors[0])


def test_ingest_folder_reads_every_known_file_in_order(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", f"date 2024-05-03 B\n\n{BODY}")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "c.jsonl", json.dumps({"id": "c", "published": "2024-05-03", "text": "Text c."}))
    write(tmp_path, "notes.md", "not an article")
    write(tmp_path, ".hidden.txt", "date 2024-05-03 H\n\nHidden.")
    articles, errors = read_all(tmp_path)
    assert not errors and [a.title or a.id for a in articles] == ["B", "c"]


def test_ingest_same_text_gives_same_id_whatever_spacing() -> None:
    assert article_id("Troops  clashed\n in Goma.") == article_id("Troops clashed in Goma. ")
    assert article_id("Troops clashed in Goma.") != article_id("Troops clashed in Bukavu.")


BAD_INPUTS = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("latin1.txt", "date 2024-05-03 Caf\u00e9\n\nLe caf\u00e9 a \u00e9t\u00e9 attaqu\u00e9.".encode("latin-1"), "not UTF-8"),
    ("baddate.txt", b"date 2024-13-45 Headline\n\nBody text.", "is not a date"),
    ("notadate.txt", b"date yesterday Headline\n\nBody text.", "is not a date"),
    ("broken.html", b"<html><body><div><p", "no article text"),
    ("empty.rss", b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>', "feed has no items"),
    ("garbage.xml", b"this is not xml at all", "feed has no items"),
    ("empty.jsonl", b"\n\n", "empty file"),
    ("nodate.txt", b"Just some words with no date line.", "no publication date"),
]


@pytest.mark.parametrize("name,content,message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_ingest_bad_input_gives_one_line_error_naming_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = write(tmp_path, name, content)
    articles, errors = read_all(path)
    assert not articles and len(errors) == 1
    text = str(errors[0])
    assert message in text and str(path) in text and "\n" not in text


def test_ingest_huge_file_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    _, [error] = read_all(path)
    assert "file too large (52.4 MB" in str(error)


def test_ingest_missing_path_and_unknown_type(tmp_path: Path) -> None:
    odd = write(tmp_path, "data.docx", b"PK")
    _, errors = read_all(tmp_path / "nope.txt", odd)
    assert "no such file" in str(errors[0]) and "unknown file type '.docx'" in str(errors[1])


def test_ingest_bad_file_does_not_stop_batch(tmp_path: Path) -> None:
    write(tmp_path, "1.txt", b"")
    write(tmp_path, "2.txt", f"date 2024-05-03 Ok\n\n{BODY}".encode())
    articles, errors = read_all(tmp_path)
    assert len(articles) == 1 and len(errors) == 1


def test_ingest_feed_html_becomes_paragraphs_with_references_decoded(tmp_path: Path) -> None:
    body = ("&lt;p&gt;Rebels&amp;#8217; attack on the depot killed 3 guards &amp;amp; wounded 5."
            "&lt;/p&gt;&lt;p&gt;The army blamed &amp;quot;bandits&amp;quot;.&lt;/p&gt;")
    feed = RSS.replace("&lt;p&gt;Hundreds of people protested in Bamako on Saturday.&lt;/p&gt;", body)
    articles, errors = read_all(write(tmp_path, "feed.rss", feed))
    assert not errors
    assert articles[-1].text == ("Rebels\u2019 attack on the depot killed 3 guards & wounded 5.\n\n"
                                 'The army blamed "bandits".')


def test_ingest_decodes_character_references_in_plain_text_but_not_ampersands(tmp_path: Path) -> None:
    text = "date 2024-05-03 Strike\nWorkers at AT&T and R&D staff joined the &#8220;general strike&#8221;."
    articles, errors = read_all(write(tmp_path, "a.txt", text))
    assert not errors
    assert articles[0].text == "Workers at AT&T and R&D staff joined the \u201cgeneral strike\u201d."
