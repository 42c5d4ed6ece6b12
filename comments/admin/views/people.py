"""
What a moderator does to a commenter (the "object" of these views is a `Commenter`, through
`CommenterAdmin`): ban or suspend them (`BanView`: a page without JavaScript, the queue's
dialog with it), lift a ban (`LiftView`), write a note (`NoteView`), set their trust
(`TrustView`). Each calls one service and answers through the base's `respond`.
"""

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from comments.admin import actions
from comments.admin.views.base import CommentView, is_fetch
from comments.models import Ban, Comment, Commenter, CommenterNetwork
from comments.readers.people import network_of
from comments.services import bans, commenters

BAN_FORM_TEMPLATE = "admin/comments/commenter/includes/ban_form.html"
BAN_PAGE_TEMPLATE = "admin/comments/commenter/ban.html"


class BanForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label="Ban", widget=forms.CheckboxSelectMultiple, choices=Ban.Scope.choices
    )
    duration = forms.ChoiceField(
        label="For",
        widget=forms.RadioSelect,
        choices=[(name, words) for name, (words, _) in bans.DURATIONS.items()],
        initial="week",
    )
    reason = forms.CharField(
        label="Reason (for moderators; never shown to the commenter)",
        max_length=500,
        required=False,
    )
    remove_pending = forms.BooleanField(required=False)
    network = forms.CharField(widget=forms.HiddenInput, required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class CommenterView(CommentView):
    """The base's answer to a request about one commenter, and where to go back to."""

    def back(self):
        """The page the moderator came from (`next`, of this site), else the commenter's."""
        request = self.request
        target = request.POST.get("next") or request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return reverse("admin:comments_commenter_change", args=[self.object.pk])


class BanView(CommenterView):
    """`<commenter>/ban/`: GET the form (a page; for the queue's script, its HTML in JSON),
    POST bans and, if asked, removes what they have pending, undone as one action."""

    http_method_names = ["get", "post"]

    def network(self):
        """The network to offer: the comment's the moderator looked at, else the latest."""
        comment_pk = self.request.GET.get("comment") or self.request.POST.get("comment")
        ip = None
        if comment_pk and str(comment_pk).isdigit():
            ip = Comment.objects.filter(pk=comment_pk).values_list("ip_address", flat=True).first()
        if ip:
            return network_of(ip)
        return self.object.network_label or bans.latest_network(self.object)

    def choices(self, network):
        """The scopes this commenter can be banned by, each saying what it bars and how many
        held comments it would remove."""
        commenter = self.object
        found = []
        if commenter.email:
            pending = len(bans.pending_for(commenter, [(Ban.Scope.EMAIL, commenter.email)]))
            found.append((Ban.Scope.EMAIL, f"the email {commenter.email}", pending, []))
        if network:
            pending = len(bans.pending_for(commenter, [(Ban.Scope.NETWORK, network)]))
            others = list(
                CommenterNetwork.objects.filter(network=network)
                .exclude(commenter=commenter)
                .values_list("commenter__key", flat=True)[:5]
            )
            others = [key.partition(":")[2] for key in others]
            found.append((Ban.Scope.NETWORK, f"the network {network}", pending, others))
        return found

    def get(self, request, object_id):
        network = self.network()
        choices = self.choices(network)
        # The email by default; the network too when other addresses wrote from it (a troll
        # under several names), or when there is no email.
        scopes = [
            scope
            for scope, _, _, others in choices
            if scope == Ban.Scope.EMAIL or others or len(choices) == 1
        ]
        initial = {
            "scopes": scopes,
            "duration": "week",
            "remove_pending": any(pending for _, _, pending, _ in choices),
            "network": network,
            "next": request.GET.get("next", ""),
        }
        return self.page(BanForm(initial=initial), choices, network)

    def post(self, request, object_id):
        form = BanForm(request.POST)
        network = request.POST.get("network") or self.network()
        if not form.is_valid():
            return self.page(form, self.choices(network), network, status=400)
        data = form.cleaned_data
        result = bans.ban_commenter(
            self.object,
            by=request.user,
            scopes=data["scopes"],
            duration=data["duration"],
            reason=data["reason"],
            remove_pending=data["remove_pending"],
            network=data["network"] or None,
        )
        if not result.bans:
            return self.respond("Nothing to ban by.", messages.WARNING, then=self.back())
        message = result.message
        undo = actions.remember_undo(request, result.steps, message)
        # The admin's log names no address (an erasure leaves it nothing to find).
        scopes = " and ".join(ban.get_scope_display().lower() for ban in result.bans)
        self.model_admin.log_change(request, self.object, f"Banned by {scopes}.")
        return self.respond(message, then=self.back(), undo=undo, counts=True)

    def page(self, form, choices, network, status=200):
        request = self.request
        form.fields["scopes"].choices = [(scope, label) for scope, label, _, _ in choices]
        context = {
            "commenter": self.object,
            "form": form,
            "choices": choices,
            "pending": max((pending for _, _, pending, _ in choices), default=0),
            "url": reverse("admin:comments_commenter_ban", args=[self.object.pk]),
        }
        if is_fetch(request):
            html = render_to_string(BAN_FORM_TEMPLATE, context, request=request)
            return JsonResponse({"html": html}, status=status)
        context = {
            **self.model_admin.admin_site.each_context(request),
            **context,
            "title": f"Ban {self.object}",
            "opts": self.model_admin.opts,
            "original": self.object,
        }
        return TemplateResponse(request, BAN_PAGE_TEMPLATE, context, status=status)


class LiftView(CommenterView):
    """`<commenter>/lift/<ban>/`: one click."""

    def get_object(self, object_id, ban_id):
        commenter = super().get_object(object_id)
        self.ban = Ban.objects.filter(pk=ban_id).first()
        return commenter if self.ban is not None else None

    def not_found(self, object_id, ban_id):
        return super().not_found(object_id)

    def post(self, request, object_id, ban_id):
        if commenters.lift_ban(self.ban, by=request.user):
            message = f"{str(self.ban).replace('Ban of', 'Lifted the ban of', 1)}."
            actions.log_lifted(self.model_admin, request, [self.ban])
            return self.respond(message, then=self.back())
        return self.respond("That ban had already ended.", messages.WARNING, then=self.back())


class NoteView(CommenterView):
    """`<commenter>/note/`: a moderator's note, with who and when."""

    def post(self, request, object_id):
        note = commenters.add_note(self.object, request.POST.get("text", ""), by=request.user)
        if note is None:
            return self.respond("The note was empty.", messages.WARNING, then=self.back())
        self.model_admin.log_change(request, self.object, "Added a note.")
        return self.respond("Note added.", then=self.back())


class TrustView(CommenterView):
    """`<commenter>/trust/`: trusted, always hold, or earned by approved comments."""

    def post(self, request, object_id):
        trust = request.POST.get("trust", "")
        if trust not in Commenter.Trust.values:
            return self.respond("Unknown trust level.", messages.ERROR, then=self.back())
        if not commenters.set_trust(self.object, trust, by=request.user):
            return self.respond("Nothing was changed.", messages.WARNING, then=self.back())
        message = f"Trust set: {Commenter.Trust(trust).label}."
        self.model_admin.log_change(request, self.object, message)
        return self.respond(message, then=self.back())
