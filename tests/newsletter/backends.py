"""E-mail backends that fail on purpose, to test what the newsletter does when SMTP does."""

import smtplib

from django.core.mail.backends import locmem


class FlakyBackend(locmem.EmailBackend):
    """Hands messages to mail.outbox like locmem, but refuses ``refuse`` addresses (550) and
    drops the connection once ``fail_after`` messages went through."""

    refuse: set = set()
    fail_after: int | None = None
    handed_over = 0
    opened = 0

    def open(self):
        type(self).opened += 1
        return True

    def send_messages(self, messages):
        cls = type(self)
        for message in messages:
            if message.to[0] in cls.refuse:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 No such mailbox")})
            if cls.fail_after is not None and cls.handed_over >= cls.fail_after:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            cls.handed_over += 1
        return super().send_messages(messages)

    @classmethod
    def reset(cls):
        cls.refuse, cls.fail_after, cls.handed_over, cls.opened = set(), None, 0, 0
