"""Messages kept for the next page (django.contrib.messages), their store opened only when a
view, a template or another middleware reaches for it.

Django's MessageMiddleware opens the store on every request: a reader of the signed cookie and
one of the session, about a twentieth of the article page's time, though the portal's cached
pages never show a message. A store never opened has nothing added and nothing read, so there is
nothing to write back either.
"""

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty


class LazyMessages(MessageMiddleware):
    def process_request(self, request) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        store = getattr(request, "_messages", None)
        if isinstance(store, SimpleLazyObject) and store._wrapped is empty:
            return response
        return super().process_response(request, response)
