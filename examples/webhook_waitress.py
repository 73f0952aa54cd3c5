"""webhook_waitress.py: a webhook bot served by waitress, a production WSGI server.

Same shape as webhook_wsgiref.py, served by waitress (pure Python, several threads in one
process): ``pip install 'telepot-ng[waitress]'``.  One process, because the update loop
that ``notifyOnMessage(source=queue)`` starts lives in it; waitress's threads only put
updates in the queue.  (gunicorn works the same way: ``gunicorn --workers 1 --threads 8
mybot:app``, see REFERENCE.md, telepot_ng.webhook.)

    TELEGRAM_BOT_TOKEN=<token> WEBHOOK_URL=https://bot.example.com/hook PORT=8080 \\
        python examples/webhook_waitress.py
    python examples/webhook_waitress.py --demo      # offline: the fake Telegram posts to it
"""
import contextlib
import os
import queue
import secrets
import sys
import threading

import telepot_ng
from telepot_ng.webhook import WebhookApp

try:
    import waitress
except ImportError:
    sys.exit("This example needs waitress: pip install 'telepot-ng[waitress]'")


class CountingBot(telepot_ng.Bot):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = {}

    def on_chat_message(self, msg):            # Bot.handle routes chat messages here
        content_type, chat_type, chat_id = telepot_ng.glance(msg)
        self.counts[chat_id] = self.counts.get(chat_id, 0) + 1
        self.sendMessage(chat_id, 'Message #%d (%s), served by waitress'
                         % (self.counts[chat_id], content_type))


def serve(bot, host, port, url=None):
    """Start the update loop and waitress, then tell Telegram where to post."""
    updates = queue.Queue()
    bot.notifyOnMessage(source=updates)              # ordered by update_id
    secret = os.environ.get('WEBHOOK_SECRET') or secrets.token_urlsafe(32)
    server = waitress.create_server(WebhookApp(updates, secret_token=secret),
                                    host=host, port=port, threads=4)
    bot.setWebhook(url or 'http://%s:%d/hook' % (host, int(server.effective_port)),
                   secret_token=secret)
    return server


def main():
    token, url = os.environ.get('TELEGRAM_BOT_TOKEN'), os.environ.get('WEBHOOK_URL')
    if not (token and url):
        sys.exit('Set TELEGRAM_BOT_TOKEN and WEBHOOK_URL '
                 '(or try: python examples/webhook_waitress.py --demo)')
    with CountingBot(token) as bot:
        server = serve(bot, '0.0.0.0', int(os.environ.get('PORT', '8080')), url)
        print('Serving on port %s; Ctrl-C stops.' % server.effective_port)
        try:
            server.run()
        finally:
            bot.deleteWebhook()


def demo():
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg, CountingBot(tg.token, base_url=tg.base_url) as bot:
        alice = tg.user('Alice')
        server = serve(bot, '127.0.0.1', 0)
        web = threading.Thread(target=server.run, name='waitress')
        web.start()
        try:
            alice.says('one')
            assert alice.reply().text == 'Message #1 (text), served by waitress'
            alice.says('two')
            assert alice.reply().text == 'Message #2 (text), served by waitress'
            print(tg.transcript())
        finally:
            bot.deleteWebhook()
            server.close()
            web.join()


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):
        demo() if sys.argv[1:] == ['--demo'] else main()
