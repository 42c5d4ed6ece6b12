# ruff: noqa: E501  (the seed texts are content: kept exact, one string each)
"""
The first seed article's 20 comments, threaded as on the seed page (a reply under 1 and 9).

The seed kept three names (amy_lofthotmail.com, Gwenivere, Tina Shute); the others are
plausible inventions. "Stephen" wrote comment 18: the seed's form reads "Leave a Reply to
Stephen" right under it. Texts are exact, paragraph breaks kept. Emails are never shown.
"""

from datetime import UTC, datetime

from django.db import transaction
from django.dispatch import receiver

from comments.models import Comment, CommentEvent
from comments.services.counts import refresh_article_counts
from comments.services.posting import create_comment
from fitness.articles.demo import records
from fitness.articles.models import Article
from fitness.articles.signals import demo_articles_loaded, demo_removing

ARTICLE_SLUG = "why-do-muscles-twitch-after-a-workout"
# Marks the demo rows (their user agent: cleared by retention, so not what loading keys on).
DEMO_MARKER = "fitness-demo"
# Who wrote each demo comment's first history line. History is append-only and no retention
# or erasure rewrites who acted: this is what says the demo is already loaded.
DEMO_ACTOR = "load_demo"
# What a person (a moderator's edit, an action) would change in a demo comment: kept if changed.
COMMENT_FIELDS = ("body", "author_name", "author_url", "status", "parent")


def demo_loaded(article) -> bool:
    """Were the demo comments ever added to `article` (whatever housekeeping scrubbed since)?"""
    return (
        CommentEvent.objects.filter(comment__article=article, actor_label=DEMO_ACTOR).exists()
        or Comment.objects.filter(article=article, user_agent=DEMO_MARKER).exists()
    )


# (seed number, or None for a reply; the seed number it replies to; name; created; text)
SEED_COMMENTS = [
    (
        1,
        None,
        "Jessica M.",
        datetime(2010, 3, 17, 8, 42, tzinfo=UTC),
        "This happens to me all the time but not when i do my strenious exercise (like running or arobics) but very basic easy exersises (like lesiurly walking). I do not understand why this is. Wouldn’t musels be more likely to twitch after a harder workout?",
    ),
    (
        None,
        1,
        "Derek Walsh",
        datetime(2010, 5, 4, 12, 31, tzinfo=UTC),
        "surprisingly, your muscles would twitch after walking more than running because walking builds more muscle in your legs. This correlates to a larger break down of the muscle fibers in your legs, and without a post workout supplement your muscles wont have enough resources to repair it right there, so they twitch due to a lack of proper signal communication when sending signals to contract and relax.",
    ),
    (
        2,
        None,
        "amy_lofthotmail.com",
        datetime(2010, 4, 2, 19, 15, tzinfo=UTC),
        "I was doing the Wii fit all day yesterday and when I was finished doing all the workouts my left cheek started to twitch, it was very weird and has never happened to me before so im just wondering if that is what its from? It was also doing it this morning when I woke up. Is it normal or does that mean something could be wrong, its just very strange that my cheek muscle would be twitching.",
    ),
    (
        3,
        None,
        "Mark Ellis",
        datetime(2010, 4, 3, 7, 30, tzinfo=UTC),
        "too much smiling.",
    ),
    (
        4,
        None,
        "Rachel",
        datetime(2010, 6, 21, 21, 4, tzinfo=UTC),
        "Same thing! I do intense biking and it doesn’t twitch. Just came home from a 2-2.5 mph hour walk and they’re twitching. Very strange. I think it could be linked to hydration… Don’t know.",
    ),
    (
        5,
        None,
        "Brian K.",
        datetime(2010, 8, 9, 18, 22, tzinfo=UTC),
        "Same thing for me too. I can run a mile or so at the gym with no twitches after, but just walked a trail at a slow pace and now both legs have twitching muscles.",
    ),
    (
        6,
        None,
        "Sam Porter",
        datetime(2010, 9, 30, 12, 10, tzinfo=UTC),
        "In short: these “doctors” don’t actually know what they are talking about.",
    ),
    (
        7,
        None,
        "Helen",
        datetime(2011, 5, 12, 13, 47, tzinfo=UTC),
        "And me too! Quite glad there are other people out there that suffer with it most after comparatively low-grade exercise! I can run for miles and not have any problems with ‘twitching’, yet I have just come back from a leisurely stroll on my lunch break and my legs are going mad!",
    ),
    (
        8,
        None,
        "Kevin",
        datetime(2011, 7, 4, 10, 1, tzinfo=UTC),
        "I agree! And I could not have said it any better! Keep up the good work my friend.",
    ),
    (
        9,
        None,
        "Lauren",
        datetime(2011, 8, 18, 20, 36, tzinfo=UTC),
        "I know! Isn’t it strange? I always get those twitches in my legs as soon as I slow down to walk after finishing my second mile run. And then I also get it when I do a cool down walk after running in place for about a half hour or so. Everytime I get those twitches I want to look it up online to see what it is. @amy_lofthotmail.com: that’s a muscle spasm that you were having on your cheek. I would get them in the weirdest places too at times after running, after sweating alot in particular. It means our body desires to take in electrolytes. I use soymilk to aid in the recovery process which helps a great deal. If you don’t like soymilk or are allergic, try maybe almond milk or drink Powerade everyday(the calorie free one works well for this and I like the taste of that one too). Powerade and soymilk seems to help make a speedy recovery that works faster than water probably because of the fortified minerals in it. Soymilk will also provide protein to heal the muscles. Hope this helps!:)",
    ),
    (
        None,
        9,
        "Priya",
        datetime(2011, 9, 2, 23, 18, tzinfo=UTC),
        "True. Yesterday I was running in my room for about 45 mins and the a/c was switched on. After a long exercise, I felt my waist was paining and the muscles under my knees was twitching that I cant move anymore. Till now it is present. Is that normal or my muscles are not having enough nutrients to continue its work?",
    ),
    (
        10,
        None,
        "Mike",
        datetime(2012, 1, 26, 16, 55, tzinfo=UTC),
        "Very entertaining post. I had really great time reading your post.. It encourage me more and learn lot of things. Thanks! 🙂",
    ),
    (
        11,
        None,
        "Gwenivere",
        datetime(2012, 5, 7, 11, 20, tzinfo=UTC),
        "Well, I lost the ability to walk 2 1/2 years ago. My leg muscles only twitch after I use a motorized bike.I know it is not caused my the myopathy in my legs because after excersize is the only time it twitches. THe muscles in my thigh.",
    ),
    (
        12,
        None,
        "Carla Diaz",
        datetime(2012, 10, 14, 9, 48, tzinfo=UTC),
        "I do not get the twitching after a hard run or bike ride, but same thing, if I do leg exercises on the ground with ankle weights it twitches, why?? I have worked out for years and for me this just started happening. I will try the extra hydration to see if that helps.",
    ),
    (
        13,
        None,
        "Nicole",
        datetime(2013, 4, 22, 22, 13, tzinfo=UTC),
        "I have always had the same “issue”: non-painful, light twitching all over the back up my upper hamstrings after a moderately-intense walk (let’s say about 2-3.5mi at maybe 3.5mph) but never after my regular, more strenuous workouts (e.g., step aerobics, running, or circuit training). I say “issue” because I never viewed the phenomenon as a problem. This is because–& we can call me naive later if we find out it’s warranted–I learned in my HIGH SCHOOL sophmore Health class (I am an MSW now) that muscle twitching (when resting or especially during sleep) is a normal function of good muscle tone. So, I always figured the twitching was my muscles “showing off” a little after more moderate effort. But, I suppose it could be hyponatremia, as I am not a big salt eater, & I do tend to drink a fair amount of water throughout the day. Again, however, this never happens with strenuous exercise & the same water-salt intake, & I tend to drink water to moderate-high taste levels rather than inordinate amounts. So, I am inclined to agree with casual assessments that the “experts” in this article may be missing something. And, I thought I would add my two cents in with a fairly reasoned counter rationale that might spark some alternative insight into the matter… 🙂",
    ),
    (
        14,
        None,
        "Dan Reyes",
        datetime(2013, 9, 3, 17, 5, tzinfo=UTC),
        "I do rigorous excercise because I am a Firefighter Paramedic and try to stay at the top of my game. I am 46 years old and run a mile daily. Three days ago I started Insanity! again for the second or third time. Last night, having super sore muscles, and having stretched and warmed nice and slow I had muscle twitching or spasms in my sleep. I had spasms before, but last night they were profound. It didnt interrupt my sleep either. I drink two to three bottles of water a day, take a supplement and a shake as well. Today I am noticing how great those muscles feel when i stretch and I always thought fine motor twitching was a good thing.",
    ),
    (
        15,
        None,
        "Jordan",
        datetime(2014, 2, 11, 15, 39, tzinfo=UTC),
        "I can do an hour long intense aerobic workout without twitching, but go on a mile long leisure walk and have twitches in my legs. Anyone have any answers?",
    ),
    (
        16,
        None,
        "Tina Shute",
        datetime(2014, 6, 30, 19, 58, tzinfo=UTC),
        "I started working out in a gym for the last three months. My routine is fairly rigorous and usually the same two to three days a week. The last couple months I have been getting fine muscle twitching from my knees down to my ankles that doesn’t go away. It is very disturbing and Iam very concerned if I need to see a doctor or not? Does soy milk work for electrolyte replenishment?",
    ),
    (
        17,
        None,
        "Marisol",
        datetime(2015, 1, 19, 8, 27, tzinfo=UTC),
        "I feel twitches in my muscles when exercising and on a diet. This may sound strange but the more I twitch when on a diet the more weight I seem to lose, and I feel a different kind of twitch when I am not on a diet and have eaten to much and putting on weight.I know it sounds weird.",
    ),
    (
        18,
        None,
        "Stephen",
        datetime(2015, 7, 7, 14, 2, tzinfo=UTC),
        "Personally I observe muscle twitching just now. They are small contractions locally in my calves and appear randomly in all places. I am not sure whether the motoric unis are firing based on nerve imput or whether they are depolarizing by themselves. It doesnt hurt and I even didnt notice it being it not for looking at my calves a bit too long. I just did some running, swimming and a sauna, nothing extreme.\n\nAfter sports I generally directly eat and drink and I take supplements, I do not diet.\n\nI can come up with two alternative simple explanations for twitching. The motorunits/neurons are still hypopolarized and are therefor firing at random or to squeeze the bloodvessels within ensuring circulation. Or the nervecells are actively firing the motorunits maybe to train them, forming new connections and destroying malfunctioning or suboptimal performing ones/combinations. they recently showed that in the brain connection formation and destruction is a very dynamic process and I would not see why the rest of the body would not act in the same way.",
    ),
]


def demo_email(name):
    local = "".join(c for c in name.lower().replace(" ", ".") if c.isalnum() or c == ".")
    return f"{local.strip('.') or 'reader'}@example.com"


@receiver(demo_articles_loaded, dispatch_uid="comments.services.demo")
def _demo_articles_loaded(sender=None, **kwargs):
    """`manage.py load_demo` made the articles: add their comments; returns what was done."""
    return list(load_demo_comments())


def load_demo_comments():
    """Add the seed comments to the first seed article once; yields what it did, line by line."""
    article = Article.objects.filter(slug=ARTICLE_SLUG).first()
    if article is None:
        yield f"No article {ARTICLE_SLUG!r}: no demo comments added."
        return
    if demo_loaded(article):
        yield f"Kept the demo comments on: {article.title}"
        return
    with transaction.atomic():
        by_number = {}
        for number, replies_to, name, created_at, text in SEED_COMMENTS:
            comment = Comment(
                article=article,
                parent=by_number.get(replies_to),
                author_name=name,
                author_email=demo_email(name),
                body=text,
                status_changed_at=created_at,
                created_at=created_at,
                user_agent=DEMO_MARKER,
            )
            create_comment(
                comment,
                status=Comment.Status.APPROVED,
                actor_label=DEMO_ACTOR,
                note="Demo content from the seed page.",
                announce=False,
            )
            records.record(comment, COMMENT_FIELDS)
            if number is not None:
                by_number[number] = comment
    yield f"Added {len(SEED_COMMENTS)} demo comments to: {article.title}"


@receiver(demo_removing, dispatch_uid="comments.services.demo.removing")
def _demo_removing(sender=None, articles=(), **kwargs):
    """`remove_demo`: delete the demo comments no person touched; an article that keeps a
    comment (a person's, or a demo comment a moderator changed or a person answered) is kept."""
    return remove_demo_comments(articles)


def remove_demo_comments(articles):
    demo = {comment.pk: comment for comment in records.recorded(Comment)}
    # The demo's articles, and any other a demo comment is on (one a person edited long ago).
    touched = {article.pk for article in articles} | {c.article_id for c in demo.values()}
    on_touched = Comment.objects.filter(article__in=touched)
    parents = dict(on_touched.values_list("pk", "parent_id"))
    people = [pk for pk in parents if pk not in demo]
    kept = {pk for pk, comment in demo.items() if not records.unchanged(comment, COMMENT_FIELDS)}
    for pk in people:  # a person's reply keeps the demo comments it answers
        parent = parents.get(pk)
        while parent is not None:
            if parent in demo:
                kept.add(parent)
            parent = parents.get(parent)
    Comment.objects.filter(pk__in=set(demo) - kept).delete()
    lines = [f"Removed {len(demo) - len(kept)} demo comments."]
    if kept:
        lines.append(
            f"Kept {len(kept)} demo comments: a moderator changed them or a person answered them."
        )
    if touched:  # the counts and thread versions of every article that lost comments
        refresh_article_counts(touched)
    by_people = {}
    for article_id in on_touched.filter(pk__in=people).values_list("article_id", flat=True):
        by_people[article_id] = by_people.get(article_id, 0) + 1
    keep = {}
    for article_id in set(on_touched.values_list("article_id", flat=True)):
        count = by_people.get(article_id, 0)
        keep[article_id] = (
            f"{count} comment{'' if count == 1 else 's'} by people answer it"
            if count
            else "demo comments a moderator changed are on it"
        )
    return {"lines": lines, "keep": keep}
