"""telepot_ng.text: entities rendered as HTML / MarkdownV2 / legacy Markdown.

Known pairs pin the exact output; property tests render random valid entity trees, parse
the result back with telepot_ng.text.parse_entities (Telegram's parsing, which the fake
Telegram uses too), and require the same text and the same formatting on every UTF-16 code
unit.
"""
from __future__ import annotations

from html.parser import HTMLParser
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from telepot_ng.namedtuple import MessageEntity, User
from telepot_ng.text import (apply_entities_as_html, apply_entities_as_markdown,
                             apply_entities_as_markdown_v2, parse_entities)


def u16(s: str) -> int:
    return len(s.encode('utf-16-le')) // 2


def ent(type_: str, offset: int, length: int, **kw: Any) -> Dict[str, Any]:
    d = {'type': type_, 'offset': offset, 'length': length}
    d.update(kw)
    return d


# ============================================================================ known pairs

def test_html_basic_and_escaping():
    text = 'a<b> & "c" bold'
    out = apply_entities_as_html(text, [ent('bold', 11, 4)])
    assert out == 'a&lt;b&gt; &amp; "c" <b>bold</b>'


def test_html_every_entity_type():
    text = 'B I U S P C Q X L M E T pre code'
    ents = [ent('bold', 0, 1), ent('italic', 2, 1), ent('underline', 4, 1),
            ent('strikethrough', 6, 1), ent('spoiler', 8, 1), ent('code', 10, 1),
            ent('blockquote', 12, 1), ent('expandable_blockquote', 14, 1),
            ent('text_link', 16, 1, url='https://e.com/?a=1&b="2"'),
            ent('text_mention', 18, 1, user={'id': 42, 'is_bot': False, 'first_name': 'x'}),
            ent('custom_emoji', 20, 1, custom_emoji_id='5368324170671202286'),
            ent('date_time', 22, 1, unix_time=1647531900, date_time_format='wDT'),
            ent('pre', 24, 3, language='python'), ent('pre', 28, 4)]
    assert apply_entities_as_html(text, ents) == (
        '<b>B</b> <i>I</i> <u>U</u> <s>S</s> <tg-spoiler>P</tg-spoiler> <code>C</code> '
        '<blockquote>Q</blockquote> <blockquote expandable>X</blockquote> '
        '<a href="https://e.com/?a=1&amp;b=&quot;2&quot;">L</a> '
        '<a href="tg://user?id=42">M</a> '
        '<tg-emoji emoji-id="5368324170671202286">E</tg-emoji> '
        '<tg-time unix="1647531900" format="wDT">T</tg-time> '
        '<pre><code class="language-python">pre</code></pre> <pre>code</pre>')


def test_auto_detected_and_unknown_types_render_as_plain_text():
    text = '@user #tag $USD /start https://t.me a@b.c +123 x'
    ents = [ent('mention', 0, 5), ent('hashtag', 6, 4), ent('cashtag', 11, 4),
            ent('bot_command', 16, 6), ent('url', 23, 14), ent('email', 38, 5),
            ent('phone_number', 44, 4), ent('brand_new_type', 49, 1)]
    assert apply_entities_as_html(text, ents) == text
    assert apply_entities_as_markdown_v2(text, ents) == (
        '@user \\#tag $USD /start https://t\\.me a@b\\.c \\+123 x')


def test_utf16_offsets_with_astral_characters():
    text = '😀 bold 👍🏽 end'
    ents = [ent('bold', 3, 4), ent('italic', 8, 4)]     # 👍🏽 is 4 UTF-16 units
    assert apply_entities_as_html(text, ents) == '😀 <b>bold</b> <i>👍🏽</i> end'
    assert apply_entities_as_markdown_v2(text, ents) == '😀 *bold* _👍🏽_ end'
    assert apply_entities_as_markdown(text, ents) == '😀 *bold* _👍🏽_ end'


def test_offset_inside_a_surrogate_pair_takes_the_whole_character():
    assert apply_entities_as_html('a😀b', [ent('bold', 2, 2)]) == 'a<b>😀b</b>'


def test_entities_as_namedtuples_and_none():
    text = 'hi there'
    ents = [MessageEntity(type='bold', offset=0, length=2),
            MessageEntity(type='text_mention', offset=3, length=5,
                          user=User(id=7, is_bot=False, first_name='T'))]
    assert apply_entities_as_html(text, ents) == '<b>hi</b> <a href="tg://user?id=7">there</a>'
    assert apply_entities_as_html('a<b', None) == 'a&lt;b'
    assert apply_entities_as_markdown_v2('', [ent('bold', 0, 1)]) == ''


def test_out_of_range_and_targetless_entities_are_clipped_or_dropped():
    text = 'abc'
    ents = [ent('bold', 1, 10), ent('italic', 5, 1), ent('text_link', 0, 1),
            ent('underline', 0, 0)]
    assert apply_entities_as_html(text, ents) == 'a<b>bc</b>'


def test_nested_and_adjacent_html():
    text = 'bold italic bold'
    ents = [ent('bold', 0, 16), ent('italic', 5, 6), ent('underline', 11, 5)]
    assert apply_entities_as_html(text, ents) == '<b>bold <i>italic</i><u> bold</u></b>'


def test_crossing_entities_are_split_into_nested_tags():
    assert apply_entities_as_html('abcd', [ent('bold', 0, 3), ent('italic', 1, 3)]) == \
        '<b>a<i>bc</i></b><i>d</i>'


def test_v2_docs_examples():
    assert apply_entities_as_markdown_v2('bold *text', [ent('bold', 0, 10)]) == \
        '*bold \\*text*'
    assert apply_entities_as_markdown_v2('italic *text', [ent('italic', 0, 12)]) == \
        '_italic \\*text_'
    # the docs' own answer to the italic/underline ambiguity
    assert apply_entities_as_markdown_v2(
        'italic underline', [ent('underline', 0, 16), ent('italic', 0, 16)]) == \
        '___italic underline_**__'
    text = ('bold italic bold italic bold strikethrough italic bold strikethrough spoiler '
            'underline italic bold bold')
    def span(t: str, start: str, stop: str) -> Dict[str, Any]:
        a = text.index(start)
        return ent(t, a, text.index(stop, a) + len(stop) - a)
    ents = [ent('bold', 0, len(text)),
            span('italic', 'italic bold italic', 'underline italic bold'),
            span('strikethrough', 'italic bold strikethrough', 'spoiler'),
            span('spoiler', 'italic bold strikethrough spoiler', 'spoiler'),
            span('underline', 'underline', 'underline italic bold')]
    assert apply_entities_as_markdown_v2(text, ents) == (
        '*bold _italic bold ~italic bold strikethrough ||italic bold strikethrough '
        'spoiler||~ __underline italic bold___ bold*')


def test_v2_escaping_in_each_context():
    text = 'a_b c`\\d e)\\f'
    ents = [ent('code', 4, 4), ent('text_link', 9, 4, url='https://x.y/a)b\\c')]
    assert apply_entities_as_markdown_v2(text, ents) == \
        'a\\_b `c\\`\\\\d` [e\\)\\\\f](https://x.y/a\\)b\\\\c)'


def test_v2_pre_with_language_and_links():
    text = 'print(1)\nmention emoji time'
    ents = [ent('pre', 0, 8, language='python'),
            ent('text_mention', 9, 7, user={'id': 5}),
            ent('custom_emoji', 17, 5, custom_emoji_id='99'),
            ent('date_time', 23, 4, unix_time=1647531900, date_time_format='t')]
    assert apply_entities_as_markdown_v2(text, ents) == (
        '```python\nprint(1)```\n[mention](tg://user?id=5) ![emoji](tg://emoji?id=99) '
        '![time](tg://time?unix=1647531900&format=t)')


def test_v2_blockquotes():
    text = 'one\ntwo\nthree\nfour'
    ents = [ent('blockquote', 0, 7), ent('expandable_blockquote', 8, 10),
            ent('bold', 2, 3)]
    assert apply_entities_as_markdown_v2(text, ents) == \
        '>on*e\n>t*wo\n**>three\n>four||'
    # a quote that does not start at a line start cannot be written: rendered unquoted
    assert apply_entities_as_markdown_v2('ab\ncd', [ent('blockquote', 1, 4)]) == 'ab\ncd'


def test_v2_code_does_not_swallow_the_newline_before_a_quote():
    out = apply_entities_as_markdown_v2('x\ny', [ent('code', 0, 2), ent('blockquote', 2, 1)])
    assert out == '`x`\n>y'


def test_v2_quote_including_its_newline():
    # Telegram's own quotes include the newline that ends them
    text = 'a\n\nb'
    out = apply_entities_as_markdown_v2(text, [ent('blockquote', 0, 3), ent('bold', 0, 2)])
    assert out == '>*a*\n\nb'
    # entities come in Telegram's order: by offset, the longer first
    assert parse_v2(out) == (text, [ent('blockquote', 0, 2), ent('bold', 0, 1)])


def test_v2_quote_terminating_newline_carries_no_formatting():
    text = 'quote\nafter'
    out = apply_entities_as_markdown_v2(text, [ent('blockquote', 0, 6), ent('bold', 3, 6)])
    assert out == '>quo*te*\n*aft*er'


def test_legacy_markdown_docs_examples():
    assert apply_entities_as_markdown('snake_case', [ent('italic', 0, 10)]) == \
        '_snake_\\__case_'
    assert apply_entities_as_markdown('2*2=4', [ent('bold', 0, 5)]) == '*2*\\**2=4*'


def test_legacy_markdown_flattens_nesting_and_escapes():
    text = 'a_b bold italic [x]'
    ents = [ent('bold', 4, 11), ent('italic', 9, 6), ent('underline', 0, 3)]
    assert apply_entities_as_markdown(text, ents) == 'a\\_b *bold italic* \\[x]'


def test_legacy_markdown_links_pre_and_code():
    text = 'link me pre`x code'
    ents = [ent('text_link', 0, 4, url='https://e.com/(a)'),
            ent('text_mention', 5, 2, user={'id': 3}),
            ent('pre', 8, 5, language='py'), ent('code', 14, 4)]
    assert apply_entities_as_markdown(text, ents) == \
        '[link](https://e.com/(a%29) [me](tg://user?id=3) ```py\npre```\\````py\nx``` `code`'


def test_legacy_markdown_backslash_before_entity_stays_literal():
    out = apply_entities_as_markdown('a\\b', [ent('bold', 2, 1)])
    assert out == 'a*\\b*'
    text, _ = parse_md(out)
    assert text == 'a\\b'


# ============================================================================ parsers

def _attrs(e: Dict[str, Any]) -> Tuple[Any, ...]:
    t = e['type']
    if t == 'text_link':
        return (e['url'],)
    if t == 'text_mention':
        return (e['user']['id'],)
    if t == 'pre':
        return (e.get('language') or None,)
    if t == 'custom_emoji':
        return (e['custom_emoji_id'],)
    if t == 'date_time':
        return (e['unix_time'], e.get('date_time_format') or None)
    return ()


def format_map(entities: List[Dict[str, Any]]) -> Dict[int, FrozenSet[Tuple[Any, ...]]]:
    """UTF-16 position -> the set of formats on it (the same however entities are split)."""
    m: Dict[int, set] = {}
    for e in entities:
        for p in range(e['offset'], e['offset'] + e['length']):
            m.setdefault(p, set()).add((e['type'],) + _attrs(e))
    return {p: frozenset(s) for p, s in m.items()}


def parse_html(s: str) -> Tuple[str, List[Dict[str, Any]]]:
    return parse_entities(s, 'HTML')


def parse_v2(s: str) -> Tuple[str, List[Dict[str, Any]]]:
    return parse_entities(s, 'MarkdownV2')


def parse_md(s: str) -> Tuple[str, List[Dict[str, Any]]]:
    return parse_entities(s, 'Markdown')


def test_parsers_read_telegrams_examples():
    assert parse_v2('*bold \\*text*') == ('bold *text', [ent('bold', 0, 10)])
    assert parse_md('_snake_\\__case_') == ('snake_case', [ent('italic', 0, 5),
                                                          ent('italic', 6, 4)])
    text, ents = parse_v2('>a\n**>b\n>c||')
    assert text == 'a\nb\nc'
    assert ents == [ent('blockquote', 0, 2), ent('expandable_blockquote', 2, 3)]
    with pytest.raises(ValueError):
        parse_v2('a.b')


# ============================================================================ properties

_ALPHABET = list('ab xy\n') + list('_*[]()~`>#+-=|{}.!\\&<>"') + ['😀', 'é', '🏽']
_LINK_CHARS = 'az/?=&)(\\_*'


def _url(draw: Any) -> str:
    return 'https://e.com/' + draw(st.text(alphabet=_LINK_CHARS, max_size=6))


def _make(draw: Any, t: str, a: int, b: int) -> Dict[str, Any]:
    e: Dict[str, Any] = {'type': t, 'a': a, 'b': b}
    if t == 'text_link':
        e['url'] = _url(draw)
    elif t == 'text_mention':
        e['user'] = {'id': draw(st.integers(1, 10 ** 10))}
    elif t == 'custom_emoji':
        e['custom_emoji_id'] = str(draw(st.integers(1, 10 ** 18)))
    elif t == 'date_time':
        e['unix_time'] = draw(st.integers(0, 2 ** 31))
        e['date_time_format'] = draw(st.sampled_from([None, 'r', 'wDT', 't', 'dT']))
    elif t == 'pre':
        lang = draw(st.sampled_from([None, 'python', 'c++', 'js']))
        if lang:
            e['language'] = lang
    return e


STYLES = ['bold', 'italic', 'underline', 'strikethrough', 'spoiler']
LINKS = ['text_link', 'text_mention', 'custom_emoji', 'date_time']


def _allowed(ancestors: List[str]) -> List[str]:
    """Entity types Telegram allows inside ``ancestors`` (outermost first)."""
    if any(a in ('code', 'pre') for a in ancestors):
        return []
    kinds = [t for t in STYLES if t not in ancestors]
    if not any(a in LINKS for a in ancestors):
        kinds += LINKS
    if all(a in ('blockquote', 'expandable_blockquote') for a in ancestors):
        kinds += ['code', 'pre']
    return kinds


def _children(draw: Any, text: str, lo: int, hi: int, ancestors: List[str]) -> List[Any]:
    out: List[Dict[str, Any]] = []
    pos = lo
    kinds = _allowed(ancestors)
    while kinds and pos < hi and len(ancestors) < 4 and draw(st.integers(0, 2)):
        a = draw(st.integers(pos, hi - 1))
        b = draw(st.integers(a + 1, hi))
        t = draw(st.sampled_from(kinds))
        out.append(_make(draw, t, a, b))
        out += _children(draw, text, a, b, ancestors + [t])
        pos = b
    return out


@st.composite
def formatted(draw: Any, quotes: bool = True) -> Tuple[str, List[Dict[str, Any]]]:
    """A text and a valid entity tree over it (block quotes on whole lines)."""
    text = draw(st.text(alphabet=_ALPHABET, min_size=1, max_size=30))
    n = len(text)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == '\n']
    tops: List[Dict[str, Any]] = []
    pos = 0
    while pos < n and draw(st.integers(0, 2)):
        if quotes and draw(st.booleans()):
            lines = [s for s in starts if s >= pos]
            if not lines:
                break
            first = draw(st.sampled_from(lines))
            end = first
            for _ in range(draw(st.integers(1, 3))):   # whole lines, without the last newline
                nl = text.find('\n', end + 1 if end > first else end)
                end = n if nl < 0 else nl
                if end == n:
                    break
            while end > first and text[end - 1] == '\n':
                end -= 1
            if end <= first:
                pos = first + 1
                continue
            t = draw(st.sampled_from(['blockquote', 'expandable_blockquote']))
            tops.append(_make(draw, t, first, end))
            tops += _children(draw, text, first, end, [t])
            pos = end + 1                    # the newline that ends a quote stays plain
        else:
            a = draw(st.integers(pos, n - 1))
            b = draw(st.integers(a + 1, n))
            t = draw(st.sampled_from(_allowed([])))
            tops.append(_make(draw, t, a, b))
            tops += _children(draw, text, a, b, [t])
            pos = b
    ents = []
    for e in tops:
        a, b = e.pop('a'), e.pop('b')
        e['offset'] = u16(text[:a])
        e['length'] = u16(text[a:b])
        ents.append(e)
    draw(st.randoms()).shuffle(ents)         # renderers must not rely on entity order
    return text, ents


def _strip_quote_newlines(text: str, entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Telegram counts the newline that ends a quote in the quote; the input does not."""
    units = text.encode('utf-16-le')
    for e in entities:
        if e['type'] in ('blockquote', 'expandable_blockquote'):
            end = e['offset'] + e['length']
            if e['length'] > 1 and units[2 * end - 2:2 * end] == b'\n\x00':
                e['length'] -= 1
    return entities


_PROPS = settings(max_examples=int(__import__("os").environ.get("HYP_EXAMPLES", 250)), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_PROPS
@given(formatted())
def test_html_round_trip(case):
    text, ents = case
    back_text, back = parse_html(apply_entities_as_html(text, ents))
    assert back_text == text
    assert format_map(back) == format_map(ents)


@_PROPS
@given(formatted())
def test_markdown_v2_round_trip(case):
    text, ents = case
    rendered = apply_entities_as_markdown_v2(text, ents)
    back_text, back = parse_v2(rendered)
    assert back_text == text
    expected = format_map(ents)
    for q in ents:      # a newline before a quote's '>' cannot be code (documented)
        if q['type'] in ('blockquote', 'expandable_blockquote') and q['offset']:
            p = q['offset'] - 1
            expected[p] = frozenset(f for f in expected.get(p, ()) if f[0] not in ('code', 'pre'))
            if not expected[p]:
                del expected[p]
    assert format_map(_strip_quote_newlines(text, back)) == expected, rendered


_MD_STOP = {'bold': '*', 'italic': '_', 'code': '`', 'pre': '`', 'text_link': ']',
            'text_mention': ']'}


@st.composite
def flat_formatted(draw: Any) -> Tuple[str, List[Dict[str, Any]]]:
    """Non-overlapping entities of the kinds legacy Markdown has (no backslashes)."""
    text = draw(st.text(alphabet=[c for c in _ALPHABET if c != '\\'], min_size=1,
                        max_size=30))
    ents = []
    pos = 0
    while pos < len(text) and draw(st.integers(0, 3)):
        a = draw(st.integers(pos, len(text) - 1))
        b = draw(st.integers(a + 1, len(text)))
        e = _make(draw, draw(st.sampled_from(list(_MD_STOP))), a, b)
        if e['type'] == 'text_link':
            e['url'] = e['url'].replace(')', '').replace('\\', '')
        del e['a'], e['b']
        e['offset'], e['length'] = u16(text[:a]), u16(text[a:b])
        e['chars'] = (a, b)
        ents.append(e)
        pos = b
    return text, ents


@_PROPS
@given(flat_formatted())
def test_legacy_markdown_round_trip(case):
    text, ents = case
    expected = []
    for e in ents:     # a character that would end its entity is written outside it
        a, b = e.pop('chars')
        for k in range(a, b):
            if text[k] != _MD_STOP[e['type']]:
                expected.append(dict(e, offset=u16(text[:k]), length=u16(text[k])))
    back_text, back = parse_md(apply_entities_as_markdown(text, ents))
    assert back_text == text
    assert format_map(back) == format_map(expected)


@_PROPS
@given(formatted(quotes=False), st.sampled_from(['html', 'v2']))
def test_overlapping_entities_never_produce_unparsable_markup(case, mode):
    text, ents = case
    # add a crossing pair and an entity nested in code: renderers must split / drop
    n16 = u16(text)
    ents = ents + [ent('bold', 0, n16), ent('italic', n16 // 2, n16)]
    if mode == 'html':
        back_text, _ = parse_html(apply_entities_as_html(text, ents))
    else:
        back_text, _ = parse_v2(apply_entities_as_markdown_v2(text, ents))
    assert back_text == text


def test_v2_pre_keeps_a_leading_carriage_return():
    text = '\rx'
    out = apply_entities_as_markdown_v2(text, [ent('pre', 0, 2)])
    assert parse_v2(out) == (text, [ent('pre', 0, 2)])


@st.composite
def chaos(draw: Any) -> Tuple[str, List[Dict[str, Any]]]:
    """Any entities at all: crossing, nested against the rules, quotes mid-line."""
    text = draw(st.text(alphabet=_ALPHABET, min_size=1, max_size=25))
    n16 = u16(text)
    kinds = STYLES + LINKS + ['code', 'pre', 'blockquote', 'expandable_blockquote', 'url']
    ents = []
    for _ in range(draw(st.integers(0, 6))):
        e = _make(draw, draw(st.sampled_from(kinds)), 0, 0)
        del e['a'], e['b']
        e['offset'] = draw(st.integers(0, n16))
        e['length'] = draw(st.integers(0, n16 + 1))
        ents.append(e)
    return text, ents


@_PROPS
@given(chaos())
def test_any_entities_give_parsable_markup_with_the_same_text(case):
    text, ents = case
    assert parse_html(apply_entities_as_html(text, ents))[0] == text
    assert parse_v2(apply_entities_as_markdown_v2(text, ents))[0] == text
    assert parse_md(apply_entities_as_markdown(text, ents))[0] == text


@pytest.mark.parametrize('spoiler', [(15, 1), (14, 1), (15, 2), (16, 1)])
@pytest.mark.parametrize('quote', ['blockquote', 'expandable_blockquote'])
@pytest.mark.parametrize('outer', [[], ['bold'], ['bold', 'strikethrough', 'underline']])
def test_markdown_v2_spoiler_at_a_quote_line_end(spoiler, quote, outer):
    # '||' before a quote's line end is the expandable-quote mark: a spoiler delimiter there
    # must not be read as one (found by the round-trip property above)
    text = '<' * 15 + '\n<'
    ents = [{'type': quote, 'offset': 0, 'length': 17}]
    ents += [{'type': t, 'offset': 10, 'length': 7} for t in outer]
    ents.append({'type': 'spoiler', 'offset': spoiler[0], 'length': spoiler[1]})
    rendered = apply_entities_as_markdown_v2(text, ents)
    back_text, back = parse_v2(rendered)
    assert back_text == text
    assert format_map(back) == format_map(ents), rendered
