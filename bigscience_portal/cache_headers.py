"""Answers to signed-in people are theirs alone: ``Cache-Control: private`` so no shared cache keeps them."""

from django.utils.cache import patch_cache_control


class PrivateWhenSignedInMiddleware:
    """Marks every answer to a signed-in person (session or API token) ``private``.

    A view that asks for more (``no-store`` on exports, ``never_cache``) keeps it; ``public`` is dropped.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets the token's user here too, during the view
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
