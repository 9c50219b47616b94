"""The staff's support desk in Django admin: the triage list, bulk actions, and the ticket page
with its conversation, reply box and audit trail.

An agent sees only the tickets ``selectors.tickets_handled`` gives them (their teams' and those
assigned to them; a supervisor all): every list, action, page and endpoint here starts from
``get_queryset``. Every change goes through ``tickets.services``, which records it as an Event.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from parler.admin import TranslatableAdmin

from core.paginator import EstimatedCountPaginator
from tickets import selectors, services
from tickets.admin_forms import (
    AgentChoiceField,
    AssignForm,
    CannedPickForm,
    MergeForm,
    PriorityForm,
    StatusForm,
    TicketAdminForm,
)
from tickets.forms import UpdatesForm
from tickets.models import (
    CannedResponse,
    Category,
    ClassificationRule,
    SLAPolicy,
    SupportTeam,
    Tag,
    Ticket,
)

AGENTS_PER_PAGE = 20
TICKETS_SHOWN_ON_ACTION_PAGE = 20
SLA_LABELS = {"paused": _("paused"), "breached": _("breached"), "met": _("met")}


def _duration(delta: timedelta) -> str:
    """A short, rounded-down duration: "5 min", "3 h", "2 d"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return ngettext("%(count)d min", "%(count)d min", minutes) % {"count": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(count)d h", "%(count)d h", hours) % {"count": hours}
    return ngettext("%(count)d d", "%(count)d d", hours // 24) % {"count": hours // 24}


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _pill(kind: str, value: str, label) -> str:
    return format_html('<span class="tk-pill tk-{}-{}">{}</span>', kind, value, label)


def _change_link(ticket: Ticket) -> str:
    return format_html('<a href="{}">{}</a>', reverse("admin:tickets_ticket_change",
                                                      args=[ticket.pk]), ticket.reference)


def _post_button(url: str, label) -> str:
    """A button of the ticket page that posts (with its CSRF token) to one of our endpoints
    instead of saving the form."""
    return format_html('<button type="submit" class="button tk-inline-button" formaction="{}" '
                       'formnovalidate>{}</button>', url, label)


def _category_names(request) -> dict[int, str]:
    """The categories' names in the request's language, in their order, read once per request:
    the category filter wants them, and so does the category column, which Django builds twice
    (for the columns, then for the sortable ones)."""
    if not hasattr(request, "_ticket_category_names"):
        request._ticket_category_names = {category.pk: str(category)
                                          for category in selectors.categories()}
    return request._ticket_category_names


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", _("Assigned to me")), ("unassigned", _("Unassigned")),
                ("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(assignee=request.user)
        if self.value() == "unassigned":
            return queryset.filter(assignee__isnull=True)
        if self.value() == "overdue":
            return selectors.tickets_overdue(tickets=queryset)
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    """Categories by their translated names, read with the translations in two queries (the
    default filter would ask once per category)."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in _category_names(request).items()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.value() not in dict(self.lookup_choices):
            raise IncorrectLookupParameters  # the list comes back with "?e=1"
        return queryset.filter(category_id=self.value())


class AgentAutocomplete(AutocompleteSelect):
    """The assignee picker. Django's own autocomplete wants the right to view user accounts,
    which agents have no need of: this one asks the ticket admin's ``agents/`` endpoint."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:tickets_ticket_agents")


def _set_field_action(field: str, form_class, choices, *, description, title, done):
    """A bulk action setting ``field`` of the selected tickets to the value chosen on an
    intermediate page (``form_class``); ``done``: the plural-aware message, with %(count)d
    and %(value)s."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        def apply(data):
            count = services.tickets_bulk_change(tickets=queryset, actor=request.user,
                                                 **{field: data[field]})
            modeladmin.message_user(request, done % {
                "count": count, "value": choices(data[field]).label}, messages.SUCCESS)

        return modeladmin._with_choice(request, queryset,
                                       form=form_class(modeladmin._choice_data(request)),
                                       title=title, apply=apply)

    action.__name__ = f"set_{field}"
    return action


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    form = TicketAdminForm
    list_display = ("reference", "subject", "requester_name", "category", "priority_pill",
                    "status_pill", "assignee_name", "age", "sla", "channel")
    list_display_links = ("reference", "subject")
    list_filter = (QueueFilter, "status", "priority", CategoryFilter, "channel", "language",
                   "team")
    list_select_related = ("requester", "assignee")
    list_per_page = 100
    ordering = ("-created_at",)
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a count per filter choice: too slow on a big desk
    search_fields = ("subject",)  # shows the box; get_search_results does the searching
    search_help_text = _("A reference (T-000123), or words from the subject, the requester’s "
                         "email or username, or the messages.")
    autocomplete_fields = ("team", "tags")
    fieldsets = (
        (None, {"fields": ("subject", "status", "priority", "category", "team", "assignee",
                           "tags", "suggestion")}),
        (_("Customer"), {"fields": ("requester_card", "channel", "language", "created_at",
                                    "last_customer_reply_at")}),
        (_("Service level"), {"fields": (
            "sla_state", "first_response_due", "first_response_at", "resolution_due",
            "resolved_at", "sla_paused_at", "first_response_breached_at",
            "resolution_breached_at")}),
        (_("Outcome"), {"fields": ("csat", "merges", "feedback")}),
    )
    readonly_fields = ("suggestion", "requester_card", "channel", "language", "created_at",
                       "last_customer_reply_at", "sla_state", "first_response_due",
                       "first_response_at", "resolution_due", "resolved_at", "sla_paused_at",
                       "first_response_breached_at", "resolution_breached_at", "csat",
                       "merges", "feedback")
    actions = ("assign_to_me", "assign_to", "set_priority", "set_status", "merge_into",
               "send_to_feedback", "accept_suggestion")

    class Media:
        css = {"all": ("css/tickets_admin.css",)}
        js = ("js/tickets_admin.js",)

    # --- Who sees what ---------------------------------------------------------------------

    def get_queryset(self, request):
        return selectors.tickets_handled(user=request.user)

    def get_object(self, request, object_id, from_field=None):
        """Another team's ticket is a 404, as if it did not exist (the admin would otherwise
        redirect with a message)."""
        ticket = super().get_object(request, object_id, from_field)
        if ticket is None:
            raise Http404
        return ticket

    def has_add_permission(self, request):
        return False  # customers open tickets on the portal

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail outlives a ticket's handling

    def get_search_results(self, request, queryset, search_term):
        return selectors.tickets_search(tickets=queryset, text=search_term), False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs.update(widget=AgentAutocomplete(db_field, self.admin_site),
                          queryset=selectors.agents(), form_class=AgentChoiceField)
        elif db_field.name == "category":
            kwargs["queryset"] = selectors.categories()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- The list ---------------------------------------------------------------------------

    def get_list_display(self, request):
        """The category column names the few categories from one read per page: through
        parler, each row would look its translation up (and write it to the cache) itself."""
        names = _category_names(request)

        @admin.display(description=_("category"), ordering="category")
        def category(ticket):
            return names.get(ticket.category_id, "—")

        return [category if field == "category" else field for field in self.list_display]

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, ticket):
        return ticket.reference

    @admin.display(description=_("requester"), ordering="requester__username")
    def requester_name(self, ticket):
        return ticket.requester.name

    @admin.display(description=_("priority"), ordering="priority")
    def priority_pill(self, ticket):
        return _pill("priority", ticket.priority, ticket.get_priority_display())

    @admin.display(description=_("status"), ordering="status")
    def status_pill(self, ticket):
        return _pill("status", ticket.status, ticket.get_status_display())

    @admin.display(description=_("assignee"), ordering="assignee__username")
    def assignee_name(self, ticket):
        return ticket.assignee.name if ticket.assignee else "—"

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, ticket):
        return format_html('<span title="{}">{}</span>', _when(ticket.created_at),
                           _duration(timezone.now() - ticket.created_at))

    @admin.display(description=_("SLA due"))
    def sla(self, ticket):
        """The next deadline, red once passed; "paused" while waiting on the customer; for a
        finished ticket (whose clock stops too) whether its deadlines were met."""
        now = timezone.now()
        sla = selectors.ticket_sla_state(ticket, now=now)
        if sla.state == "overdue":
            text = gettext("%(duration)s overdue") % {"duration": _duration(now - sla.due)}
            return format_html('<span class="tk-pill tk-sla-overdue" title="{}">{}</span>',
                               _when(sla.due), text)
        if sla.state == "due":
            return format_html('<span class="tk-sla-due" title="{}">{}</span>', _when(sla.due),
                               gettext("in %(duration)s") % {"duration": _duration(sla.due - now)})
        if sla.state:
            return _pill("sla", sla.state, SLA_LABELS[sla.state])
        return "—"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, extra_context={
            **(extra_context or {}), "waiting_chats": selectors.waiting_chats(user=request.user)})

    def waiting_chats_view(self, request):
        """The live-chat box of the list, refreshed by the page every few seconds."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        chats = list(selectors.waiting_chats(user=request.user))
        html = render_to_string("admin/tickets/ticket/waiting_chats_list.html",
                                {"waiting_chats": chats}, request)
        return JsonResponse({"count": len(chats), "html": html})

    # --- The ticket page ------------------------------------------------------------------

    @admin.display(description=_("suggested"))
    def suggestion(self, ticket):
        suggested = [str(value) for value in (ticket.suggested_category,
                                              ticket.get_suggested_priority_display()) if value]
        if not suggested:
            return _("No classification rule matched.")
        button = _post_button(
            reverse("admin:tickets_ticket_accept_suggestion", args=[ticket.pk]),
            _("Accept suggestion")) if selectors.suggestion_pending(ticket) else ""
        return format_html('{} <span class="tk-muted">{}</span> {}', " · ".join(suggested),
                           gettext("rule “%(pattern)s”") % {
                               "pattern": ticket.classification_pattern}, button)

    @admin.display(description=_("requester"))
    def requester_card(self, ticket):
        requester = ticket.requester
        return format_html('<strong>{}</strong> @{} · <a href="mailto:{}">{}</a>',
                           requester.name, requester.username, requester.email,
                           requester.email)

    @admin.display(description=_("SLA"))
    def sla_state(self, ticket):
        return self.sla(ticket)

    @admin.display(description=_("satisfaction"))
    def csat(self, ticket):
        if ticket.csat_score is None:
            return _("Not rated yet.")
        stars = "★" * ticket.csat_score + "☆" * (5 - ticket.csat_score)
        return format_html('<span class="tk-stars" title="{}/5">{}</span> {}', ticket.csat_score,
                           stars, ticket.csat_comment)

    @admin.display(description=_("merges"))
    def merges(self, ticket):
        if ticket.merged_into_id:
            return format_html(gettext("Merged into {}"), _change_link(ticket.merged_into))
        merged = list(ticket.merged_tickets.order_by("pk"))
        if merged:
            return format_html(gettext("{} merged into this ticket"), format_html_join(
                ", ", "{}", ((_change_link(source),) for source in merged)))
        return "—"

    @admin.display(description=_("feedback item"))
    def feedback(self, ticket):
        if ticket.feedback_ref:
            return format_html('<a href="{}">{}</a>', reverse(
                "admin:feedback_feedbackitem_change", args=[ticket.feedback_ref]),
                gettext("Feedback item #%(id)s") % {"id": ticket.feedback_ref})
        return _post_button(reverse("admin:tickets_ticket_send_to_feedback", args=[ticket.pk]),
                            _("Send to feedback"))

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        if obj is not None:
            context.update(
                conversation=selectors.ticket_messages(user=request.user, ticket=obj),
                events=selectors.ticket_timeline(ticket=obj, public_only=False),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """The reply first (written while the agent still handles the ticket, before they
        may hand it to another team), then the changed fields, each recorded in the audit
        trail by ``ticket_change``."""
        self._reply(request, form)
        services.ticket_change(ticket=obj, actor=request.user, **form.ticket_changes())

    def save_related(self, request, form, formsets, change):
        """Nothing left: ``ticket_change`` has set the tags."""

    def _reply(self, request, form) -> None:
        """The reply box: a reply or an internal note. With JavaScript the chosen canned
        response is already in the text; without, an empty reply sends it as it is."""
        data = form.cleaned_data
        body = data["reply"].strip()
        if not body and data["canned"]:
            body = services.canned_response_render(canned=data["canned"], ticket=form.instance,
                                                   agent=request.user)
        if not body and not data["attachments"]:
            return
        try:
            services.message_post(ticket=form.instance, author=request.user, body=body,
                                  internal=data["internal"], files=data["attachments"])
        except ValidationError as exc:
            self.message_user(request, exc.messages[0], messages.ERROR)
            return
        self.message_user(request, _("Internal note added.") if data["internal"]
                          else _("Reply sent to the customer."), messages.SUCCESS)

    def response_change(self, request, obj):
        """A ticket handed to a team the agent is not in leaves their list: back to the list
        then, rather than to a page that is now a 404."""
        if not self.get_queryset(request).filter(pk=obj.pk).exists():
            self.message_user(request, gettext(
                "%(reference)s was saved and is now handled by another team.")
                % {"reference": obj.reference}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:tickets_ticket_changelist"))
        return super().response_change(request, obj)

    def _ticket(self, request, object_id, *, change: bool) -> Ticket:
        """The ticket of an endpoint below: 404 unless ``request.user`` handles it."""
        ticket = self.get_object(request, unquote(object_id))
        allowed = self.has_change_permission(request, ticket) if change \
            else self.has_view_permission(request, ticket)
        if not allowed:
            raise PermissionDenied
        return ticket

    def canned_view(self, request, object_id):
        """``?canned=<id>``: that response's text filled in for this ticket, for the reply
        box."""
        ticket = self._ticket(request, object_id, change=True)
        form = CannedPickForm(request.GET)
        if not form.is_valid():
            return JsonResponse({"error": form.errors["canned"][0]}, status=400)
        return JsonResponse({"text": services.canned_response_render(
            canned=form.cleaned_data["canned"], ticket=ticket, agent=request.user)})

    def messages_view(self, request, object_id):
        """``?after=<id>``: the messages newer than those the page shows."""
        ticket = self._ticket(request, object_id, change=False)
        try:
            after = UpdatesForm(request.GET).after_id()
        except ValidationError as exc:
            return JsonResponse({"error": exc.messages[0]}, status=400)
        conversation = list(selectors.ticket_messages(user=request.user, ticket=ticket,
                                                      after_id=after))
        html = render_to_string("admin/tickets/ticket/messages.html",
                                {"conversation": conversation, "original": ticket,
                                 "partial": True}, request)
        return JsonResponse({"html": html.strip(),
                             "last_id": conversation[-1].pk if conversation else after})

    def _ticket_page(self, ticket: Ticket) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    def accept_suggestion_view(self, request, object_id):
        ticket = self._ticket(request, object_id, change=True)
        if not selectors.suggestion_pending(ticket):
            self.message_user(request, _("This ticket has no suggestion to accept."),
                              messages.WARNING)
        else:
            services.ticket_accept_suggestion(ticket=ticket, actor=request.user)
            self.message_user(request, _("Suggestion accepted."), messages.SUCCESS)
        return self._ticket_page(ticket)

    def send_to_feedback_view(self, request, object_id):
        ticket = self._ticket(request, object_id, change=True)
        try:
            ref = services.ticket_send_to_feedback(ticket=ticket, actor=request.user)
        except ValidationError as exc:
            self.message_user(request, exc.messages[0], messages.ERROR)
        else:
            self.message_user(request, gettext("Sent to feedback as item #%(id)s.")
                              % {"id": ref}, messages.SUCCESS)
        return self._ticket_page(ticket)

    def agents_view(self, request):
        """The assignee picker's choices, in the format of Django's autocomplete."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        found = list(selectors.agents(text=request.GET.get("term", ""))[:AGENTS_PER_PAGE + 1])
        field = AgentChoiceField(queryset=None)
        return JsonResponse({
            "results": [{"id": str(agent.pk), "text": field.label_from_instance(agent)}
                        for agent in found[:AGENTS_PER_PAGE]],
            "pagination": {"more": len(found) > AGENTS_PER_PAGE},
        })

    def get_urls(self):
        def route(suffix: str, view, name: str):
            return path(suffix, self.admin_site.admin_view(view), name=f"tickets_ticket_{name}")

        return [
            route("waiting-chats/", self.waiting_chats_view, "waiting_chats"),
            route("agents/", self.agents_view, "agents"),
            route("<path:object_id>/canned/", self.canned_view, "canned"),
            route("<path:object_id>/messages/", self.messages_view, "messages"),
            route("<path:object_id>/accept-suggestion/",
                  require_POST(self.accept_suggestion_view), "accept_suggestion"),
            route("<path:object_id>/send-to-feedback/",
                  require_POST(self.send_to_feedback_view), "send_to_feedback"),
            *super().get_urls(),
        ]

    # --- Bulk actions -----------------------------------------------------------------------

    def _with_choice(self, request, queryset, *, form, title, apply):
        """An action that needs a choice: the first post shows ``form`` on an intermediate
        page; posted back valid, ``apply(cleaned_data)`` runs and the list comes back. A
        ValidationError from a service shows on that page (the services change nothing
        then)."""
        if form.is_bound and form.is_valid():
            try:
                apply(form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return None
        shown = list(queryset.select_related("requester")[:TICKETS_SHOWN_ON_ACTION_PAGE + 1])
        return TemplateResponse(request, "admin/tickets/ticket/action_form.html", {
            **self.admin_site.each_context(request),
            "title": title, "opts": self.opts, "form": form, "media": self.media + form.media,
            "action": request.POST.get("action", ""),
            "select_across": request.POST.get("select_across", "0"),
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "tickets": shown[:TICKETS_SHOWN_ON_ACTION_PAGE],
            "more": len(shown) > TICKETS_SHOWN_ON_ACTION_PAGE,
        })

    @staticmethod
    def _choice_data(request):
        """The intermediate page's answer, or None on the action's first post."""
        return request.POST if "apply" in request.POST else None

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        count = services.tickets_assign(tickets=queryset, assignee=request.user,
                                        actor=request.user)
        self.message_user(request, ngettext("%(count)d ticket assigned to you.",
                                            "%(count)d tickets assigned to you.", count)
                          % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Assign to…"), permissions=["change"])
    def assign_to(self, request, queryset):
        def apply(data):
            count = services.tickets_assign(tickets=queryset, assignee=data["assignee"],
                                            actor=request.user)
            self.message_user(request, ngettext(
                "%(count)d ticket assigned to %(agent)s.",
                "%(count)d tickets assigned to %(agent)s.", count)
                % {"count": count, "agent": data["assignee"].name}, messages.SUCCESS)

        return self._with_choice(request, queryset, form=AssignForm(self._choice_data(request)),
                                 title=_("Assign tickets to an agent"), apply=apply)

    set_priority = _set_field_action(
        "priority", PriorityForm, Ticket.Priority, description=_("Set priority…"),
        title=_("Set the priority of tickets"), done=ngettext_lazy(
            "Priority set to “%(value)s” on %(count)d ticket.",
            "Priority set to “%(value)s” on %(count)d tickets.", "count"))
    set_status = _set_field_action(
        "status", StatusForm, Ticket.Status, description=_("Set status…"),
        title=_("Set the status of tickets"), done=ngettext_lazy(
            "Status set to “%(value)s” on %(count)d ticket.",
            "Status set to “%(value)s” on %(count)d tickets.", "count"))

    @admin.action(description=_("Merge into…"), permissions=["change"])
    def merge_into(self, request, queryset):
        def apply(data):
            target = data["target"]
            count = services.tickets_merge(tickets=queryset, target=target, actor=request.user)
            self.message_user(request, ngettext(
                "%(count)d ticket merged into %(reference)s.",
                "%(count)d tickets merged into %(reference)s.", count)
                % {"count": count, "reference": target.reference}, messages.SUCCESS)

        form = MergeForm(self._choice_data(request), tickets=self.get_queryset(request))
        return self._with_choice(request, queryset, form=form,
                                 title=_("Merge tickets into another"), apply=apply)

    @admin.action(description=_("Send to feedback"), permissions=["change"])
    def send_to_feedback(self, request, queryset):
        sent = services.tickets_send_to_feedback(tickets=queryset, actor=request.user)
        self.message_user(request, ngettext(
            "%(count)d ticket sent to feedback.", "%(count)d tickets sent to feedback.", sent)
            % {"count": sent}, messages.SUCCESS)

    @admin.action(description=_("Accept the suggested category and priority"),
                  permissions=["change"])
    def accept_suggestion(self, request, queryset):
        accepted = services.tickets_accept_suggestion(tickets=queryset, actor=request.user)
        self.message_user(request, ngettext(
            "Suggestion accepted on %(count)d ticket.",
            "Suggestion accepted on %(count)d tickets.", accepted)
            % {"count": accepted}, messages.SUCCESS)


# --- The desk's settings ---------------------------------------------------------------------

@admin.register(Category)
class CategoryAdmin(TranslatableAdmin):
    list_display = ("__str__", "slug", "position", "team")
    list_editable = ("position",)
    list_select_related = ("team",)
    search_fields = ("slug", "translations__name")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(CannedResponse)
class CannedResponseAdmin(TranslatableAdmin):
    list_display = ("__str__", "slug")
    search_fields = ("slug", "translations__title", "translations__body")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(SupportTeam)
class SupportTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_default", "agent_count")
    search_fields = ("name", "slug")
    filter_horizontal = ("members",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(agent_count=Count("members"))

    @admin.display(description=_("agents"), ordering="agent_count")
    def agent_count(self, team):
        return team.agent_count


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "first_response_minutes", "resolution_minutes")
    list_editable = ("first_response_minutes", "resolution_minutes")


@admin.register(ClassificationRule)
class ClassificationRuleAdmin(admin.ModelAdmin):
    list_display = ("pattern", "position", "kind", "category", "priority")
    list_display_links = ("pattern",)
    list_editable = ("position",)
    list_filter = ("kind", "priority")
    list_select_related = ("category",)
    search_fields = ("pattern",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("category__translations")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = selectors.categories()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)  # the ticket page picks tags by autocomplete
