from django.urls import path, re_path

from .consumers import NotificationsConsumer, UnknownPathConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationsConsumer.as_asgi()),
]

#: After every other route (config/websockets.py): any path they do not match.
unknown_path_patterns = [
    re_path(r"^", UnknownPathConsumer.as_asgi()),
]
