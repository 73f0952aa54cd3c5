"""REFERENCE.md and README.md stay true to the code.

- Every public name (each public module's ``__all__``) is documented in REFERENCE.md, in the
  section of a module that exports it (``## telepot_ng.x``), in code: `name` or `name(...)`.
- The generated parts (Bot API methods, namedtuple classes) match the Bot API snapshot.
  Regenerate them with ``python tests/test_reference.py --update``.
- README's test command is the one .ci/run runs, to the character.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import re
import sys
from typing import Dict, List, Set

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, 'REFERENCE.md')
README = os.path.join(ROOT, 'README.md')
BLOCK = re.compile(r'(<!-- BEGIN GENERATED: (\w+) [^>]*-->\n)(.*?)(<!-- END GENERATED: \2 -->)',
                   re.S)


def read(path: str) -> str:
    with open(path, encoding='utf-8') as f:
        return f.read()


# ------------------------------------------------------------------------ generated blocks

def generated() -> Dict[str, str]:
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from telepot_ng._codegen.__main__ import build_spec, render_reference
    return render_reference(build_spec())


def spliced(text: str, blocks: Dict[str, str]) -> str:
    return BLOCK.sub(lambda m: m.group(1) + blocks[m.group(2)] + '\n' + m.group(4), text)


def test_generated_parts_match_the_bot_api_snapshot():
    text = read(REFERENCE)
    blocks = generated()
    assert sorted(m.group(2) for m in BLOCK.finditer(text)) == sorted(blocks)
    assert spliced(text, blocks) == text, \
        'REFERENCE.md is stale: run  python tests/test_reference.py --update'


# ------------------------------------------------------------------------- public names

def public_modules() -> List[object]:
    import telepot_ng
    mods = [telepot_ng]
    for info in pkgutil.walk_packages(telepot_ng.__path__, 'telepot_ng.'):
        if any(part.startswith('_') for part in info.name.split('.')):
            continue
        mods.append(importlib.import_module(info.name))
    return mods


def sections(text: str) -> Dict[str, str]:
    """``## telepot_ng.x`` heading -> the text up to the next level-2 heading."""
    out = {}
    parts = re.split(r'^## ', text, flags=re.M)
    for part in parts[1:]:
        title, _, body = part.partition('\n')
        out[title.strip()] = body
    return out


def code_names(text: str) -> Set[str]:
    """Identifiers in headings, `code spans` and ``` blocks (dotted names split)."""
    spans = re.findall(r'```.*?```|`[^`]+`|^#+ .*$', text, flags=re.S | re.M)
    return set(re.findall(r'[A-Za-z_][A-Za-z0-9_]*', ' '.join(spans)))


def home_sections(module_name: str, found: Dict[str, str]) -> List[str]:
    """The section documenting ``module_name``: its own, else its nearest parent's."""
    parts = module_name.split('.')
    while parts:
        name = '.'.join(parts)
        if name in found:
            return [name]
        parts.pop()
    return []


def test_every_public_name_is_in_the_reference():
    docs = sections(read(REFERENCE))
    names_in = {title: code_names(body) for title, body in docs.items()}
    exporters: Dict[int, List[str]] = {}      # id(object) -> modules that export it
    mods = public_modules()
    for mod in mods:
        for name in mod.__all__:
            exporters.setdefault(id(getattr(mod, name)), []).append(mod.__name__)
    missing = []
    for mod in mods:
        own = home_sections(mod.__name__, docs)
        assert own, 'REFERENCE.md has no "## %s" section' % mod.__name__
        for name in mod.__all__:
            obj = getattr(mod, name)
            places = set(own)
            for other in exporters[id(obj)] + [getattr(obj, '__module__', None) or '']:
                places.update(home_sections(other, docs))
            if not any(name in names_in[p] for p in places):
                missing.append('%s.%s' % (mod.__name__, name))
    assert not missing, 'not documented in REFERENCE.md: %s' % ', '.join(missing)


def test_public_methods_of_documented_classes_are_in_the_reference():
    """A class's own public methods and properties appear in its module's section too."""
    from telepot_ng._generated.methods import BotMethods
    docs = sections(read(REFERENCE))
    everything = code_names(read(REFERENCE))
    missing = []
    for mod in public_modules():
        if mod.__name__ in ('telepot_ng.namedtuple', 'telepot_ng.exception'):
            continue            # generated classes; exceptions documented by attributes
        for name in mod.__all__:
            cls = getattr(mod, name)
            if not isinstance(cls, type) or cls.__module__ != mod.__name__:
                continue
            text = code_names(''.join(docs[s] for s in home_sections(mod.__name__, docs)))
            for attr in vars(cls):
                if attr.startswith('_') or attr in vars(BotMethods):
                    continue
                if attr not in text and attr not in everything:
                    missing.append('%s.%s.%s' % (mod.__name__, name, attr))
    assert not missing, 'not documented in REFERENCE.md: %s' % ', '.join(missing)


def test_sections_follow_the_contents():
    text = read(REFERENCE)
    titles = [t for t in sections(text) if t.startswith('telepot_ng')]
    contents = re.findall(r'^- \[(telepot_ng[\w.]*)\]\(#', text, flags=re.M)
    assert contents == titles


# ------------------------------------------------------------------------------- README

def ci_command() -> str:
    lines = [line.strip() for line in read(os.path.join(ROOT, '.ci', 'run')).splitlines()
             if line.strip().startswith('python3 -m venv')]
    assert len(lines) == 1, lines
    return lines[0]


def readme_commands() -> List[str]:
    blocks = re.findall(r'```(?:sh|bash|console)?\n(.*?)```', read(README), flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip().startswith('python3 -m venv')]


def test_readme_test_command_is_the_one_ci_runs():
    assert ci_command() in readme_commands()


def test_readme_opens_with_the_two_commands():
    assert readme_commands()[:2] == [
        'python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/python -m telepot_ng.demo',
        ci_command()]
    first_block = read(README).split('```')[1]
    assert '.venv/bin/python -m telepot_ng.demo' in first_block


def test_readme_links_resolve():
    text = read(README)
    for target in re.findall(r'\]\(([^)#]+)(?:#[^)]*)?\)', text):
        if '://' not in target:
            assert os.path.exists(os.path.join(ROOT, target)), target


def update() -> None:
    text = read(REFERENCE)
    new = spliced(text, generated())
    with open(REFERENCE, 'w', encoding='utf-8') as f:
        f.write(new)
    print('REFERENCE.md %s' % ('updated' if new != text else 'already up to date'))



def slugs(text: str) -> Set[str]:
    """GitHub's anchors for the headings of a markdown text."""
    seen: Dict[str, int] = {}
    out = set()
    in_code = False
    for line in text.splitlines():
        if line.startswith('```'):
            in_code = not in_code
        m = None if in_code else re.match(r'^#{1,6} (.*)$', line)
        if m:
            slug = re.sub(r'[^\w\- ]', '', m.group(1).strip().lower()).replace(' ', '-')
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            out.add(slug if n == 0 else '%s-%d' % (slug, n))
    return out


def test_links_to_headings_resolve():
    reference = read(REFERENCE)
    anchors = slugs(reference)
    for path in (REFERENCE, README):
        text = read(path)
        for target, anchor in re.findall(r'\]\(([^)#\s]*)#([^)\s]+)\)', text):
            if target in ('', 'REFERENCE.md'):
                assert anchor in anchors, '%s links to a missing #%s' % (
                    os.path.basename(path), anchor)


if __name__ == '__main__':
    if sys.argv[1:] != ['--update']:
        sys.exit('usage: python tests/test_reference.py --update')
    update()
