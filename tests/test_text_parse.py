"""telepot_ng.text.parse_entities: HTML, MarkdownV2 and Markdown into text + entities, with
Telegram's error descriptions (the round trips with the renderers are in test_text_render)."""
from __future__ import annotations

import pytest

from telepot_ng.text import EntityParseError, parse_entities


def ent(type_, offset, length, **kw):
    return dict({'type': type_, 'offset': offset, 'length': length}, **kw)


def test_html_tags_and_their_synonyms():
    text, ents = parse_entities('<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u>'
                                '<ins>n</ins><s>s</s><strike>k</strike><del>d</del>'
                                '<tg-spoiler>p</tg-spoiler><span class="tg-spoiler">q</span>',
                                'HTML')
    assert text == 'bsieunskdpq'
    assert [e['type'] for e in ents] == ['bold', 'bold', 'italic', 'italic', 'underline',
                                         'underline', 'strikethrough', 'strikethrough',
                                         'strikethrough', 'spoiler', 'spoiler']


def test_html_character_references_and_utf16_offsets():
    text, ents = parse_entities('&lt;&gt;&amp;&quot;&#128512;&#x41;&nbsp; 😀<b>x</b>', 'html')
    assert text == '<>&"😀A&nbsp; 😀x'        # unknown references stay as written
    assert ents == [ent('bold', 16, 1)]      # each 😀 is two UTF-16 units


def test_html_links_mentions_code_and_quotes():
    text, ents = parse_entities(
        '<a href="https://e.com/?a=1&amp;b=2">l</a> <a href="tg://user?id=42">m</a> '
        '<pre><code class="language-python">p</code></pre> <code>c</code> '
        '<blockquote expandable>q</blockquote> <tg-emoji emoji-id="5">e</tg-emoji> '
        '<a href="not a url">x</a>', 'HTML')
    assert text == 'l m p c q e x'
    assert ents == [
        ent('text_link', 0, 1, url='https://e.com/?a=1&b=2'),
        ent('text_mention', 2, 1, user={'id': 42, 'is_bot': False, 'first_name': ''}),
        ent('pre', 4, 1, language='python'), ent('code', 6, 1),
        ent('expandable_blockquote', 8, 1), ent('custom_emoji', 10, 1, custom_emoji_id='5')]


ERRORS = {
    'HTML': [
        ('<b>x</b', 'Unclosed end tag at byte offset 4'),
        ('<b>x', 'Can\'t find end tag corresponding to start tag "b"'),
        ('é<br>', 'Unsupported start tag "br" at byte offset 2'),
        ('</b>', 'Unexpected end tag at byte offset 0'),
        ('<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ('<b', 'Unclosed start tag at byte offset 0'),
        ('a < b', 'Unsupported start tag "" at byte offset 2'),
        ('<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href>x</a>', 'Expected equal sign in declaration of an attribute of the tag "a" at '
                          'byte offset 0'),
        ('<a href="x>y</a>', 'Unclosed start tag at byte offset 0')],
    'MarkdownV2': [
        ('a.b', "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ('1+1=2', "Character '+' is reserved and must be escaped with the preceding '\\'"),
        ('*bold', "Can't find end of Bold entity at byte offset 0"),
        ('é _it', "Can't find end of Italic entity at byte offset 3"),
        ('```py\ncode', "Can't find end of PreCode entity at byte offset 0"),
        ('[a](http://e.com', "Can't find end of a URL at byte offset 4"),
        ('a|b', "Character '|' is reserved and must be escaped with the preceding '\\'")],
    'Markdown': [
        ('snake_case', "Can't find end of the entity starting at byte offset 5")],
}


@pytest.mark.parametrize('mode, markup, description',
                         [(m, t, d) for m, cases in ERRORS.items() for t, d in cases])
def test_errors_have_telegrams_descriptions(mode, markup, description):
    with pytest.raises(EntityParseError) as info:
        parse_entities(markup, mode)
    assert str(info.value) == description


def test_markdown_v2_entities():
    text, ents = parse_entities('*b _i_* __u__ ~s~ ||p|| `c\\`` ```py\nx\n``` '
                                '[l](https://e.com/\\)) ![👍](tg://emoji?id=7) \\.\\!', 'MarkdownV2')
    assert text == 'b i u s p c` x\n l 👍 .!'
    assert ents == [ent('bold', 0, 3), ent('italic', 2, 1), ent('underline', 4, 1),
                    ent('strikethrough', 6, 1), ent('spoiler', 8, 1), ent('code', 10, 2),
                    ent('pre', 13, 2, language='py'),
                    ent('text_link', 16, 1, url='https://e.com/)'),
                    ent('custom_emoji', 18, 2, custom_emoji_id='7')]


def test_markdown_v2_quotes():
    text, ents = parse_entities('>one\n>two\nafter\n**>x||', 'MarkdownV2')
    assert text == 'one\ntwo\nafter\nx'
    assert ents == [ent('blockquote', 0, 8), ent('expandable_blockquote', 14, 1)]


def test_legacy_markdown():
    text, ents = parse_entities('*b* _i_ `c` [l](http://e.com) ```sh\nls``` a\\_b 1.5!', 'Markdown')
    assert text == 'b i c l ls a_b 1.5!'
    assert ents == [ent('bold', 0, 1), ent('italic', 2, 1), ent('code', 4, 1),
                    ent('text_link', 6, 1, url='http://e.com'), ent('pre', 8, 2, language='sh')]


def test_plain_text_and_unknown_modes():
    assert parse_entities('<b>', None) == ('<b>', [])
    assert parse_entities('<b>', '') == ('<b>', [])
    with pytest.raises(ValueError, match='unsupported parse_mode'):
        parse_entities('x', 'RTF')
