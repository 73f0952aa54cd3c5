"""aiogram's benchmark bot, written as its documentation teaches: a ``Dispatcher`` with a
``@dp.message()`` handler; the per-chat counter lives in the FSM storage (``FSMContext``,
aiogram's per-chat storage, in memory by default); an ``AiohttpSession`` with
``TelegramAPIServer.from_base(...)`` points at the local server (its documented local
Bot API server setting).

``--variant seq`` polls with ``handle_as_tasks=False`` (updates handled one at a time)
instead of the default, which runs every update as its own task.

serve:    ``dp.start_polling(bot)``; answers ``message.answer("<counter> <text>")``.
dispatch: ``await dp.feed_raw_update(bot, data)`` (its in-process entry point for raw updates).
"""
import asyncio

import _harness

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.context import FSMContext
from aiogram.types import Message


def main():
    opts = _harness.options()
    _harness.quiet_logging()
    dp = Dispatcher()

    if opts.mode == 'serve':
        @dp.message()
        async def echo(message: Message, state: FSMContext):
            data = await state.get_data()
            n = data.get('count', 0) + 1
            await state.update_data(count=n)
            if n % opts.answer_every == 0:
                await message.answer('%d %s' % (n, message.text))

        async def serve():
            bot = Bot(opts.token, session=AiohttpSession(api=TelegramAPIServer.from_base(opts.api)))
            _harness.ready_then_wait_go()
            await dp.start_polling(bot, handle_as_tasks=opts.variant != 'seq')

        asyncio.run(serve())
        return

    tally = _harness.make_tally(opts)

    @dp.message()
    async def count(message: Message, state: FSMContext):
        data = await state.get_data()
        n = data.get('count', 0) + 1
        await state.update_data(count=n)
        tally.seen(n, message.message_id)

    async def dispatch():
        bot = Bot(opts.token, session=AiohttpSession(api=TelegramAPIServer.from_base(opts.api)))

        async def feed(data):
            await dp.feed_raw_update(bot, data)
        await _harness.run_dispatch_async(tally, opts, feed)

    asyncio.run(dispatch())


if __name__ == '__main__':
    main()
