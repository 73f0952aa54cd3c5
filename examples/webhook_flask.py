"""webhook_flask.py: a Flask web site that also receives the bot's webhook.

The site keeps its own routes; the webhook is ``WebhookApp`` (a plain WSGI application)
mounted at /hook with werkzeug's DispatcherMiddleware.  It feeds an ``OrderedWebhook``
(telepot 12's webhook consumer), which hands updates to the handlers of a flavor routing
table in ``update_id`` order, in a thread of its own.

Needs Flask:  pip install 'telepot-ng[flask]'   (or: pip install flask)

Telegram only posts to HTTPS URLs: run this behind a reverse proxy with a certificate.
Flask's own server is for development; in production serve ``app`` with waitress or
gunicorn, in one process with several threads (see REFERENCE.md, telepot_ng.webhook).

    TELEGRAM_BOT_TOKEN=<token> WEBHOOK_URL=https://bot.example.com/hook PORT=8080 \\
        python examples/webhook_flask.py
    python examples/webhook_flask.py --demo      # offline: the fake Telegram posts to it
"""
import contextlib
import os
import secrets
import sys
import threading

try:
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
except ImportError:
    sys.exit("This example needs Flask: pip install 'telepot-ng[flask]'")

import telepot_ng
from telepot_ng.loop import OrderedWebhook
from telepot_ng.webhook import WebhookApp


def create_app(bot, secret):
    """The Flask application: a home page, and the webhook at /hook."""
    app = Flask(__name__)

    @app.route('/')
    def home():
        return 'This web site is also a Telegram bot.'

    def on_chat_message(msg):
        content_type, chat_type, chat_id = telepot_ng.glance(msg)
        bot.sendMessage(chat_id, 'Flask got your %s.' % content_type)

    hook = OrderedWebhook(bot, {'chat': on_chat_message})
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app,
                                        {'/hook': WebhookApp(hook, secret_token=secret)})
    hook.run_as_thread(maxhold=3)          # bot.stop() stops it
    return app


def main():
    token, url = os.environ.get('TELEGRAM_BOT_TOKEN'), os.environ.get('WEBHOOK_URL')
    if not (token and url):
        sys.exit('Set TELEGRAM_BOT_TOKEN and WEBHOOK_URL '
                 '(or try: python examples/webhook_flask.py --demo)')
    secret = secrets.token_urlsafe(32)
    with telepot_ng.Bot(token) as bot:
        app = create_app(bot, secret)
        bot.setWebhook(url, secret_token=secret)
        try:
            app.run(host='0.0.0.0', port=int(os.environ.get('PORT', '8080')))
        finally:
            bot.deleteWebhook()


def demo():
    import logging
    import urllib.request
    from werkzeug.serving import make_server
    from telepot_ng.testing import FakeTelegram

    logging.getLogger('werkzeug').setLevel(logging.WARNING)   # no line per request

    with FakeTelegram() as tg, telepot_ng.Bot(tg.token, base_url=tg.base_url) as bot:
        alice = tg.user('Alice')
        secret = secrets.token_urlsafe(32)
        server = make_server('127.0.0.1', 0, create_app(bot, secret), threaded=True)
        web = threading.Thread(target=server.serve_forever, name='werkzeug')
        web.start()
        site = 'http://127.0.0.1:%d' % server.server_port
        try:
            bot.setWebhook(site + '/hook', secret_token=secret)
            alice.says('hi Flask')
            assert alice.reply().text == 'Flask got your text.'
            alice.sends_photo()
            assert alice.reply().text == 'Flask got your photo.'
            with urllib.request.urlopen(site + '/') as page:        # the site still works
                assert page.read() == b'This web site is also a Telegram bot.'
            print(tg.transcript())
        finally:
            bot.deleteWebhook()
            server.shutdown()
            web.join()


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()
