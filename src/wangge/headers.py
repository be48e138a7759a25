"""Security headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy.

Placed right after SecurityMiddleware and before WhiteNoise, so that static files get them too
(WhiteNoise answers those without calling the middleware below it). X-Frame-Options is set here
as well for the same reason; XFrameOptionsMiddleware still sets it on everything else and
honours `xframe_options_exempt`.
"""

from django.conf import settings

# Our pages load only same-origin scripts and stylesheets and use no inline script or style;
# Leaflet and ECharts set styles through the DOM, which style-src does not govern. data: images
# are drawn by Leaflet (its empty tile placeholder) and by ECharts' "save as image".
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# Grid workers may locate themselves on the map, and will photograph cases; nothing else.
PERMISSIONS_POLICY = ", ".join([
    "geolocation=(self)",
    "camera=(self)",
    "microphone=()",
    "payment=()",
    "usb=()",
    "serial=()",
    "bluetooth=()",
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

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
