"""A local SMTP server that accepts everything and appends one line per recipient to a file.

The file is the ground truth of the mail benchmarks and of the fault script: counting lines
per address says who got how many copies, whatever the portal's own records claim.
"""

import argparse
import signal
import threading

from aiosmtpd.controller import Controller


class AppendRecipients:
    def __init__(self, path: str):
        self.handle = open(path, "a", buffering=1)  # noqa: SIM115 - open for the life of the server

    async def handle_DATA(self, server, session, envelope):
        for recipient in envelope.rcpt_tos:
            self.handle.write(recipient.lower() + "\n")
        return "250 Message accepted"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    controller = Controller(AppendRecipients(args.log), hostname="127.0.0.1", port=args.port, server_hostname="sink")
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
