"""Security headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy.

Placed right after SecurityMiddleware and before WhiteNoise, so that static files get them too
(WhiteNoise answers those without calling the middleware below it). X-Frame-Options is set here
as well for the same reason; XFrameOptionsMiddleware still sets it on everything else and
honours `xframe_options_exempt`.
"""

from urllib.parse import urlsplit

from django.conf import settings


# Our pages load only same-origin scripts and stylesheets and use no inline script or style;
# Leaflet and ECharts set styles through the DOM, which style-src does not govern. data: images
# are drawn by Leaflet (its empty tile placeholder) and by ECharts' "save as image".
def content_security_policy(tile_url: str = "") -> str:
    """The policy; a configured base-map tile server (WANGGE_TILE_URL) is the one other host
    that pages may load images from."""
    tiles = f" {tile_origin(tile_url)}" if tile_url else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data:{tiles}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def tile_origin(tile_url: str) -> str:
    """The scheme and host of a tile URL template such as https://t{s}.tianditu.gov.cn/...:
    a label holding the subdomain placeholder becomes CSP's wildcard label."""
    parts = urlsplit(tile_url)
    labels = ["*" if "{" in label else label for label in parts.netloc.split(".")]
    return f"{parts.scheme}://{'.'.join(labels)}"


CONTENT_SECURITY_POLICY = content_security_policy()  # without a tile server

# Grid workers may locate themselves on the map, and will photograph cases; nothing else.
# Only features browsers know: Chromium logs an error on every page for each one it does not
# (`bluetooth`, named in the Web Bluetooth draft, is one Chromium does not know).
PERMISSIONS_POLICY = ", ".join([
    "geolocation=(self)",
    "camera=(self)",
    "microphone=()",
    "payment=()",
    "usb=()",
    "serial=()",
    "midi=()",
    "magnetometer=()",
    "gyroscope=()",
    "accelerometer=()",
    "display-capture=()",
    "browsing-topics=()",
])


class SecurityHeaders:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.policy = content_security_policy(settings.WANGGE_TILE_URL)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
