"""Sign-in by e-mail address, refusing addresses the account has added but never verified.

allauth looks an address up among all of an account's addresses, verified or not, so an address
someone typed into their account (perhaps another person's) would sign them in. Only the primary
address (the sign-up one, which the verification step then holds) and verified addresses may.
"""

from allauth.account.auth_backends import AuthenticationBackend


class VerifiedAddressBackend(AuthenticationBackend):
    def _authenticate_by_email(self, email, password):
        user = super()._authenticate_by_email(email, password)
        if user is None or not email:
            return user
        from allauth.account.models import EmailAddress

        addresses = EmailAddress.objects.filter(user=user, email__iexact=email.strip())
        unverified_secondary = (
            addresses.filter(verified=False, primary=False).exists() and not addresses.filter(verified=True).exists()
        )
        if unverified_secondary and (user.email or "").lower() != email.strip().lower():
            return None
        return user
