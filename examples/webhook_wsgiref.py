"""webhook_wsgiref.py: receive updates by webhook, with the standard library's WSGI server.

Telegram POSTs each update to your URL.  ``WebhookApp`` (a plain WSGI application) checks
the secret token, puts the update in a queue and answers at once; ``notifyOnMessage(
source=queue)`` hands the updates to ``handle`` in ``update_id`` order, in a thread of its
own (telepot 6.3's webhook recipe).  wsgiref is fine for a small bot; see
webhook_flask.py for a framework and REFERENCE.md for gunicorn / waitress.

Telegram only posts to HTTPS URLs: run this behind a reverse proxy (or tunnel) with a
certificate that forwards to PORT.

    TELEGRAM_BOT_TOKEN=<token> WEBHOOK_URL=https://bot.example.com/hook PORT=8080 \\
        python examples/webhook_wsgiref.py
    python examples/webhook_wsgiref.py --demo      # offline: the fake Telegram posts to it
"""
import contextlib
import os
import queue
import secrets
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import telepot_ng
from telepot_ng.webhook import WebhookApp


class EchoBot(telepot_ng.Bot):
    def handle(self, msg):
        if telepot_ng.flavor(msg) == 'chat' and 'text' in msg:
            content_type, chat_type, chat_id = telepot_ng.glance(msg)
            self.sendMessage(chat_id, 'Echo: ' + msg['text'])


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):       # wsgiref logs every request to stderr
        pass


def serve(bot, host, port, url=None):
    """Start the update loop and the web server, then tell Telegram where to post (``url``,
    default this server's own address, which only the fake can reach)."""
    updates = queue.Queue()
    bot.notifyOnMessage(source=updates)              # ordered by update_id (maxhold=3 s)
    secret = os.environ.get('WEBHOOK_SECRET') or secrets.token_urlsafe(32)
    app = WebhookApp(updates, secret_token=secret)
    server = make_server(host, port, app, handler_class=QuietHandler)
    bot.setWebhook(url or 'http://%s:%d/hook' % (host, server.server_port), secret_token=secret)
    return server


def main():
    token, url = os.environ.get('TELEGRAM_BOT_TOKEN'), os.environ.get('WEBHOOK_URL')
    if not (token and url):
        sys.exit('Set TELEGRAM_BOT_TOKEN and WEBHOOK_URL '
                 '(or try: python examples/webhook_wsgiref.py --demo)')
    with EchoBot(token) as bot:
        server = serve(bot, '0.0.0.0', int(os.environ.get('PORT', '8080')), url)
        print('Serving on port %d; Ctrl-C stops.' % server.server_port)
        try:
            server.serve_forever()
        finally:
            bot.deleteWebhook()


def demo():
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg, EchoBot(tg.token, base_url=tg.base_url) as bot:
        alice, bob = tg.user('Alice'), tg.user('Bob')
        server = serve(bot, '127.0.0.1', 0)           # any free port
        web = threading.Thread(target=server.serve_forever, name='wsgiref')
        web.start()
        try:
            alice.says('hello over a webhook')
            bob.says('me too')
            assert alice.reply().text == 'Echo: hello over a webhook'
            assert bob.reply().text == 'Echo: me too'
            assert tg.counters()['methods'].get('getUpdates') is None    # nothing polled
            print(tg.transcript())
        finally:
            bot.deleteWebhook()
            server.shutdown()
            web.join()
            server.server_close()


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()
