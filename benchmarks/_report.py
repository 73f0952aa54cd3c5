"""Turn the runs into the printed tables (markdown), the target verdicts and the chart."""
from __future__ import annotations

import statistics
from typing import Any, Dict, List, Optional, Tuple

from _envs import PEERS

MB = 1024.0


def _med(runs: List[Dict[str, Any]], key: str) -> float:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else 0.0


def _spread(runs: List[Dict[str, Any]], key: str = 'rate', fmt: str = '{:,.0f}') -> str:
    values = [r.get(key, 0.0) for r in runs]
    if not values:
        return '-'
    if len(values) == 1:
        return fmt.format(values[0])
    return '%s [%s–%s]' % (fmt.format(statistics.median(values)), fmt.format(min(values)),
                           fmt.format(max(values)))


def all_ok(runs: List[Dict[str, Any]]) -> bool:
    return bool(runs) and all(r.get('ok') for r in runs)


def _verdict(runs: List[Dict[str, Any]]) -> str:
    good = sum(1 for r in runs if r.get('ok'))
    if good == len(runs):
        return 'ok %d/%d' % (good, len(runs))
    if all(r.get('ok') or r.get('in_order_but_unfinished') for r in runs):
        worst = min(runs, key=lambda r: r.get('received', r.get('counted', 0)))
        return '**UNFINISHED** in the cap, what arrived was in order (worst run: %s of %s)' % (
            format(worst.get('received', worst.get('counted', 0)), ','),
            format(worst.get('total', worst.get('updates', 0)), ','))
    problems = []
    for key, label in (('out_of_order', 'out of order'), ('duplicates', 'duplicates'),
                       ('missing', 'missing'), ('wrong', 'wrong text'),
                       ('violations', 'order violations'), ('not_prefix', 'chats out of order')):
        worst = max((r.get(key) or 0) for r in runs)
        if worst:
            problems.append('%s %s' % (label, format(worst, ',')))
    unfinished = sum(1 for r in runs if not r.get('complete', True))
    if unfinished:
        problems.append('%d run(s) not finished in the cap' % unfinished)
    if any(r.get('crashed') for r in runs):
        problems.append('bot crashed')
    if any(r.get('error') for r in runs):
        problems.append(str(next(r['error'] for r in runs if r.get('error')))[:80])
    return '**FAILED** %d/%d ok (worst run: %s)' % (good, len(runs), ', '.join(problems))


def _label(name: str) -> str:
    return PEERS[name].label if name in PEERS else name


def serve_table(title: str, results: Dict[str, List[Dict[str, Any]]], many: bool) -> List[str]:
    if many:
        head = ('| library | time to all first replies, s | replies/s | correct | peak RSS, MB | '
                'peak threads | bot CPU, s | server CPU, s | other CPU, s |')
    else:
        head = ('| library | replies/s | correct | bot CPU, s | CPU per reply, ms | peak RSS, MB | '
                'peak threads | server CPU, s | other CPU, s |')
    lines = [title, '', head, '|' + '---|' * (head.count('|') - 1)]
    for name, runs in results.items():
        cpu = _med(runs, 'cpu')
        rss = _med(runs, 'peak_rss_kb') / MB
        if many:
            lines.append('| %s | %s | %s | %s | %.0f | %.0f | %.1f | %.1f | %.1f |' % (
                _label(name), _spread(runs, 'elapsed', '{:.2f}'), _spread(runs),
                _verdict(runs), rss, _med(runs, 'threads'), cpu, _med(runs, 'server_cpu'),
                _med(runs, 'other_cpu')))
        else:
            per = 1000.0 * cpu / max(1.0, _med(runs, 'received'))
            lines.append('| %s | %s | %s | %.1f | %.2f | %.0f | %.0f | %.1f | %.1f |' % (
                _label(name), _spread(runs), _verdict(runs), cpu, per, rss,
                _med(runs, 'threads'), _med(runs, 'server_cpu'), _med(runs, 'other_cpu')))
    return lines


def dispatch_key(name: str, chats: int, busy: int = 0) -> str:
    """'name@chats', or 'name@chats/busy' when the updates go to only ``busy`` of the chats."""
    return '%s@%d' % (name, chats) + ('/%d' % busy if busy and busy != chats else '')


def split_key(key: str) -> Tuple[str, int, int]:
    name, rest = key.rsplit('@', 1)
    chats, _, busy = rest.partition('/')
    return name, int(chats), int(busy or chats)


def _chats_cell(chats: int, busy: int) -> str:
    if busy == chats:
        return format(chats, ',')
    return '%s (updates to %s of them)' % (format(chats, ','), format(busy, ','))


def _chats_label(chats: int, busy: int) -> str:
    text = '%s chats' % format(chats, ',')
    return text if busy == chats else text + ', updates to %s' % format(busy, ',')


def dispatch_table(title: str, results: Dict[str, List[Dict[str, Any]]],
                   updates: int, cap: float) -> List[str]:
    head = '| library | live chats | updates/s | correct | CPU, s | peak RSS, MB | threads |'
    lines = [title, '', head, '|' + '---|' * (head.count('|') - 1)]
    for key, runs in results.items():
        name, chats, busy = split_key(key)
        rate = _spread(runs)
        if any(not r.get('complete', False) for r in runs):
            rate += ' (partial: %s of %s counted in %g s)' % (
                format(int(_med(runs, 'counted')), ','), format(updates, ','), cap)
        lines.append('| %s | %s | %s | %s | %.2f | %.0f | %.0f |' % (
            _label(name), _chats_cell(chats, busy), rate, _verdict(runs), _med(runs, 'cpu'),
            _med(runs, 'peak_rss_kb') / MB, _med(runs, 'threads')))
    return lines


def delegation_table(results: Dict[str, List[Dict[str, Any]]]) -> List[str]:
    head = '| live chats | spawn rate, handlers/s | memory per idle ChatHandler, KB | failures |'
    lines = ['telepot_ng delegation (issue 6): the warm-up of the dispatch runs spawns one '
             'ChatHandler per chat and waits until each counted its first message.', '',
             head, '|' + '---|' * (head.count('|') - 1)]
    for key, runs in results.items():
        name, chats, busy = split_key(key)
        if name != 'telepot_ng' or busy != chats:
            continue
        for r in runs:
            r['spawn_rate'] = chats / r['warm_s'] if r.get('warm_s') else 0.0
            r['kb_per_handler'] = (r.get('rss_after_warm_kb', 0)
                                   - r.get('rss_before_warm_kb', 0)) / chats
        failures = sum(1 for r in runs if not r.get('warm_complete') or r.get('warnings'))
        lines.append('| %s | %s | %s | %d |' % (
            format(chats, ','), _spread(runs, 'spawn_rate'),
            _spread(runs, 'kb_per_handler', '{:.1f}'), failures))
    return lines


def ceiling_table(results: Dict[str, List[Dict[str, Any]]], threads: List[int]) -> List[str]:
    head = ('| stack | ' + ' | '.join('%d thread%s, calls/s' % (t, 's' if t > 1 else '')
                                      for t in threads) + ' | client CPU per call (1 thread), µs |')
    lines = [head, '|' + '---|' * (head.count('|') - 1)]
    stacks: List[str] = []
    for key in results:
        stack = key.rsplit('@', 1)[0]
        if stack not in stacks:
            stacks.append(stack)
    for stack in stacks:
        cells = [_spread(results.get('%s@%d' % (stack, t), [])) for t in threads]
        one = results.get('%s@%d' % (stack, threads[0]), [])
        lines.append('| %s | %s | %.0f |' % (stack, ' | '.join(cells),
                                             _med(one, 'cpu_us_per_call')))
    return lines


# -- targets ---------------------------------------------------------------------------------------

def _fastest(results: Dict[str, List[Dict[str, Any]]], exclude: str,
             correct_only: bool) -> Tuple[Optional[str], float]:
    best: Tuple[Optional[str], float] = (None, 0.0)
    for key, runs in results.items():
        if key.startswith(exclude) or (correct_only and not all_ok(runs)):
            continue
        rate = _med(runs, 'rate')
        if rate > best[1]:
            best = (key, rate)
    return best


def targets(res: Dict[str, Any]) -> List[str]:
    out = []

    def line(met: bool, text: str) -> None:
        out.append('- %s %s' % ('**MET**' if met else '**MISSED**', text))

    echo = res.get('echo') or {}
    if 'telepot_ng' in echo:
        ng = echo['telepot_ng']
        rate = _med(ng, 'rate')
        peer, best = _fastest(echo, 'telepot_ng', True)
        if peer:
            ratio = rate / best
            line(ratio >= 2 and all_ok(ng),
                 'echo storm >= 2x the fastest correct peer (%s, %s/s): telepot_ng %s/s = %.2fx%s'
                 % (_label(peer), format(best, ',.0f'), format(rate, ',.0f'), ratio,
                    '' if all_ok(ng) else ', and telepot_ng FAILED correctness'))
        line(all_ok(ng), 'echo storm: zero order violations, nothing missing or twice '
                         '(telepot_ng: %s)' % _verdict(ng))
    if 'telepot_ng_aio' in echo:
        aio = echo['telepot_ng_aio']
        rate = _med(aio, 'rate')
        rivals = {k: v for k, v in echo.items() if k.startswith('aiogram')}
        peer, best = _fastest(rivals, '-', False)
        if peer:
            line(rate >= 2 * best and all_ok(aio),
                 'echo storm, telepot_ng.aio >= 2x aiogram (its faster set-up, %s: %s/s%s): '
                 '%s/s = %.2fx, per-chat order %s' % (
                     _label(peer), format(best, ',.0f'),
                     '' if all_ok(rivals[peer]) else ', which breaks per-chat order',
                     format(rate, ',.0f'), rate / best, 'kept' if all_ok(aio) else 'BROKEN'))
        if 'telepot_ng' in echo:
            line(all_ok(aio), 'echo storm: telepot_ng.aio %s/s beside the threaded telepot_ng '
                 '%s/s (%.2fx); %s' % (format(rate, ',.0f'),
                                       format(_med(echo['telepot_ng'], 'rate'), ',.0f'),
                                       rate / max(1.0, _med(echo['telepot_ng'], 'rate')),
                                       _verdict(aio)))
    disp = res.get('dispatch') or {}
    key = dispatch_key('telepot_ng', 1000)
    if key in disp:
        ng = disp[key]
        rate = _med(ng, 'rate')
        peer, best = _fastest(disp, 'telepot_ng', False)
        if peer:
            name = split_key(peer)[0]
            line(rate >= 2 * best, 'dispatch at 1,000 live chats >= 2x the fastest peer (%s, '
                 '%s/s%s): telepot_ng %s/s = %.2fx' % (
                     _label(name), format(best, ',.0f'),
                     '' if all_ok(disp[peer]) else ', which breaks per-chat order',
                     format(rate, ',.0f'), rate / best))
        line(rate >= 45000, 'dispatch at 1,000 live chats >= 45,000 updates/s: %s/s (%+.0f%%)'
             % (format(rate, ',.0f'), 100.0 * (rate - 45000) / 45000))
    lo = disp.get(dispatch_key('telepot_ng', 10))
    for hi_key, live, how in (
            (dispatch_key('telepot_ng', 10000), '10,000', 'updates spread over all live chats'),
            (dispatch_key('telepot_ng', 10000, 10), '10,000',
             'updates to 10 chats, the other 9,990 handlers idle'),
            (dispatch_key('telepot_ng', 100000, 1000), '100,000',
             'updates to 1,000 chats, the other 99,000 handlers idle'),
            (dispatch_key('telepot_ng', 100000), '100,000', 'updates to all live chats')):
        hi = disp.get(hi_key)
        if lo and hi:
            drop = 100.0 * (1 - _med(hi, 'rate') / _med(lo, 'rate'))
            line(drop <= 20, 'dispatch falls <= 20%% from 10 to %s live chats (%s): '
                 '%s -> %s/s (%+.0f%%)' % (live, how, format(_med(lo, 'rate'), ',.0f'),
                                          format(_med(hi, 'rate'), ',.0f'), -drop))
    many = res.get('many') or {}
    if 'telepot_ng' in many:
        ng = many['telepot_ng']
        if 'telepot' in many:
            tp = many['telepot']
            a, b = _med(ng, 'peak_rss_kb') / MB, _med(tp, 'peak_rss_kb') / MB
            text = 'many chats: peak RSS <= telepot 12.7\'s: %.0f MB vs %.0f MB (%+.0f%%)' % (
                a, b, 100.0 * (a - b) / b)
            reached = _med(tp, 'received')
            chats = res['many_size'][0]
            if reached < chats:
                # telepot did not reach the load in the cap: also compare at equal load
                per = (_med(tp, 'peak_rss_kb') - _med(tp, 'ready_rss_kb')) / max(1.0, reached)
                b_full = (_med(tp, 'ready_rss_kb') + per * chats) / MB
                text += ('; as measured, but telepot answered only %s of %s chats in the cap. '
                         'At equal load, extrapolating its %.0f KB per live handler from its '
                         'ready-state RSS: ~%.0f MB, so telepot_ng is %+.0f%% (%s)' % (
                             format(int(reached), ','), format(chats, ','), per, b_full,
                             100.0 * (a - b_full) / b_full,
                             'MET at equal load' if a <= b_full else 'MISSED at equal load'))
            line(a <= b, text)
        failed = [r for r in ng if not r.get('ok') or r.get('log_problems')]
        line(not failed, 'many chats: no failure to spawn (%d of %d runs with every chat '
             'answered and no warning logged)' % (len(ng) - len(failed), len(ng)))
    return out


# -- chart -------------------------------------------------------------------------------------------

def chart(res: Dict[str, Any], path: str, subtitle: str) -> Optional[str]:
    """Draw a 2x2 PNG; returns None if matplotlib is missing (an error string) otherwise."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        return 'matplotlib is not installed (pip install "telepot-ng[bench]")'
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))

    def bars(ax: Any, names: List[str], values: List[float], oks: List[bool], title: str,
             unit: str, log: bool = False) -> None:
        colors = ['#2a7ab9' if n.startswith('telepot_ng') else '#8c8c8c' for n in names]
        rects = ax.barh(range(len(names)), values, color=colors,
                        hatch=None, edgecolor='black', linewidth=0.5)
        for rect, ok in zip(rects, oks):
            if not ok:
                rect.set_hatch('//')
                rect.set_facecolor('#e8a0a0')
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels(names, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(unit, fontsize=8)
        if log:
            ax.set_xscale('log')
        for i, v in enumerate(values):
            ax.text(v, i, ' ' + format(v, ',.0f'), va='center', fontsize=7)

    echo = res.get('echo') or {}
    if echo:
        bars(axes[0][0], [_label(n) for n in echo], [_med(r, 'rate') for r in echo.values()],
             [all_ok(r) for r in echo.values()],
             'echo storm: replies/s (hatched: failed or unfinished)',
             'replies/s')
    disp = res.get('dispatch') or {}
    if disp:
        names = ['%s, %s' % (_label(split_key(k)[0]), _chats_label(*split_key(k)[1:]))
                 for k in disp]
        bars(axes[0][1], names, [max(_med(r, 'rate'), 1.0) for r in disp.values()],
             [all_ok(r) for r in disp.values()],
             'dispatch only: updates/s (log scale)',
             'updates/s', log=True)
    many = res.get('many') or {}
    if many:
        bars(axes[1][0], [_label(n) for n in many],
             [_med(r, 'peak_rss_kb') / MB for r in many.values()],
             [all_ok(r) for r in many.values()],
             'many chats (%s): peak RSS, MB' % format(res['many_size'][0], ','), 'MB')
    ceil = res.get('ceiling') or {}
    if ceil:
        ax = axes[1][1]
        stacks: List[str] = []
        threads: List[int] = []
        for key in ceil:
            s, t = key.rsplit('@', 1)
            if s not in stacks:
                stacks.append(s)
            if int(t) not in threads:
                threads.append(int(t))
        width = 0.8 / max(1, len(threads))
        for j, t in enumerate(threads):
            vals = [_med(ceil.get('%s@%d' % (s, t), []), 'rate') for s in stacks]
            ax.bar([i + j * width for i in range(len(stacks))], vals, width,
                   label='%d thread%s' % (t, 's' if t > 1 else ''))
        ax.set_xticks([i + width * (len(threads) - 1) / 2 for i in range(len(stacks))])
        ax.set_xticklabels(stacks, fontsize=8)
        ax.set_title('HTTP ceiling: sendMessage calls/s', fontsize=10)
        ax.legend(fontsize=8)
    for row in axes:
        for ax in row:
            if not ax.has_data():
                ax.set_visible(False)
    fig.suptitle('telepot_ng benchmarks — ' + subtitle, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None
