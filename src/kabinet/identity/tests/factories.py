import factory

from kabinet.identity.models import User
from kabinet.identity.services import user_create

PASSWORD = "Test-Password-2026"


class UserFactory(factory.Factory):
    """Users made through the service, as the portal makes them (verified email, roles)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.ru")
    password = PASSWORD
    last_name = "Сидоров"
    first_name = "Иван"
    patronymic = ""
    phone = None
    is_staff = False
    roles: tuple[str, ...] = ()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_create(email_verified=True, **kwargs)


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enable_totp(user, secret: str = TOTP_SECRET) -> str:
    """Give `user` an authenticator app, as if they had scanned the QR code."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code the authenticator app shows now (RFC 6238, 30-second steps, 6 digits).

    Like a person who sees the code about to change, it waits for the next one when fewer than
    5 seconds are left: the server accepts only the current step, and a loaded machine may take
    that long to submit the form."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
