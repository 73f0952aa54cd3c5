"""filebot.py: download the files users send, upload files back.

``bot.downloadFile(file_id, dest)`` fetches a file users sent (``dest``: a path, or any
binary file object such as ``io.BytesIO``); it streams, so big files never sit in memory.
To upload, pass a file where the Bot API takes one: an open binary file, ``bytes``, a
``pathlib.Path`` or a ``(filename, bytes)`` pair.  A ``file_id`` string re-sends a file
Telegram already has, without uploading it again.

    TELEGRAM_BOT_TOKEN=<token from @BotFather> python examples/filebot.py
    python examples/filebot.py --demo      # offline: a fake Telegram and a simulated user
"""
import contextlib
import hashlib
import io
import os
import pathlib
import sys
import tempfile

import telepot_ng


class FileBot(telepot_ng.Bot):
    def __init__(self, token, folder, **options):
        super().__init__(token, **options)
        self.folder = pathlib.Path(folder)          # where photos are saved

    def on_chat_message(self, msg):                 # Bot.handle routes chat messages here
        content_type, chat_type, chat_id = telepot_ng.glance(msg)
        if content_type == 'document':
            doc = msg['document']
            data = io.BytesIO()
            size = self.downloadFile(doc['file_id'], data)
            digest = hashlib.sha256(data.getvalue()).hexdigest()[:12]
            self.sendMessage(chat_id, '%s: %d bytes, sha256 %s...'
                             % (doc['file_name'], size, digest))
            self.sendChatAction(chat_id, 'upload_document')
            self.sendDocument(chat_id, ('UPPER-' + doc['file_name'], data.getvalue().upper()),
                              caption='The same, upper-cased.')
        elif content_type == 'photo':
            biggest = msg['photo'][-1]                  # sizes come smallest first
            path = self.folder / ('%s.jpg' % biggest['file_unique_id'])
            size = self.downloadFile(biggest['file_id'], str(path))
            self.sendMessage(chat_id, 'Saved %d bytes as %s.' % (size, path.name))
            self.sendPhoto(chat_id, biggest['file_id'], caption='Sent back by file_id.')
        else:
            self.sendMessage(chat_id, 'Send me a document or a photo.')


def main():
    token = os.environ.get('TELEGRAM_BOT_TOKEN') or sys.exit(
        'Set TELEGRAM_BOT_TOKEN (or try: python examples/filebot.py --demo)')
    folder = os.environ.get('FILEBOT_FOLDER', 'downloads')
    os.makedirs(folder, exist_ok=True)
    with FileBot(token, folder) as bot:
        print('Listening; photos go to %s/. Ctrl-C stops.' % folder)
        bot.notifyOnMessage(run_forever=True)


def demo():
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg, tempfile.TemporaryDirectory() as folder, \
            FileBot(tg.token, folder, base_url=tg.base_url) as bot:
        alice = tg.user('Alice')
        bot.notifyOnMessage()
        text, jpeg = b'shopping list\nmilk\neggs\n', b'\xff\xd8\xff\xe0 not really a jpeg'
        alice.sends_document(text, file_name='list.txt')
        report, upload = alice.replies(2)
        assert report.text == 'list.txt: %d bytes, sha256 %s...' % (
            len(text), hashlib.sha256(text).hexdigest()[:12]), report.text
        assert upload.result['document']['file_name'] == 'UPPER-list.txt'
        assert tg.file_bytes(upload.result['document']['file_id']) == b'SHOPPING LIST\nMILK\nEGGS\n'

        photo = alice.sends_photo(jpeg, caption='my cat')
        saved, resent = alice.replies(2)
        biggest = photo['photo'][-1]
        name = biggest['file_unique_id'] + '.jpg'
        assert saved.text == 'Saved %d bytes as %s.' % (len(jpeg), name), saved.text
        assert (pathlib.Path(folder) / name).read_bytes() == jpeg
        assert resent.params['photo'] == biggest['file_id'] and not resent.files  # no upload
        print(tg.transcript())


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()
