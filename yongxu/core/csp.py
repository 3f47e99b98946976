"""A Content-Security-Policy on every response: scripts come only from our own static files, so an
injected ``<script>`` or ``onclick=`` runs nowhere (no inline script, no eval: htmx is told not to).
The policy is ``settings.YONGXU_CONTENT_SECURITY_POLICY``; ``frame-ancestors`` follows the response's
X-Frame-Options (DENY → 'none', SAMEORIGIN → 'self'), so a view that may be framed by our own pages says
so once, with Django's decorator."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        policy = "; ".join(f"{directive} {sources}" for directive, sources in
                           settings.YONGXU_CONTENT_SECURITY_POLICY.items())
        self.headers = {"DENY": f"{policy}; frame-ancestors 'none'", "SAMEORIGIN": f"{policy}; frame-ancestors 'self'",
                        "": policy}

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            framing = "" if getattr(response, "xframe_options_exempt", False) else response.get("X-Frame-Options", "DENY")
            response["Content-Security-Policy"] = self.headers.get(framing.upper(), self.headers["DENY"])
        return response
