"""
The email backend of `bench/chaos.py`: Django's in-memory backend, a little slow (as SMTP is),
so that a db_worker killed during the chaos run is usually in the middle of sending a notice.

    EMAIL_BACKEND=bench.chaos_mail.EmailBackend CHAOS_MAIL_SECONDS=0.05
"""

import os
import time

from django.core.mail.backends import locmem


class EmailBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        time.sleep(float(os.environ.get("CHAOS_MAIL_SECONDS", "0.05")))
        return super().send_messages(messages)
