"""The HTML report and its alignment map, read as a parser reads them (no browser: tests/test_html_browser.py)."""

import copy
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from aligner.render.html import map_svg, render_html
from aligner.result import from_dict
from aligner.summary import summarise
from tests.conftest import FIXTURE, ROOT

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
HOSTILE = "<script>alert(1)</script></style>\"' javascript:alert(2) <img src=x onerror=alert(3)>"
VOID = {"meta", "br", "img", "link", "input", "hr", "source", "area", "base", "col", "embed", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class Tree(HTMLParser):
    """The page as a tree of :class:`Node` (html.parser's own reading, as a browser would tokenise it)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#document", {})
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Node(tag, attrs, self.node))

    def handle_endtag(self, tag):
        node = self.node
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)

    def all(self, tag=None, **attrs):
        return [n for n in self.root.iter() if (tag is None or n.tag == tag) and all(n.attrs.get(k) == v for k, v in attrs.items())]

    def by_id(self, id_):
        (node,) = self.all(id=id_)
        return node


def marked(sentence: Node, cls: str) -> list[str]:
    """The texts a mark covers in a sentence, joined across the pieces it was cut into."""
    out, open_ = [], False
    for part in (c for n in sentence.iter() if n.classes() & {"en", "src"} for c in n.children):
        on = isinstance(part, Node) and cls in part.classes()
        if on:
            out[-1:] = [out[-1] + part.text()] if open_ else out[-1:] + [part.text()]
        open_ = on
    return out


def example() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def page(data: dict, **kw) -> str:
    return render_html(summarise(from_dict(copy.deepcopy(data))), **kw)


@pytest.fixture(scope="module")
def example_page():
    return page(example())


def test_the_page_is_self_contained(example_page):
    tree = Tree(example_page)
    (csp,) = tree.all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert csp.attrs["content"] == CSP
    assert tree.all("link") == [] and tree.all("img") == [] and tree.all("iframe") == []
    for node in tree.root.iter():
        for name in ("src", "href", "xlink:href", "action"):
            value = node.attrs.get(name)
            if value is not None:
                assert value.startswith("#"), (node.tag, name, value)
    assert "http://" not in example_page and "https://" not in example_page
    assert all(not s.attrs.get("src") for s in tree.all("script"))


def test_one_map_line_per_link_and_it_names_its_fact(example_page):
    tree = Tree(example_page)
    lines = [n for n in tree.root.iter() if "data-link" in n.attrs]
    assert [n.attrs["data-link"] for n in lines] == ["0", "1"]
    # link 0 is the partial frustration fact (second by score), link 1 the warheads fact (first)
    assert [n.attrs["data-target"] for n in lines] == ["fact-1", "fact-0"]
    assert [n.attrs["data-ends"] for n in lines] == ["a0-s5 a1-s1", "a0-s8 a1-s2"]
    assert [n.classes() for n in lines] == [{"link", "k-partial"}, {"link", "k-discrepancy"}]
    assert [n.attrs["aria-label"] for n in lines] == [
        "Link 1: [1] #6 and [2] #2, partial, score 0.76",
        "Link 2: [1] #9 and [2] #3, discrepancy, score 2.89",
    ]
    assert all(n.attrs["tabindex"] == "0" for n in lines)
    assert [n.tag for n in tree.all(id="fact-0") + tree.all(id="fact-1")] == ["tr", "tr"]
    assert [n.text() for n in tree.all("title")][1] == "Alignment map"


def test_sentences_name_their_partners_and_the_matched_part(example_page):
    tree = Tree(example_page)
    sentences = {n.attrs["id"]: n for n in tree.all("p") if n.attrs.get("id", "").startswith("a")}
    assert len(sentences) == 15 + 9
    partners = {k: n.attrs["data-partners"] for k, n in sentences.items() if "data-partners" in n.attrs}
    assert partners == {"a0-s5": "a1-s1", "a0-s8": "a1-s2", "a1-s1": "a0-s5", "a1-s2": "a0-s8"}
    assert all(n.attrs["tabindex"] == "0" for n in sentences.values())
    # a part is cut into pieces where evidence marks start or end; each piece names the partner
    english = {(a, s["index"]): s["english"] for a, art in enumerate(example()["articles"]) for s in art["sentences"]}
    assert marked(sentences["a0-s5"], "part") == [english[(0, 5)][87:190]]
    assert marked(sentences["a1-s1"], "part") == ["Since then, US officials have expressed frustration"]
    assert {p.attrs["data-for"] for p in sentences["a0-s5"].iter() if "part" in p.classes()} == {"a1-s1"}
    assert {p.attrs["data-for"] for p in sentences["a1-s1"].iter() if "part" in p.classes()} == {"a0-s5"}
    assert marked(sentences["a0-s8"], "part") == marked(sentences["a1-s2"], "part") == []
    # evidence marked as in the viewer: shared numbers, glossary terms, shared words
    assert {c: marked(sentences["a1-s2"], c) for c in ("num", "term", "word")} == {
        "num": ["500", "1,000", "2030"],
        "term": ["Pentagon", "nuclear warheads", "nuclear warheads"],
        "word": ["operational", "nuclear", "warheads", "probably", "nuclear", "warheads"],
    }


def test_sections_in_order_discrepancies_first_provenance_last(example_page):
    tree = Tree(example_page)
    assert [n.text() for n in tree.all("h2")] == [
        "Where the articles disagree (1)",
        "Alignment map",
        "Shared facts (2)",
        "Articles side by side",
        "Reported by one article only (20)",
        "Central sentences of each article",
        "Provenance",
    ]
    conflicts = tree.by_id("conflicts")
    assert [n.text() for n in conflicts.iter() if "values" in n.classes()] == ["about 500", "more than 500"]
    assert [n.text() for n in conflicts.iter() if "kind" in n.classes()] == ["quantity (soft)"]
    assert [a.attrs["href"] for a in conflicts.iter() if a.tag == "a" and a.text() == "see the fact"] == ["#fact-0"]
    # the disputed values are marked in the sentences themselves
    assert [t for n in conflicts.iter() if "sent" in n.classes() for t in marked(n, "diff")] == [
        "about 500", "more than 500"]
    assert [n.attrs.get("scope") for n in tree.all("th")] and all(n.attrs.get("scope") in ("col", "row") for n in tree.all("th"))
    assert "aligner 0.1.0, segmentation rules 3, translator auto" in tree.by_id("provenance").text()
    assert [n.text() for n in tree.by_id("provenance").iter() if n.tag == "h3"] == ["Signature"]
    assert '"threshold": 0.7' in tree.all("pre")[0].text()


@pytest.mark.parametrize("where", ["english", "text", "path", "lang"])
def test_hostile_text_is_shown_never_run(where):
    data = example()
    sentence = data["articles"][1]["sentences"][2]  # linked: it shows in the map, facts, discrepancies, columns
    if where in ("english", "text"):
        sentence[where] = HOSTILE
    else:
        data["articles"][1][where] = HOSTILE
    html = page(data, show_source=True)
    tree = Tree(html)
    scripts = tree.all("script")
    assert len(scripts) == 1 and "alert" not in scripts[0].text()
    assert tree.all("img") == []
    assert len(tree.all("style")) == 2  # the page's and the map's
    for node in tree.root.iter():
        for name, value in node.attrs.items():
            assert not name.startswith("on"), (node.tag, name)
            assert "javascript:" not in (value or "").lower(), (node.tag, name, value)
    texts = [n.text() for n in tree.root.iter() if n.tag in ("p", "td", "code", "span", "title", "th", "li")]
    assert any(HOSTILE in t for t in texts)
    svg = map_svg(summarise(from_dict(data)))
    root = ET.fromstring(svg.split("?>", 1)[1])  # well-formed XML; the hostile text is text
    assert all(el.tag.rsplit("}", 1)[-1] != "script" for el in root.iter())


def test_a_sentence_without_english_shows_its_source_marked_as_source():
    data = example()
    data["articles"][1]["sentences"][2]["english"] = None
    data["articles"][1]["sentences"][2]["english_source"] = "none"
    source = data["articles"][1]["sentences"][2]["text"]
    tree = Tree(page(data))
    sentence = tree.by_id("a1-s2")
    (src,) = [n for n in sentence.iter() if "src" in n.classes()]
    assert src.attrs["lang"] == "id"
    assert src.text() == f"id source {source}"
    assert [n.text() for n in sentence.iter() if "noen" in n.classes()] == ["(no English)"]
    assert marked(sentence, "num") == ["500", "1.000", "2030"]  # the shared numbers, as the source writes them
    # with English, the source shows only when asked for
    assert [n for n in Tree(page(example())).by_id("a1-s2").iter() if "src" in n.classes()] == []
    assert len([n for n in Tree(page(example(), show_source=True)).by_id("a1-s2").iter() if "src" in n.classes()]) == 1


def test_a_part_matched_in_the_source_is_marked_in_the_source():
    data = example()
    for article in data["articles"]:
        for sentence in article["sentences"]:
            sentence["english"], sentence["english_source"] = None, "none"
    link = data["links"][0]  # [1] #6 partial [2] #2
    link["evidence"]["parts_in"] = "source"
    link["members"][0]["part"], link["members"][1]["part"] = [0, 20], [0, 12]
    sources = [data["articles"][a]["sentences"][i]["text"] for a, i in ((0, 5), (1, 1))]
    tree = Tree(page(data))
    assert marked(tree.by_id("a0-s5"), "part") == [sources[0][:20]]
    assert marked(tree.by_id("a1-s1"), "part") == [sources[1][:12]]
    assert {p.attrs["data-for"] for p in tree.by_id("a1-s1").iter() if "part" in p.classes()} == {"a0-s5"}


def three_articles() -> dict:
    data = example()
    third = copy.deepcopy(data["articles"][1])
    third["path"] = third["relative"] = third["absolute"] = "examples/id-copy.txt"
    data["articles"].append(third)
    data["links"].append({"members": [{"article": 1, "sentences": [2], "part": None}, {"article": 2, "sentences": [2], "part": None}],
                          "score": 3.1, "evidence": {"space": "english", "cosine": 1.0, "margin": 3.0}, "kind": "same-fact"})
    data["links"].append({"members": [{"article": 0, "sentences": [0], "part": None}, {"article": 2, "sentences": [8], "part": None}],
                          "score": 0.9, "evidence": {"space": "english", "cosine": 0.6, "margin": 0.8}, "kind": "same-fact"})
    del data["summary"]
    return data


def test_three_articles_give_three_axes_and_one_line_per_link():
    data = three_articles()
    tree = Tree(page(data))
    assert len([n for n in tree.all("line") if "axis" in n.classes()]) == 3
    heads = [n.text() for n in tree.all("text") if "head" in n.classes()]
    assert heads == ["[1] vi", "[2] id", "[3] id"]
    lines = [n for n in tree.root.iter() if "data-link" in n.attrs]
    assert [n.attrs["data-ends"] for n in lines] == ["a0-s5 a1-s1", "a0-s8 a1-s2", "a1-s2 a2-s2", "a0-s0 a2-s8"]
    # the link between articles 1 and 3 runs from the first axis (x 92) to the third (x 692)
    (path,) = [n for n in lines[3].iter() if "line" in n.classes()]
    assert path.attrs["d"].startswith("M92.0 ") and path.attrs["d"].split()[-2] == "692.0"
    assert len([n for n in tree.by_id("articles").iter() if n.tag == "article"]) == 3


def test_the_standalone_map_is_an_svg_document():
    data = example()
    svg = map_svg(summarise(from_dict(data)))
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    root = ET.fromstring(svg.split("?>", 1)[1].lstrip())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert [g.get("data-link") for g in root.iter(f"{ns}g") if g.get("data-link") is not None] == ["0", "1"]
    assert root.find(f"{ns}title").text == "Alignment map"
    legend = next(g for g in root.iter(f"{ns}g") if g.get("class") == "legend")
    assert [t.text for t in legend.iter(f"{ns}text")] == ["same fact", "partial", "discrepancy"]
    assert "<script" not in svg


def test_output_is_deterministic(example_page):
    assert page(example()) == example_page


def test_importing_the_renderer_loads_no_model_library():
    code = ("import sys, aligner.render.html, aligner.render.termmap; "
            "print(sorted(m for m in ('torch', 'sentence_transformers', 'ctranslate2', 'dask', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
