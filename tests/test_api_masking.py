"""Token masking reaches every logger of the package: each module's logger comes from
_masking.logger() and carries the filter, so a registered token comes out masked in the
message, its arguments and a logged traceback."""
import importlib
import logging
import pathlib

import pytest

import telepot_ng
from telepot_ng import _masking

# A token only the registry knows: its secret is too short for the token-shape pattern.
TOKEN = '4242:registeredOnlySecret_x'
SECRET = TOKEN.split(':')[1]

PACKAGE_DIR = pathlib.Path(telepot_ng.__file__).parent


def package_modules():
    """(module name, source path) of every Python file of the package."""
    found = []
    for path in sorted(PACKAGE_DIR.rglob('*.py')):
        parts = ('telepot_ng',) + path.relative_to(PACKAGE_DIR).with_suffix('').parts
        if parts[-1] == '__init__':
            parts = parts[:-1]
        found.append(('.'.join(parts), path))
    return found


MODULES = package_modules()


def module_loggers(name):
    module = importlib.import_module(name)
    return [value for value in vars(module).values() if isinstance(value, logging.Logger)]


def test_the_walk_sees_the_modules_that_log():
    names = {name for name, _ in MODULES}
    assert {'telepot_ng.api', 'telepot_ng.bot', 'telepot_ng.loop', 'telepot_ng.webhook',
            'telepot_ng.delegation', 'telepot_ng.delegate', 'telepot_ng.helper',
            'telepot_ng.scheduler', 'telepot_ng.flavors', 'telepot_ng.testing.server',
            'telepot_ng.testing.fake'} <= names
    with_loggers = [name for name, _ in MODULES if module_loggers(name)]
    assert len(with_loggers) >= 12, with_loggers


@pytest.mark.parametrize('name, path', MODULES, ids=[name for name, _ in MODULES])
def test_no_module_makes_a_logger_of_its_own(name, path):
    source = path.read_text(encoding='utf-8')
    if name != 'telepot_ng._masking':
        assert 'getLogger(' not in source, '%s: use _masking.logger(__name__)' % name


@pytest.mark.parametrize('name', [name for name, _ in MODULES if module_loggers(name)])
def test_module_logger_masks_registered_token(name, caplog):
    _masking.register_token(TOKEN)
    caplog.set_level(logging.DEBUG)
    for log in module_loggers(name):
        assert log.name == name
        assert _masking.mask_filter in log.filters
        caplog.clear()
        log.error('calling https://api.test/bot%s/getMe', TOKEN)
        try:
            raise RuntimeError('failed at https://api.test/bot%s/getMe' % TOKEN)
        except RuntimeError:
            log.exception('while calling %s', 'https://api.test/bot%s/getMe' % TOKEN)
        records = [r for r in caplog.records if r.name == name]
        assert len(records) == 2
        text = '\n'.join(logging.Formatter().format(r) for r in records)
        assert 'Traceback' in text and 'RuntimeError: failed at' in text
        assert text.count('/bot4242:***/getMe') == 3
        assert SECRET not in text


def test_logger_installs_the_filter_once():
    log = _masking.logger('telepot_ng.some.future.module')
    again = _masking.logger('telepot_ng.some.future.module')
    assert log is again is logging.getLogger('telepot_ng.some.future.module')
    assert log.filters.count(_masking.mask_filter) == 1
