"""
The comments app's data, one module per model; Django and every caller import them from here.

    comment          Comment (and its QuerySet, `path_segment`): a comment and its thread place
    comment_event    CommentEvent: a comment's append-only history
    screening_word   ScreeningWord: the words that hold or refuse comments
    akismet_report   AkismetReport: a moderator's correction sent to Akismet
    notification     Notification: one email about one comment, sent once
    reply_address    ReplyAddress: an address that asked for reply emails (double opt-in)
"""

from comments.models.akismet_report import AkismetReport
from comments.models.comment import PATH_SEGMENT_WIDTH, Comment, CommentQuerySet, path_segment
from comments.models.comment_event import CommentEvent, CommentEventManager
from comments.models.notification import Notification
from comments.models.reply_address import ReplyAddress, ReplyAddressQuerySet
from comments.models.screening_word import ScreeningWord

__all__ = [
    "PATH_SEGMENT_WIDTH",
    "AkismetReport",
    "Comment",
    "CommentEvent",
    "CommentEventManager",
    "CommentQuerySet",
    "Notification",
    "ReplyAddress",
    "ReplyAddressQuerySet",
    "ScreeningWord",
    "path_segment",
]
