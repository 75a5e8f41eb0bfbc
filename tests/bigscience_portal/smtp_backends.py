"""An e-mail backend that answers what a test tells it to, like an SMTP server would."""

from django.core.mail.backends import locmem


class ScriptedBackend(locmem.EmailBackend):
    """``on_open``: raised when the connection opens; ``answers[address]``: raised when sending to it."""

    on_open: BaseException | None = None
    answers: dict = {}
    opened = 0

    def open(self):
        type(self).opened += 1
        if type(self).on_open is not None:
            raise type(self).on_open
        return True

    def send_messages(self, messages):
        for message in messages:
            answer = type(self).answers.get(message.to[0])
            if answer is not None:
                raise answer
        return super().send_messages(messages)

    @classmethod
    def reset(cls):
        cls.on_open, cls.answers, cls.opened = None, {}, 0
