from django.conf import settings


def client_ip(request) -> str | None:
    """The reader's address for login throttling. Behind a proxy REMOTE_ADDR is the proxy
    itself, so `NEWSROOM_CLIENT_IP_HEADER` may name a header (Django's META name, e.g.
    HTTP_X_REAL_IP) that the proxy overwrites with the client's address. Never name a
    header the proxy passes through from clients: anyone could then pick their address."""
    header = settings.NEWSROOM_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "").split(",")[-1].strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR")
