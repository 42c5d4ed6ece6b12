"""
The comments app's data, one module per kind of thing; every name is exported here, so
`comments.models.X` (the migrations' references included) stays where it was.

    comments         Comment (its QuerySet, `path_segment`): a comment and its place in a thread
    history          CommentEvent: a comment's append-only history
    insights         DailyFigure: the moderation insights' daily rollup
    screening_words  ScreeningWord: the words that hold or refuse comments
    akismet_reports  AkismetReport: a moderator's correction sent to Akismet
    reactions        HelpfulMark: a reader found a comment helpful (one per reader per comment)
    commenters       Commenter (the person behind comments), CommenterNetwork, CommenterNote,
                     Ban (an email or a network barred, by a salted hash)
    reports          CommentReport: a reader's report on a comment, and its decision
    emails           Notification (one email about one comment, sent once) and ReplyAddress (an
                     address that asked for reply emails: the double opt-in)
"""

from comments.models.akismet_reports import AkismetReport
from comments.models.commenters import Ban, Commenter, CommenterNetwork, CommenterNote
from comments.models.comments import PATH_SEGMENT_WIDTH, Comment, CommentQuerySet, path_segment
from comments.models.emails import Notification, ReplyAddress, ReplyAddressQuerySet
from comments.models.history import CommentEvent, CommentEventManager
from comments.models.insights import DailyFigure
from comments.models.reactions import HelpfulMark
from comments.models.reports import CommentReport, CommentReportQuerySet
from comments.models.screening_words import ScreeningWord

__all__ = [
    "PATH_SEGMENT_WIDTH",
    "AkismetReport",
    "Ban",
    "Comment",
    "CommentEvent",
    "CommentEventManager",
    "CommentQuerySet",
    "CommentReport",
    "CommentReportQuerySet",
    "Commenter",
    "CommenterNetwork",
    "CommenterNote",
    "DailyFigure",
    "HelpfulMark",
    "Notification",
    "ReplyAddress",
    "ReplyAddressQuerySet",
    "ScreeningWord",
    "path_segment",
]
