"""chatbox.py: a Monitor that sees every visitor's message, beside one handler per visitor.

Visitors write to the bot privately.  Each visitor gets a ``Visitor`` (a UserHandler: one
per user, in its own thread) that greets them once per visit.  A single ``Recorder`` (a
Monitor: it captures whatever its criteria say and never times out) files every visitor's
message, in order, and tells the owner, who reads them with /read.

    TELEGRAM_BOT_TOKEN=<token> CHATBOX_OWNER_ID=<your user id> python examples/chatbox.py
    python examples/chatbox.py --demo      # offline: a fake Telegram and simulated users
"""
import contextlib
import os
import sys
import threading

import telepot_ng
from telepot_ng.delegate import create_open, per_chat_id_in
from telepot_ng.helper import ChatHandler, Monitor, UserHandler


class Mailbox:
    """Unread messages, shared by the handlers' threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._unread = []

    def add(self, name, text):
        with self._lock:
            self._unread.append((name, text))
            return len(self._unread)

    def take(self):
        with self._lock:
            unread, self._unread = self._unread, []
            return unread


def visitor_of(owner_id):
    """A seed function: the user id of anyone but the owner writing to the bot privately."""
    def visitor(msg):
        chat = msg.get('chat') or {}
        if chat.get('type') == 'private' and chat.get('id') != owner_id:
            return chat['id']
        return None
    return visitor


class Recorder(Monitor):
    def __init__(self, seed_tuple, mailbox, owner_id, visitor):
        super().__init__(seed_tuple, capture=[{'_': visitor}])   # every visitor message
        self.mailbox, self.owner_id = mailbox, owner_id

    def on_message(self, msg):
        content_type, chat_type, chat_id = telepot_ng.glance(msg)
        name = msg['from']['first_name']
        unread = self.mailbox.add(name, msg.get('text', '[%s]' % content_type))
        self.bot.sendMessage(self.owner_id, '%s left a message (%d unread). /read' % (name, unread))


class Visitor(UserHandler):
    def open(self, initial_msg, seed):
        self.sender.sendMessage('Hi %s! Leave your message; the owner will read it.'
                                % initial_msg['from']['first_name'])
        return True                       # that answers the first message too

    def on_message(self, msg):
        self.sender.sendMessage('Noted.')


class Owner(ChatHandler):
    def __init__(self, seed_tuple, mailbox, timeout):
        super().__init__(seed_tuple, timeout)
        self.mailbox = mailbox

    def on_message(self, msg):
        if msg.get('text') != '/read':
            self.sender.sendMessage('Send /read to read your messages.')
            return
        unread = self.mailbox.take()
        for name, text in unread:
            self.sender.sendMessage('%s: %s' % (name, text))
        if not unread:
            self.sender.sendMessage('No new messages.')


def make_bot(token, owner_id, **options):
    mailbox = Mailbox()
    visitor = visitor_of(owner_id)
    return telepot_ng.DelegatorBot(token, [
        # seed 'mailbox' for every visitor message: exactly one Recorder, for the bot's life
        (lambda msg: 'mailbox' if visitor(msg) else None,
         create_open(Recorder, mailbox, owner_id, visitor)),
        (visitor, create_open(Visitor, timeout=600)),
        (per_chat_id_in([owner_id]), create_open(Owner, mailbox, timeout=600)),
    ], **options)


def main():
    token = os.environ.get('TELEGRAM_BOT_TOKEN')
    owner = os.environ.get('CHATBOX_OWNER_ID')
    if not (token and owner):
        sys.exit('Set TELEGRAM_BOT_TOKEN and CHATBOX_OWNER_ID '
                 '(or try: python examples/chatbox.py --demo)')
    with make_bot(token, int(owner)) as bot:
        print('Listening; Ctrl-C stops.')
        bot.notifyOnMessage(run_forever=True)


def demo():
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg:
        owner, alice, bob = tg.user('Olga'), tg.user('Alice'), tg.user('Bob')
        with make_bot(tg.token, owner.id, base_url=tg.base_url) as bot:
            bot.notifyOnMessage()
            for user, text in [(alice, 'Hello, are you there?'), (bob, 'Call me back'),
                               (alice, 'It is about Friday')]:
                mark = tg.mark()
                user.says(text)
                user.reply()                                   # greeted, or 'Noted.'
                tg.wait_for_sent(chat_id=owner, since=mark)    # the owner is told
            owner.says('/read')
            assert [c.text for c in owner.replies(3)] == [
                'Alice: Hello, are you there?', 'Bob: Call me back', 'Alice: It is about Friday']
            owner.says('/read')
            assert owner.reply().text == 'No new messages.'
            print(tg.transcript())


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()
