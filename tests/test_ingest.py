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


# --- records that would break the store, the model or date arithmetic (issue 19) ---

GOOD_LINE = json.dumps({"id": "good", "published": "2024-05-03", "text": BODY})
DEEP = "[" * 100_000 + "]" * 100_000
BAD_RECORDS = [
    ("nested", DEEP, "nested too deeply"),
    ("title-list", json.dumps({"published": "2024-05-03", "text": "A.", "title": [1]}),
     "'title' must be a string or null, not a list"),
    ("url-number", json.dumps({"published": "2024-05-03", "text": "A.", "url": 5}),
     "'url' must be a string or null, not a number"),
    ("outlet-object", json.dumps({"published": "2024-05-03", "text": "A.", "outlet": {}}),
     "'outlet' must be a string or null, not an object"),
    ("id-list", json.dumps({"id": ["a"], "published": "2024-05-03", "text": "A."}),
     "'id' must be a string, not a list"),
    ("id-bool", json.dumps({"id": True, "published": "2024-05-03", "text": "A."}),
     "'id' must be a string, not true/false"),
    ("text-number", json.dumps({"published": "2024-05-03", "text": 12}),
     "'text' must be a string, not a number"),
    ("text-missing", json.dumps({"published": "2024-05-03", "body": "A."}), "no 'text' field"),
    ("not-object", json.dumps(["A."]), "expected a JSON object"),
    ("id-surrogate", '{"id": "\\ud800x", "published": "2024-05-03", "text": "A."}',
     "'id' holds a lone surrogate (U+D800) at position 0"),
    ("text-surrogate", '{"published": "2024-05-03", "text": "Attack \\udfff."}',
     "'text' holds a lone surrogate (U+DFFF) at position 7"),
    ("text-nul", '{"published": "2024-05-03", "text": "' + "x" * 9000 + '\\u0000."}',
     "'text' holds a NUL character at position 9000"),
    ("title-nul", '{"published": "2024-05-03", "text": "A.", "title": "a\\u0000"}',
     "'title' holds a NUL character"),
    ("id-long", json.dumps({"id": "x" * 129, "published": "2024-05-03", "text": "A."}),
     "the id is 129 characters long; the limit is 128"),
    ("date-0001", json.dumps({"published": "0001-01-01", "text": "A."}),
     "the date 0001-01-01 is before 1800-01-01"),
    ("date-future", json.dumps({"published": "2999-01-01", "text": "A."}),
     "the date 2999-01-01 is in the future"),
    ("date-number", json.dumps({"published": 20240503, "text": "A."}),
     "'published' must be a date string (YYYY-MM-DD), not a number"),
    ("date-junk", json.dumps({"published": "2024-05-03junk", "text": "A."}),
     "'2024-05-03junk' is not a date"),
    ("text-too-long", json.dumps({"published": "2024-05-03", "text": "word " * 240_000}),
     "the text is 1,199,999 characters long; the limit is 1,000,000"),
    ("text-blank", json.dumps({"published": "2024-05-03", "text": " \n "}), "no article text"),
]


@pytest.mark.parametrize("line,message", [b[1:] for b in BAD_RECORDS], ids=[b[0] for b in BAD_RECORDS])
def test_ingest_bad_record_is_one_error_and_the_next_line_is_read(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, "a.jsonl", f"{line}\n{GOOD_LINE}\n")
    articles, [error] = read_all(path)
    assert [a.id for a in articles] == ["good"]
    assert error.line == 1 and message in str(error), str(error)
    assert str(error).startswith(f"{path}:1: ") and "\n" not in str(error)


def test_ingest_accepts_numbered_ids_and_timestamps(tmp_path: Path) -> None:
    line = json.dumps({"id": 7, "published": "2024-05-03T23:30:00-05:00", "text": BODY, "title": " "})
    [article], errors = read_all(write(tmp_path, "a.jsonl", line))
    assert not errors
    assert (article.id, article.published, article.title) == ("7", date(2024, 5, 3), None)


def test_ingest_text_at_the_limit_is_kept_and_fits_the_language_model(tmp_path: Path) -> None:
    from sitrep.ingest import MAX_TEXT_CHARS
    from sitrep.nlp import get_nlp

    assert MAX_TEXT_CHARS <= get_nlp().max_length
    text = ("word " * (MAX_TEXT_CHARS // 5))[:MAX_TEXT_CHARS - 1] + "."
    [article], errors = read_all(write(tmp_path, "a.jsonl", json.dumps({"published": "2024-05-03", "text": text})))
    assert not errors and len(article.text) == MAX_TEXT_CHARS


@pytest.mark.parametrize("name,content", [
    ("late-nul.txt", b"date 2024-05-03 H\n\n" + b"word " * 3000 + b"\x00 end."),
    ("late-nul.html", HTML.replace("</footer>", "</footer>" + " " * 9000 + "\x00").encode()),
])
def test_ingest_nul_byte_past_the_first_8k_is_an_error(tmp_path: Path, name: str, content: bytes) -> None:
    _, [error] = read_all(write(tmp_path, name, content))
    assert "NUL" in str(error) and name in str(error)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_ingest_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    text = f"{bom}date 2024-05-03 Caf\u00e9\n\nLe caf\u00e9 a \u00e9t\u00e9 attaqu\u00e9."
    lines = f"{bom}{GOOD_LINE}\r\n" + json.dumps({"id": "b", "published": "2024-05-04", "text": "\u00c9t\u00e9."}) + "\n"
    articles, errors = read_all(write(tmp_path, "a.txt", text.encode(encoding)),
                                write(tmp_path, "b.jsonl", lines.encode(encoding)))
    assert not errors
    assert [a.text for a in articles] == ["Le caf\u00e9 a \u00e9t\u00e9 attaqu\u00e9.", BODY, "\u00c9t\u00e9."]


def test_ingest_utf16_without_a_byte_order_mark_says_what_to_do(tmp_path: Path) -> None:
    _, [error] = read_all(write(tmp_path, "a.txt", "date 2024-05-03 H\n\nText.".encode("utf-16-le")))
    assert "binary file" in str(error) and "byte-order mark" in str(error)


def test_ingest_binary_jsonl_is_one_error(tmp_path: Path) -> None:
    blob = bytes(range(256)) * 400
    articles, errors = read_all(write(tmp_path, "blob.jsonl", blob))
    assert not articles and len(errors) == 1 and "binary file" in str(errors[0])


def test_ingest_jsonl_gives_up_after_ten_bad_lines(tmp_path: Path) -> None:
    from sitrep.ingest import MAX_BAD_LINES

    lines = [GOOD_LINE] + ["a,b,c"] * 30 + [json.dumps({"id": "late", "published": "2024-05-03", "text": "T."})]
    articles, errors = read_all(write(tmp_path, "table.jsonl", "\n".join(lines)))
    assert [a.id for a in articles] == ["good"]
    assert len(errors) == MAX_BAD_LINES + 1 == 11
    assert [e.line for e in errors[:-1]] == list(range(2, 12))
    assert "10 bad lines, the last at line 11; the rest of the file is not read" in str(errors[-1])


def test_ingest_jsonl_in_latin1_is_one_error_at_its_first_bad_line(tmp_path: Path) -> None:
    lines = [GOOD_LINE] + [json.dumps({"published": "2024-05-03", "text": f"Caf\u00e9 {i}."}, ensure_ascii=False)
                           for i in range(50)]
    articles, errors = read_all(write(tmp_path, "a.jsonl", "\n".join(lines).encode("latin-1")))
    assert [a.id for a in articles] == ["good"] and len(errors) == 1
    assert "a.jsonl:2: not UTF-8 (byte 0xe9" in str(errors[0])


@pytest.mark.parametrize("line,message", [
    ('{"text": "unterminated', "not JSON: unterminated string starting at column 10"),
    ("{not json", "not JSON: expecting property name enclosed in double quotes at column 2"),
    ('{"text": "a"} tail', "not JSON: extra data at column 15"),
    ('{"text": "a\tb"}', "not JSON: invalid control character at column 12"),
    ("", None),
])
def test_ingest_json_errors_are_whole_sentences(tmp_path: Path, line: str, message: str | None) -> None:
    articles, errors = read_all(write(tmp_path, "a.jsonl", f"{line}\n{GOOD_LINE}"))
    assert len(articles) == 1
    assert [str(e).split(":1: ", 1)[1] for e in errors] == ([message] if message else [])


PAGE_BODY = """<body><article><h1>Fighting near Goma</h1><p>Fighting broke out near Goma in 2019 and
residents fled, the army said in a statement that was widely shared on Tuesday.</p><p>Since 2019
the town has changed hands twice, and many residents have not returned home yet.</p></article></body>"""


@pytest.mark.parametrize("head,expected", [
    ("", None),  # the body's "2019" is no publication date
    ('<meta name="date" content="2024-05">', None),  # a month alone: no day to date events by
    ('<meta property="article:published_time" content="2024-05-03T10:00:00Z">', date(2024, 5, 3)),
    ('<meta name="date" content="Fri, 03 May 2024 10:00:00 GMT">', date(2024, 5, 3)),
    ('<meta name="date" content="0001-01-01">', None),
])
def test_ingest_html_date_comes_from_metadata_with_its_day(tmp_path: Path, head: str, expected: date | None) -> None:
    path = write(tmp_path, "page.html", f"<html><head><title>Goma</title>{head}</head>{PAGE_BODY}</html>")
    articles, errors = read_all(path)
    if expected is None:
        assert not articles and "no publication date in the page's metadata" in str(errors[0])
        [article], _ = read_all(path, published=date(2024, 6, 1))
        assert article.published == date(2024, 6, 1)
    else:
        assert not errors and articles[0].published == expected


def test_ingest_html_in_utf16_is_read(tmp_path: Path) -> None:
    [article], errors = read_all(write(tmp_path, "page.html", ("\ufeff" + HTML).encode("utf-16-le")))
    assert not errors and BODY in article.text


def test_ingest_feed_item_with_an_impossible_date_is_an_error(tmp_path: Path) -> None:
    feed = RSS.replace("Sat, 04 May 2024 09:00:00 GMT", "Mon, 01 Jan 1700 00:00:00 GMT")
    articles, errors = read_all(write(tmp_path, "feed.rss", feed))
    assert [a.id for a in articles] == ["wire-1"]
    assert "feed.rss#item2: the date 1700-01-01 is before 1800-01-01" in str(errors[0])


def test_ingest_folder_reports_what_it_skips_and_what_it_cannot_follow(tmp_path: Path) -> None:
    import os

    from sitrep.ingest import Skipped

    write(tmp_path, "a.txt", f"date 2024-05-03 A\n\n{BODY}")
    write(tmp_path, "notes.md", "not an article")
    write(tmp_path, ".hidden.txt", "date 2024-05-03 H\n\nHidden.")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "b.txt", "date 2024-05-04 B\n\nHundreds protested in Bamako.")
    (tmp_path / "sub" / "up").symlink_to(tmp_path)                  # a loop through a folder
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")      # a link to itself
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")   # a broken link
    (tmp_path / "z-link").symlink_to(tmp_path / "sub")             # the same folder twice
    os.mkfifo(tmp_path / "pipe.txt")                                # never opened: it would block
    items = list(read_paths([tmp_path]))
    articles = [i.title for i in items if isinstance(i, Article)]
    errors = sorted(str(i).replace(str(tmp_path), "T") for i in items if isinstance(i, InputError))
    skipped = sorted(str(i).replace(str(tmp_path), "T") for i in items if isinstance(i, Skipped))
    assert articles == ["A", "B"]
    assert errors == ["T/gone.txt: broken symbolic link (its target does not exist)",
                      "T/self.txt: symbolic link loop (the link leads back to itself); not read"]
    assert skipped[-1] == "T/z-link: the same folder as T/sub, read already"
    assert skipped[0].startswith("T/notes.md: not an article file (type '.md'); sitrep reads .atom")
    assert skipped[1:3] == ["T/pipe.txt: not a regular file (a device, pipe or socket); not read",
                           "T/sub/up: a link back to T (a loop); not followed"]


def test_ingest_named_symlink_loop_is_one_error(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    _, [error] = read_all(loop)
    assert str(error) == f"{loop}: symbolic link loop (the link leads back to itself); not read"


def test_ingest_file_name_that_is_not_utf8_is_stored_escaped(tmp_path: Path) -> None:
    import os

    name = os.fsdecode(b"caf\xe9.txt")
    write(tmp_path, name, f"date 2024-05-03 A\n\n{BODY}")
    [article], errors = read_all(tmp_path)
    assert not errors and article.source == str(tmp_path / "caf\\xe9.txt")


def test_ingest_jsonl_line_over_the_size_limit_stops_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.ingest import formats

    monkeypatch.setattr(formats, "MAX_BYTES", 1000)
    path = write(tmp_path, "a.jsonl", GOOD_LINE + "\n" + "x" * 5000 + "\n" + GOOD_LINE)
    articles, [error] = read_all(path)
    assert len(articles) == 1
    assert str(error) == (f"{path}:2: the line is longer than 1,000 bytes (set SITREP_MAX_BYTES "
                          "to change it); the rest of the file is not read")
