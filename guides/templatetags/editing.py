from django import template

from ..work_queue import work_queue

register = template.Library()


@register.inclusion_tag("admin/guides/work_queue.html")
def editors_work_queue(user):
    return {"queue": work_queue(user)}
