"""Escaping text that came from data: Markdown for Streamlit, HTML for ``st.html``, plotly labels.

A Markdown string is checked by reading it the way CommonMark does: a backslash escapes the next
character, so a special character is live only when it is not escaped. Nothing may stay live.
"""

from __future__ import annotations

import re
import string

import plotly.graph_objects as go
import pytest

from analytics.documents.charts import score_chart
from ui.safe_text import WORD_JOINER, html_text, md, md_join, plot_text, safe_figure

GFM_AUTOLINK = re.compile(r"https?://|www\.|[-.\w+]+@[-\w]+\.", re.IGNORECASE)

LINK = "[请点此重新登录](http://evil.example/login)"
IMAGE = "![x](http://evil.example/x.png)"
DIRECTIVE = ":red[x]"
ICON = ":material/home:"
SCRIPT = "<script>alert(1)</script>"
IMG_TAG = "<img src=http://evil.example/y.png>"
PLOTLY_LINK = '<a href="http://evil.example/a">a</a>'


def live_specials(markdown: str) -> str:
    """The ASCII punctuation characters of ``markdown`` that are not backslash-escaped, in order."""
    live, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown) and markdown[i + 1] in string.punctuation:
            i += 2
            continue
        if markdown[i] in string.punctuation:
            live.append(markdown[i])
        i += 1
    return "".join(live)


def unescape(markdown: str) -> str:
    """What CommonMark shows for text: each escaped punctuation character as itself."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown) and markdown[i + 1] in string.punctuation:
            out.append(markdown[i + 1])
            i += 2
        else:
            out.append(markdown[i])
            i += 1
    return "".join(out)


@pytest.mark.parametrize(
    "hostile",
    [LINK, IMAGE, DIRECTIVE, ICON, SCRIPT, IMG_TAG, "http://evil.example/auto", "**粗体** `code` $x$"],
)
def test_markdown_escape_leaves_no_special_character_live(hostile: str) -> None:
    escaped = md(hostile)
    assert live_specials(escaped) == ""
    # the reader sees exactly the name (the word joiners that stop autolinks are invisible)
    assert unescape(escaped).replace(WORD_JOINER, "") == hostile


def test_markdown_escape_breaks_link_image_and_directive_syntax() -> None:
    # 「](」 opens a link target, 「![」 an image, 「:red[」 a colour directive, 「:material/」 an icon
    joined = md(LINK) + md(IMAGE) + md(DIRECTIVE) + md(ICON)
    for syntax in ("](", "![", ":red[", ":material/", "http://", "evil.example"):
        assert syntax not in joined
    assert md(LINK) == r"\[请点此重新登录\]\(http\:" + WORD_JOINER + r"\/\/evil\.example\/login\)"


@pytest.mark.parametrize(
    "address", ["http://evil.example/auto", "HTTPS://evil.example", "www.evil.example", "x@evil.example"]
)
def test_markdown_escape_stops_gfm_autolinks(address: str) -> None:
    # GFM finds bare URLs and addresses in the text left after the escapes are read (the patterns
    # of mdast-util-gfm-autolink-literal), so that text must not hold one
    text = unescape(md(f"公司 {address} 名称"))
    assert not GFM_AUTOLINK.search(text)
    assert text.replace(WORD_JOINER, "") == f"公司 {address} 名称"


def test_markdown_escape_of_script_keeps_no_tag() -> None:
    assert "<" not in md(SCRIPT).replace("\\<", "")
    assert md(SCRIPT) == r"\<script\>alert\(1\)\<\/script\>"


def test_markdown_escape_joins_lines_and_escapes_a_trailing_backslash() -> None:
    # a line break could start a heading, list or setext underline; a trailing backslash could
    # escape the product's own markup that follows
    assert md("甲\n# 标题\r\n===") == r"甲 \# 标题 \=\=\="
    assert md("乙\\") + "**" == "乙\\\\**"
    assert live_specials(md("乙\\")) == ""


def test_markdown_escape_of_empty_values_and_numbers() -> None:
    assert md(None) == ""
    assert md("") == ""
    assert md(12.5) == r"12\.5"
    assert md_join([LINK, "普通名称"]) == md(LINK) + "、普通名称"


def test_html_escape_keeps_no_tag() -> None:
    assert html_text(IMG_TAG) == "&lt;img src=http://evil.example/y.png&gt;"
    assert html_text(SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert html_text('"><b>') == "&quot;&gt;&lt;b&gt;"
    assert html_text(None) == ""


def test_plot_text_escapes_tags_and_leaves_numbers() -> None:
    assert plot_text(PLOTLY_LINK) == '&lt;a href="http://evil.example/a"&gt;a&lt;/a&gt;'
    assert plot_text(3.5) == 3.5
    assert plot_text(None) is None


def test_safe_figure_escapes_every_data_text_but_not_templates() -> None:
    fig = go.Figure(
        go.Bar(
            y=[PLOTLY_LINK, "普通"],
            x=[1.0, 2.0],
            orientation="h",
            text=[SCRIPT, "2"],
            hovertext=[IMG_TAG, "乙"],
            name=IMG_TAG,
            hovertemplate="%{y}<br>%{x}<extra></extra>",
        )
    )
    fig.add_trace(go.Treemap(ids=["g:" + SCRIPT], labels=[SCRIPT], parents=[""], values=[1]))
    fig.update_yaxes(categoryorder="array", categoryarray=["普通", PLOTLY_LINK])
    spec = safe_figure(fig).to_json()
    for tag in ("<a ", "<script", "<img"):
        assert tag not in spec
    bar = fig.data[0]
    assert list(bar.y) == ['&lt;a href="http://evil.example/a"&gt;a&lt;/a&gt;', "普通"]
    assert list(bar.x) == [1.0, 2.0]
    assert bar.hovertemplate == "%{y}<br>%{x}<extra></extra>"  # the product's own markup stays
    assert list(fig.layout.yaxis.categoryarray) == ["普通", plot_text(PLOTLY_LINK)]
    assert fig.data[1].ids[0] == "g:" + plot_text(SCRIPT)  # ids and labels escaped alike


def test_document_score_chart_escapes_unit_names() -> None:
    figure = score_chart([PLOTLY_LINK, IMG_TAG], [90.0, 80.0], "得分")
    assert list(figure.data[0].y) == [plot_text(IMG_TAG), plot_text(PLOTLY_LINK)]  # best on top
